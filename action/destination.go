package action

import (
	"strconv"

	"rupt-actions-wasm/action/internal/rawjson"

	"rupt-actions-wasm/action/fql"
	"rupt-actions-wasm/action/mapping"
)

// Destination is a configured Rupt (Actions) destination: validated settings
// and the attach subscriptions, each parsed once.
type Destination struct {
	Settings Settings
	subs     []compiledSub
	// recent holds the attaches of the last DuplicateWindow and those in
	// flight: an identical attach among them is sent once.
	recent recentAttaches
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
	// NeedsDevice means the event would attach but the device's signals
	// are not collected yet (Device.SignalsPending): nothing is recorded,
	// and the shim collects them and hands the event over again.
	NeedsDevice bool `json:"needs_device,omitempty"`
	// Outcome is set instead of Requests when the event would attach on a
	// page that asks for a logout hand-off (?rupt_action=logout).
	Outcome *Outcome `json:"outcome,omitempty"`
}

// New parses the settings object (raw JSON) and builds the destination. A
// settings error is fatal; a bad subscription is recorded in Problems.
func New(rawSettings string) (*Destination, error) {
	s, err := ParseSettings(rawSettings)
	if err != nil {
		return nil, err
	}
	d := &Destination{Settings: s, recent: newRecentAttaches()}
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

// Evaluate runs one event (raw JSON) through every enabled attach
// subscription: the query, then the mapping, then the attach request, one
// per matching subscription, as Segment's runtime calls attach once per
// matching subscription. A problem with one subscription is reported and
// the others still run.
//
// Only an event that attaches (a subscription matches and maps a usable
// account) goes further: on a page whose URL asks for a logout hand-off
// it returns that Outcome instead of requests, as Rupt's SDK does inside
// attach; while the device's signals are pending it asks for them
// (NeedsDevice); otherwise every request not identical to a recent one
// (see DuplicateWindow) is returned with its id.
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
		req.Subscription = sub.name
		ev.Requests = append(ev.Requests, req)
	}
	if len(ev.Requests) == 0 {
		return ev
	}
	if o := d.Settings.DecidePageLoad(dev.URL); o.Skip {
		ev.Requests, ev.Outcome = nil, &o
		return ev
	}
	if dev.SignalsPending {
		ev.Requests, ev.NeedsDevice = nil, true
		return ev
	}
	sent := ev.Requests[:0]
	for _, req := range ev.Requests {
		if d.recent.duplicate(req.key, dev.At) {
			ev.Skipped = append(ev.Skipped, Problem{Subscription: req.Subscription, Error: "an identical attach was sent less than 2 s ago"})
			continue
		}
		req.Context.ID = d.recent.send(req.key, dev.At)
		sent = append(sent, req)
	}
	ev.Requests = sent
	return ev
}

// HandleAttach decides on Rupt's answer to an attach (see
// Settings.DecideAttach) and keeps what later decisions need: the attached
// device, for detach; and once the answer is final the attach is no longer
// in flight (a failed one is not held against the next identical one).
func (d *Destination) HandleAttach(ctx AttachContext, status int, body string) Outcome {
	o := d.Settings.DecideAttach(ctx, status, body)
	if o.RetryIn == 0 {
		d.recent.done(ctx.ID, o.Error != "")
	}
	if o.Error == "" && o.ListenDevice != "" {
		d.device, d.account = o.ListenDevice, ctx.Account
	}
	return o
}

// Detach is the site's logout (analytics.reset()): it returns the request
// that detaches the attached device, if any, and forgets the device and
// the recent attaches, so the next sign-in attaches at once. The shim also
// closes the live channel.
func (d *Destination) Detach() (Request, error) {
	req, err := BuildDetach(&d.Settings, d.device, d.account)
	d.device, d.account = "", ""
	d.recent.reset()
	return req, err
}
