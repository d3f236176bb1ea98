package action

import (
	"errors"
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
	// events parses an event once for every subscription's mapping.
	events *mapping.EventParser
	// Reads is the part of an event the destination can read, as a JSON
	// tree (mapping.EventParser.ReadsJSON), or "" for any part: the shim
	// hands over only that part of each event.
	Reads string
	// recent holds the attaches of the last DuplicateWindow and those in
	// flight: an identical attach among them is sent once.
	recent recentAttaches
	// device and user are the last successful attach's device and "user"
	// (as JSON), for the detach.
	device, user string
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
	_            [0]func() // not comparable: no equality function in the download
	Subscription string    `json:"subscription"`
	Error        string    `json:"error"`
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
	ms := make([]*mapping.Mapping, len(d.subs))
	for i, sub := range d.subs {
		ms[i] = sub.mapping
	}
	d.events = mapping.NewEventParser(ms...)
	// What Evaluate reads of an event: what the queries and mappings
	// read, and the page path (pageOf).
	extra := [][]string{{"context", "page", "path"}}
	for _, sub := range d.subs {
		sub.query.Paths(func(keys []string) { extra = append(extra, keys) })
	}
	d.Reads = d.events.ReadsJSON(extra)
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
	// The event is read once when it matches: the queries read it lazily
	// (rawjson), and the mappings' parse checks all of it as JSON.parse
	// would, so that the separate validation runs only when that parse
	// fails or no subscription matches. Until then a query may have read
	// text that is not JSON; the answer is the same as if it had been
	// validated first (TestEvaluateInvalidEvents, FuzzEvaluate).
	parsed := rawjson.Parse(event)
	if !parsed.IsObject() {
		return badEvent(event)
	}
	var ev Evaluation
	// What the mappings read is built once, at the first match.
	var mev mapping.Event
	page := ""
	for _, sub := range d.subs {
		if !sub.query.MatchResult(parsed) {
			continue
		}
		if ev.Matched++; ev.Matched == 1 {
			mev = d.events.Parse(event)
			if mev.Err() != nil && eventProblem(event) != "" {
				return badEvent(event)
			}
			page = pageOf(parsed, dev)
		}
		payload, err := sub.mapping.EvaluateOn(mev)
		if err != nil {
			ev.Problems = append(ev.Problems, Problem{Subscription: sub.name, Error: "mapping: " + err.Error()})
			continue
		}
		req, err := BuildAttach(&d.Settings, payload, page, dev)
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
	if ev.Matched == 0 && eventProblem(event) != "" {
		return badEvent(event)
	}
	if len(ev.Requests) == 0 {
		return ev
	}
	if o := d.Settings.DecidePageLoad(dev.URL); o.Skip {
		hand := o // only this path keeps an Outcome on the heap
		ev.Requests, ev.Outcome = nil, &hand
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
		req.ID = d.recent.send(&req, dev.At)
		sent = append(sent, req)
	}
	ev.Requests = sent
	return ev
}

// eventProblem checks the whole event: it says what stops an event that
// is not valid JSON, nests too deeply or is not an object, and is "" for
// a valid event.
func eventProblem(event string) string {
	if _, err := jsonObject(event, "event"); err != nil {
		return err.Error()
	}
	return ""
}

// badEvent is the evaluation of an event with a problem (eventProblem).
func badEvent(event string) Evaluation {
	return Evaluation{Problems: []Problem{{Error: eventProblem(event)}}}
}

// HandleAttach decides on Rupt's answer to the attach with id (see
// Settings.DecideAttach): status is the HTTP status (0 for no answer), body
// the response text and retryAfter its Retry-After header. It keeps what
// later decisions need: the attached device, for detach; how often the
// attach was sent, for retries; and once the answer is final the attach is
// no longer in flight (a failed one is not held against the next identical
// one).
func (d *Destination) HandleAttach(id, status int, body, retryAfter string) Outcome {
	f := d.recent.inFlight[id]
	if f == nil {
		return errorOutcome("attach", errors.New("attach "+strconv.Itoa(id)+" is not in flight (answered already, or never sent)"))
	}
	f.context.RetryAfter = retryAfter
	o := d.Settings.DecideAttach(f.context, status, body)
	if o.RetryIn != 0 {
		f.context.Attempt++
		return o
	}
	d.recent.done(id, o.Error != "")
	if o.Error == "" && o.ListenDevice != "" {
		d.device, d.user = o.ListenDevice, f.context.user
	}
	return o
}

// Detach is the site's logout (analytics.reset()): it returns the request
// that detaches the attached device, if any, and forgets the device and
// the recent attaches, so the next sign-in attaches at once. The shim also
// closes the live channel.
func (d *Destination) Detach() (Request, error) {
	req, err := buildDetach(&d.Settings, d.device, d.user)
	d.device, d.user = "", ""
	d.recent.forgetRecent()
	return req, err
}
