package mapping

// Payload is a mapping's result, read field by field: what the attach
// builder takes from it needs no JSON text of the whole payload.
type Payload struct{ v value }

// Kind is the JavaScript type of a payload value.
type Kind uint8

// The kinds of value, as JavaScript's typeof tells them apart (with null
// and arrays on their own).
const (
	Undefined Kind = Kind(kUndef)
	Null      Kind = Kind(kNull)
	Boolean   Kind = Kind(kBool)
	Number    Kind = Kind(kNum)
	String    Kind = Kind(kStr)
	Array     Kind = Kind(kArr)
	Object    Kind = Kind(kObj)
)

// Field is one value of a payload.
type Field struct{ v value }

// Evaluate evaluates the mapping on one event (the JSON text of a Segment
// event, which must be an object) and returns the payload mapping-kit's
// transform would give.
func (m *Mapping) Evaluate(event string) (Payload, error) {
	ev, err := parseInput(event, "event", m.need)
	if err != nil {
		return Payload{}, err
	}
	if ev.k != kObj {
		return Payload{}, finish(invalid("the event must be a JSON object, got " + article(ev.typeName())))
	}
	e := evaluator{}
	out, err := e.resolve(m.root, ev)
	if err != nil {
		return Payload{}, finish(err)
	}
	return Payload{out}, nil
}

// Get returns the payload's member name (Undefined when the payload is not
// an object or has no such member).
func (p Payload) Get(name string) Field {
	if p.v.k != kObj {
		return Field{}
	}
	v, _ := p.v.c.get(name)
	return Field{v}
}

// AppendJSON appends the payload as JSON.stringify writes it, and reports
// false (appending nothing) when JSON.stringify has no text for it
// (undefined).
func (p Payload) AppendJSON(b []byte) ([]byte, bool) { return appendJSON(b, p.v) }

// Kind is the field's type.
func (f Field) Kind() Kind { return Kind(f.v.k) }

// Str is a String field's text (WTF-8: see AppendJSON for its JSON form).
func (f Field) Str() string { return f.v.s }

// Num is a Number field's value.
func (f Field) Num() float64 { return f.v.n }

// Truthy is JavaScript's truthiness of the field.
func (f Field) Truthy() bool { return f.v.truthy() }

// AppendJSON appends the field as JSON.stringify writes it (a lone UTF-16
// surrogate in a string as its \u escape), and reports false (appending
// nothing) when JSON.stringify has no text for it (undefined).
func (f Field) AppendJSON(b []byte) ([]byte, bool) { return appendJSON(b, f.v) }
