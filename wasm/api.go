package main

import (
	"runtime"
	"strconv"
	"strings"

	"rupt-actions-wasm/action"
	"rupt-actions-wasm/action/fingerprint"
)

// version is the release, set by build.sh (-X main.version) from
// jsbridge/package.json so the Go and JS halves can tell they match.
var version = "dev"

// API is what the JS shim calls, one call per decision. Every method takes
// strings (JSON, or plain text such as a response body) and answers JSON;
// the requests to send leave as their own texts beside it. The bridge
// (Bridge.Call) is the one place that recovers panics.
type API struct {
	dests map[int]*action.Destination
	next  int
	// What Go keeps about the browser between events: the signals and
	// fingerprint handed over once per document (DeviceSignals), sent
	// with every attach, and the storage values the shim last sent.
	device action.DeviceState
}

// NewAPI returns an API with no destination configured.
func NewAPI() *API { return &API{dests: map[int]*action.Destination{}} }

// errorJSON is the answer of a call that failed.
func errorJSON(msg string) string {
	return string(append(action.AppendQuote([]byte(`{"error":`), msg), '}'))
}

// outcomeJSON is the answer of a decision: the outcome itself.
func outcomeJSON(o action.Outcome) string { return string(o.AppendJSON(nil)) }

func (a *API) dest(id int) (*action.Destination, string) {
	d, ok := a.dests[id]
	if !ok {
		return nil, errorJSON("destination " + strconv.Itoa(id) + " is not configured: call configure first")
	}
	return d, ""
}

// Configure validates settings (the object analytics.js hands the factory)
// and returns {"id", "version", "debug", "active", "problems", "attach",
// "reads"} or {"error"}: attach is the url, method and headers of every
// attach request (action.Destination.AttachHead), which AttachDevice's
// answers then leave out; reads is the part of an event the destination
// reads (action.Destination.Reads), absent when it can read any part; the
// shim hands over only that part of each event.
func (a *API) Configure(settings string) string {
	d, err := action.New(settings)
	if err != nil {
		return errorJSON(err.Error())
	}
	a.next++
	a.dests[a.next] = d
	b := strconv.AppendInt([]byte(`{"id":`), int64(a.next), 10)
	b = action.AppendQuote(append(b, `,"version":`...), version)
	b = strconv.AppendBool(append(b, `,"debug":`...), d.Settings.Debug)
	b = strconv.AppendInt(append(b, `,"active":`...), int64(d.Active()), 10)
	if len(d.Problems) > 0 {
		b = action.AppendProblems(append(b, `,"problems":`...), d.Problems)
	}
	b = d.AttachHead().AppendJSON(append(b, `,"attach":`...))
	if d.Reads != "" {
		b = append(append(b, `,"reads":`...), d.Reads...)
	}
	return string(append(b, '}'))
}

// AttachDevice runs the attach action on one event: device is the device
// context the shim collected, and members the number of the device's
// members text the shim holds (0: none). It answers the evaluation (see
// action.Evaluation.AppendJSON): the requests to send, each named by its id
// (their url, method and headers are configure's "attach");
// or needs_device when the event would attach before the device's signals
// were handed over (DeviceSignals), and the shim then calls again; or an
// outcome to perform instead (a ?rupt_action=logout hand-off).
//
// Each request's body leaves as two texts, its head and its tail (see
// action.AttachRequest.BodyParts), in order: the shim puts the device's
// members between them. The members (the signals and the fingerprints,
// about 5 KB, the same until they change) follow as one more text only
// when the requests name another members text than the shim holds, so
// that they cross once, not with every event.
//
// The device context carries the storage values Rupt's SDK keeps only
// when they changed (see action.DeviceState); after an error answer the
// shim sends them all again.
func (a *API) AttachDevice(id, members int, event, device string) (string, []string) {
	d, e := a.dest(id)
	if d == nil {
		return e, nil
	}
	// Nothing is collected from a visitor until an event attaches: an
	// event that would attach before the signals are handed over answers
	// needs_device (Device.SignalsPending), and the shim collects them.
	dev, err := a.device.Device(device)
	if err != nil {
		return errorJSON("device context is not valid: " + err.Error()), nil
	}
	ev := d.Evaluate(event, dev)
	if len(ev.Requests) == 0 {
		return string(ev.AppendJSON(nil)), nil
	}
	texts := make([]string, 0, 2*len(ev.Requests)+1)
	var text string
	send := false
	for _, r := range ev.Requests {
		head, m, tail, v := r.BodyParts()
		texts = append(texts, head, tail)
		if v == 0 {
			// Cannot happen (the device comes from a.device); were it to,
			// the body crosses whole.
			texts[len(texts)-2] = head + m
		} else if int64(v) != int64(members) {
			text, send = m, true
		}
	}
	if send {
		texts = append(texts, text)
	}
	return string(ev.AppendJSON(nil)), texts
}

// HandleResponse decides on Rupt's answer to the attach named attach:
// status is the HTTP status (0 when there was no answer), body the
// response text and retryAfter its Retry-After header.
func (a *API) HandleResponse(id, attach, status int, body, retryAfter string) string {
	d, e := a.dest(id)
	if d == nil {
		return e
	}
	return outcomeJSON(d.HandleAttach(attach, status, body, retryAfter))
}

// HandleLive decides on one live channel message.
func (a *API) HandleLive(id int, data, pageURL string) string {
	d, e := a.dest(id)
	if d == nil {
		return e
	}
	return outcomeJSON(d.Settings.DecideLive(data, pageURL))
}

// Detach is the site's logout: it answers {"request"} (its head; the body
// is the one text) or {"request": null} when no device is attached,
// forgets the device and drops what Go keeps about the browser (the
// signals, the fingerprint and the storage values).
func (a *API) Detach(id int) (string, []string) {
	d, e := a.dest(id)
	if d == nil {
		return e, nil
	}
	req, err := d.Detach()
	// The site's logout closes the gate again: the signals are dropped,
	// and collected anew only when an event attaches.
	a.device.Forget()
	if err != nil {
		return `{"request":null}`, nil
	}
	return string(append(req.AppendJSON([]byte(`{"request":`)), '}')), []string{req.Body}
}

// DeviceSignals takes the device's signals once per document: legacy (the
// legacy signals object) and muted (@ruptjs/fingerprint's muted signals,
// which Go hashes into the fingerprint). Every later attach sends them.
// It returns {"fingerprint"} or {"error"}; a part that fails is left out
// of the attaches, the other still sent.
func (a *API) DeviceSignals(legacy, muted string) string {
	var errs []string
	a.device.Open()
	if legacy != "" {
		if s, err := action.NewSignals(legacy); err != nil {
			errs = append(errs, "legacy signals: "+err.Error())
		} else {
			a.device.SetSignals(s)
		}
	}
	if muted != "" {
		if h, err := fingerprint.FuzzyHash([]byte(muted), fingerprint.DefaultLength); err != nil {
			errs = append(errs, "fingerprint: "+err.Error())
		} else {
			a.device.SetFingerprint(h)
		}
	}
	if len(errs) > 0 {
		return errorJSON(strings.Join(errs, "; "))
	}
	return string(append(action.AppendQuote([]byte(`{"fingerprint":`), a.device.Fingerprint()), '}'))
}

// Stats returns the Go runtime's memory figures: {"sys"} is what Go has
// taken from the WASM linear memory, {"heap_alloc"} what is in use (live or
// not yet collected), {"num_gc"} the garbage collection cycles completed and
// {"next_gc"} the heap size at which the next one is due.
func (a *API) Stats() string {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return `{"sys":` + strconv.FormatUint(m.Sys, 10) + `,"heap_alloc":` + strconv.FormatUint(m.HeapAlloc, 10) + `,"num_gc":` + strconv.FormatUint(uint64(m.NumGC), 10) + `,"next_gc":` + strconv.FormatUint(m.NextGC, 10) + `}`
}
