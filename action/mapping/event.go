package mapping

// EventParser parses events once for a set of mappings: each event is
// read and checked in one pass, building only the parts any of them can
// read, and every mapping of the set is evaluated on that (EvaluateOn).
// Unlike a Mapping, an EventParser keeps scratch space between events: use
// one from one goroutine at a time.
type EventParser struct {
	need    *need
	set     map[*Mapping]bool
	scratch scratch
}

// NewEventParser returns a parser for events the mappings ms will read.
func NewEventParser(ms ...*Mapping) *EventParser {
	p := &EventParser{need: skipAll, set: make(map[*Mapping]bool, len(ms))}
	for _, m := range ms {
		p.need = union(p.need, m.need)
		p.set[m] = true
	}
	return p
}

// Event is an event parsed by an EventParser.
type Event struct {
	text   string
	v      value
	err    error
	parser *EventParser
}

// Parse parses event (JSON text, which must be an object).
func (p *EventParser) Parse(event string) Event {
	v, err := parseInputReusing(event, "event", p.need, &p.scratch)
	if err == nil && v.k != kObj {
		err = invalid("the event must be a JSON object, got " + article(v.typeName()))
	}
	return Event{text: event, v: v, err: err, parser: p}
}

// ReadsJSON is the part of an event the parser's mappings and the extra
// paths can read, as a JSON tree for the shim: each key names a member
// read, 1 when it is read whole, or an object of what is read inside it;
// for example {"userId":1,"context":{"traits":{"email":1}}}. It is "" when
// the mappings can read any part of an event (a computed path, a
// template): the shim then hands over the whole event.
func (p *EventParser) ReadsJSON(extra [][]string) string {
	if p.need == nil {
		return ""
	}
	all := &need{}
	var leaves func(n *need, keys []string)
	leaves = func(n *need, keys []string) {
		for _, k := range n.kids {
			path := append(keys[:len(keys):len(keys)], k.key)
			if k.n == nil {
				all.add(path)
			} else {
				leaves(k.n, path)
			}
		}
	}
	if p.need != skipAll {
		leaves(p.need, nil)
	}
	for _, keys := range extra {
		if len(keys) > 0 {
			all.add(keys)
		}
	}
	var write func(b []byte, n *need) []byte
	write = func(b []byte, n *need) []byte {
		b = append(b, '{')
		for i, k := range n.kids {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendQuoted(b, k.key), ':')
			if k.n == nil {
				b = append(b, '1')
			} else {
				b = write(b, k.n)
			}
		}
		return append(b, '}')
	}
	return string(write(nil, all))
}

// Err is why the event could not be parsed for all the mappings (it is
// not valid JSON, nests too deeply, has a "__proto__" key...), or nil.
func (ev Event) Err() error { return ev.err }

// EvaluateOn evaluates m on a parsed event, with the same result as
// m.Evaluate on its text. When the shared parse failed (a part another
// mapping reads is too deep, say), or m is not one of the parser's
// mappings, m parses the text on its own, so that its answer is its own.
func (m *Mapping) EvaluateOn(ev Event) (Payload, error) {
	if ev.err != nil || ev.parser == nil || !ev.parser.set[m] {
		return m.Evaluate(ev.text)
	}
	e := evaluator{}
	out, err := e.resolve(m.root, ev.v)
	if err != nil {
		return Payload{}, finish(err)
	}
	return Payload{out}, nil
}

// union is a need for everything a or b needs (nil: the whole value).
func union(a, b *need) *need {
	switch {
	case a == nil || b == nil:
		return nil
	case a == skipAll:
		return b
	case b == skipAll:
		return a
	}
	u := &need{kids: append([]needKid(nil), a.kids...)}
	for _, k := range b.kids {
		i := 0
		for i < len(u.kids) && u.kids[i].key != k.key {
			i++
		}
		if i == len(u.kids) {
			u.kids = append(u.kids, k)
		} else {
			u.kids[i].n = union(u.kids[i].n, k.n)
		}
	}
	return u
}
