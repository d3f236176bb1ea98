package action

import (
	"strconv"
	"strings"

	"rupt-actions-wasm/action/internal/rawjson"

	"rupt-actions-wasm/action/fql"
	"rupt-actions-wasm/action/mapping"
)

// Destination is a configured Rupt (Actions) destination: validated settings
// and the attach subscriptions, each parsed once.
type Destination struct {
	Settings Settings
	subs     []compiledSub
	// sent holds the (account, page) pairs attached in this page's
	// lifetime: a device attaches at most once per account and path.
	sent map[sentKey]bool
	// device and account are the last successful attach, for detach.
	device, account string
	// Problems are subscriptions that cannot run (bad query or mapping);
	// the others still run.
	Problems []Problem
}

type compiledSub struct {
	name    string
	query   *fql.Query
	mapping *mapping.Mapping
}

type sentKey struct{ account, page string }

// maxSent bounds the memory of what was attached: past it the record
// starts over, so a page that lives through very many accounts and paths
// may attach one of them again, and memory stays flat.
const maxSent = 1024

// remember records key, with its own copy of the strings so the event JSON
// they came from is not kept alive.
func (d *Destination) remember(key sentKey) {
	if len(d.sent) >= maxSent {
		clear(d.sent)
	}
	d.sent[sentKey{strings.Clone(key.account), strings.Clone(key.page)}] = true
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
func New(rawSettings string) (*Destination, error) {
	s, err := ParseSettings(rawSettings)
	if err != nil {
		return nil, err
	}
	d := &Destination{Settings: s, sent: map[sentKey]bool{}}
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
		m, err := mapping.Compile(sub.Mapping)
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
func (d *Destination) Evaluate(event string, dev Device) Evaluation {
	var ev Evaluation
	ok, err := validJSON(event, "event")
	if err != nil {
		ev.Problems = append(ev.Problems, Problem{Error: err.Error()})
		return ev
	}
	parsed := rawjson.Parse(event)
	if !ok || !parsed.IsObject() {
		ev.Problems = append(ev.Problems, Problem{Error: "event: not a JSON object"})
		return ev
	}
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
			if err == ErrNoAccount { // BuildAttach returns it unwrapped; errors.Is would bring reflectlite into the WASM
				ev.Skipped = append(ev.Skipped, p)
			} else {
				ev.Problems = append(ev.Problems, p)
			}
			continue
		}
		key := sentKey{req.Context.Account, req.Context.Page}
		if d.sent[key] {
			ev.Skipped = append(ev.Skipped, Problem{Subscription: sub.name, Error: "already attached for this account on this page"})
			continue
		}
		d.remember(key)
		req.Subscription = sub.name
		ev.Requests = append(ev.Requests, req)
	}
	return ev
}

// HandleAttach decides on Rupt's answer to an attach (see
// Settings.DecideAttach) and keeps what later decisions need: the attached
// device, for detach; and a failed attach may be sent again later.
func (d *Destination) HandleAttach(ctx AttachContext, status int, body string) Outcome {
	o := d.Settings.DecideAttach(ctx, status, body)
	switch {
	case o.Error != "" && o.RetryIn == 0:
		delete(d.sent, sentKey{ctx.Account, ctx.Page})
	case o.Error == "" && o.ListenDevice != "":
		d.device, d.account = o.ListenDevice, ctx.Account
	}
	return o
}

// Detach is the site's logout (analytics.reset()): it returns the request
// that detaches the attached device, if any, and forgets the device and
// what was attached, so the next sign-in attaches again. The shim also
// closes the live channel.
func (d *Destination) Detach() (Request, error) {
	req, err := BuildDetach(&d.Settings, d.device, d.account)
	d.device, d.account = "", ""
	clear(d.sent)
	return req, err
}
