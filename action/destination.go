package action

import (
	"errors"
	"strconv"

	"github.com/tidwall/gjson"

	"rupt-actions-wasm/action/fql"
	"rupt-actions-wasm/action/mapping"
)

// Destination is a configured Rupt (Actions) destination: validated settings
// and the attach subscriptions, each parsed once.
type Destination struct {
	Settings Settings
	subs     []compiledSub
	// Problems are subscriptions that cannot run (bad query or mapping);
	// the others still run.
	Problems []Problem
}

type compiledSub struct {
	name    string
	query   *fql.Query
	mapping *mapping.Mapping
}

// Problem is one subscription or event that could not be processed.
type Problem struct {
	Subscription string `json:"subscription"`
	Error        string `json:"error"`
}

// Evaluation is the result of one event across every enabled attach subscription.
type Evaluation struct {
	// Matched counts the subscriptions whose query matched the event.
	Matched  int             `json:"matched"`
	Requests []AttachRequest `json:"requests,omitempty"`
	// Skipped are matched subscriptions that produced no request, and why
	// (no account, for instance).
	Skipped  []Problem `json:"skipped,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

// New parses the settings object (raw JSON) and builds the destination. A
// settings error is fatal; a bad subscription is recorded in Problems.
func New(rawSettings []byte) (*Destination, error) {
	s, err := ParseSettings(rawSettings)
	if err != nil {
		return nil, err
	}
	d := &Destination{Settings: s}
	for i, sub := range s.Subscriptions {
		name := sub.Name
		if name == "" {
			name = "subscriptions[" + strconv.Itoa(i) + "]"
		}
		if !sub.Enabled || sub.PartnerAction != AttachActionKey {
			continue
		}
		q, err := fql.Parse(sub.Subscribe)
		if err != nil {
			d.Problems = append(d.Problems, Problem{Subscription: name, Error: "subscribe: " + err.Error()})
			continue
		}
		m, err := mapping.Compile([]byte(sub.Mapping))
		if err != nil {
			d.Problems = append(d.Problems, Problem{Subscription: name, Error: "mapping: " + err.Error()})
			continue
		}
		d.subs = append(d.subs, compiledSub{name: name, query: q, mapping: m})
	}
	return d, nil
}

// Active reports how many attach subscriptions can run.
func (d *Destination) Active() int { return len(d.subs) }

// Evaluate runs one event (raw JSON) through every attach subscription: the
// query, then the mapping, then the attach request. A problem with one
// subscription is reported and the others still run.
func (d *Destination) Evaluate(event []byte, dev Device) Evaluation {
	var ev Evaluation
	if !gjson.ValidBytes(event) || !gjson.ParseBytes(event).IsObject() {
		ev.Problems = append(ev.Problems, Problem{Error: "event: not a JSON object"})
		return ev
	}
	parsed := gjson.ParseBytes(event)
	for _, sub := range d.subs {
		if !sub.query.MatchResult(parsed) {
			continue
		}
		ev.Matched++
		payload, err := sub.mapping.Apply(event)
		if err != nil {
			ev.Problems = append(ev.Problems, Problem{Subscription: sub.name, Error: "mapping: " + err.Error()})
			continue
		}
		req, err := BuildAttach(&d.Settings, payload, event, dev)
		if err != nil {
			p := Problem{Subscription: sub.name, Error: err.Error()}
			if errors.Is(err, ErrNoAccount) {
				ev.Skipped = append(ev.Skipped, p)
			} else {
				ev.Problems = append(ev.Problems, p)
			}
			continue
		}
		req.Subscription = sub.name
		ev.Requests = append(ev.Requests, req)
	}
	return ev
}
