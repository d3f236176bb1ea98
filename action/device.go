package action

import (
	"rupt-actions-wasm/action/internal/jsonw"
	"rupt-actions-wasm/action/internal/rawjson"
)

// Device is what the JS shim knows about this browser when an event arrives.
type Device struct {
	// Signals is the legacy signals object, sent as "signals".
	Signals Signals
	// Fingerprint is the current fuzzy hash.
	Fingerprint string
	// LastFingerprint is rpt_last_fp read back from cookie, localStorage or
	// sessionStorage.
	LastFingerprint string
	// LastBlockingAccess and LastChallenge are the rpt_last_blocking_access
	// and rpt_last_challenge cookies.
	LastBlockingAccess string
	LastChallenge      string
	// SignalsPending means the device's signals are not collected yet
	// (nothing is collected from a visitor until an event attaches): an
	// event that would attach asks for them instead (Evaluation.NeedsDevice).
	SignalsPending bool
	// Path is location.pathname when the event arrived; URL is location.href
	// then. In a single-page app the location moves on while a request is
	// prepared, so these are captured at arrival, never at send time.
	Path string
	URL  string
	// At is when the event arrived, in milliseconds on the shim's clock
	// (performance.now()): identical attaches are told apart by it.
	At float64

	// members is the attach body's "signals", "fingerprint" and
	// "last_fingerprint" members as JSON (each with its leading comma),
	// made once by the DeviceState that filled in those three fields and
	// copied into every body as it is. membersVersion names that text
	// (see DeviceState); 0 means there is none, and the members are
	// written from the fields.
	members        string
	membersVersion uint32
}

// Signals is a legacy signals object, checked once to be a JSON object so
// that every attach can copy it into its body as it is.
type Signals struct{ raw string }

// IsZero reports whether no signals are set.
func (s Signals) IsZero() bool { return len(s.raw) == 0 }

// NewSignals checks raw (JSON) and keeps it.
func NewSignals(raw string) (Signals, error) {
	if _, err := jsonObject(raw, "device signals"); err != nil {
		return Signals{}, err
	}
	return Signals{raw: raw}, nil
}

// The values Rupt's SDK keeps in the device's storage, by their keys in
// the device context.
const (
	storedLastFingerprint = iota
	storedLastBlockingAccess
	storedLastChallenge
	numStored
)

// ParseDevice reads the device context the shim sends with an event:
// {"path", "url", "at", "last_fingerprint", "last_blocking_access",
// "last_challenge"}. Fields of the wrong type are ignored, and so are the
// ones it leaves out. The signals and the fingerprint are not in it: the
// shim hands them over once per document (DeviceState.SetSignals).
func ParseDevice(raw string) (Device, error) {
	var stored [numStored]string
	return parseDevice(raw, &stored)
}

// parseDevice reads the device context raw into a Device. A storage value
// it carries replaces the one in stored (a value of the wrong type, null
// included, clears it); one it leaves out keeps stored's.
func parseDevice(raw string, stored *[numStored]string) (Device, error) {
	r, err := jsonObject(raw, "device context")
	if err != nil {
		return Device{}, err
	}
	// One pass over the members; as with Get, the first of a repeated key
	// counts.
	var d Device
	var seen [3 + numStored]bool
	r.ForEach(func(k, v rawjson.Value) bool {
		var dst *string
		i := 0
		switch k.Str {
		case "last_fingerprint":
			dst, i = &stored[storedLastFingerprint], 3+storedLastFingerprint
		case "last_blocking_access":
			dst, i = &stored[storedLastBlockingAccess], 3+storedLastBlockingAccess
		case "last_challenge":
			dst, i = &stored[storedLastChallenge], 3+storedLastChallenge
		case "path":
			dst, i = &d.Path, 1
		case "url":
			dst, i = &d.URL, 2
		case "at":
			if !seen[0] && v.Kind == rawjson.Number {
				d.At = v.Num
			}
			seen[0] = true
			return true
		default:
			return true
		}
		if !seen[i] {
			if v.Kind == rawjson.String {
				*dst = v.Str
			} else {
				*dst = ""
			}
		}
		seen[i] = true
		return true
	})
	d.LastFingerprint = stored[storedLastFingerprint]
	d.LastBlockingAccess = stored[storedLastBlockingAccess]
	d.LastChallenge = stored[storedLastChallenge]
	return d, nil
}

// DeviceState is what Go keeps about the browser between events, so that
// an event's device context is a few bytes (the location and the time)
// instead of carrying the 2 KB fingerprints every time:
//   - the signals and the fingerprint, handed over once per document;
//   - its copy of the values Rupt's SDK keeps in the device's storage
//     (rpt_last_fp and the rpt_last_blocking_access and rpt_last_challenge
//     cookies), as the shim last read them. A device context that carries
//     one of these keys sets the copy (null or any other non-string clears
//     it); one that leaves the key out keeps it. The shim sends a value
//     only when it differs from the one it sent before.
//
// The zero DeviceState has nothing collected.
type DeviceState struct {
	signals     Signals
	fingerprint string
	collected   bool
	stored      [numStored]string
	// members caches Device.members for the values above while made;
	// version counts the texts made, so that a number names one text for
	// the life of the page (Forget keeps counting).
	members string
	made    bool
	version uint32
	// Not comparable: nothing compares two states, and an equality
	// function would cost the download bytes.
	_ [0]func()
}

// Open records that the signals were handed over (even if some part of
// them failed): from now on an event attaches instead of asking for them.
func (s *DeviceState) Open() { s.collected = true }

// SetSignals keeps the legacy signals every attach sends.
func (s *DeviceState) SetSignals(sig Signals) { s.signals, s.made = sig, false }

// SetFingerprint keeps the fingerprint every attach sends.
func (s *DeviceState) SetFingerprint(fp string) { s.fingerprint, s.made = fp, false }

// Fingerprint is the fingerprint every attach sends.
func (s *DeviceState) Fingerprint() string { return s.fingerprint }

// Forget drops everything (the site's logout): the signals, the
// fingerprint and the copy of the stored values; the next event that
// would attach asks for the signals again.
func (s *DeviceState) Forget() { *s = DeviceState{version: s.version} }

// Device reads an event's device context (see DeviceState for the storage
// values) and returns the device the event attaches with.
func (s *DeviceState) Device(context string) (Device, error) {
	last := s.stored[storedLastFingerprint]
	d, err := parseDevice(context, &s.stored)
	if err != nil {
		return Device{}, err
	}
	if d.LastFingerprint != last {
		s.made = false
	}
	d.SignalsPending = !s.collected
	d.Signals, d.Fingerprint = s.signals, s.fingerprint
	if !s.made {
		s.members, s.made = string(d.appendMembers(nil)), true
		s.version++
	}
	d.members, d.membersVersion = s.members, s.version
	return d, nil
}

// appendMembers appends the attach body's "signals", "fingerprint" and
// "last_fingerprint" members, each left out when empty.
func (d *Device) appendMembers(b []byte) []byte {
	if d.membersVersion != 0 {
		return append(b, d.members...)
	}
	if len(d.Signals.raw) > 0 {
		b = append(b, `,"signals":`...)
		b = append(b, d.Signals.raw...)
	}
	if d.Fingerprint != "" {
		b = jsonw.AppendField(b, false, "fingerprint", d.Fingerprint)
	}
	if d.LastFingerprint != "" {
		b = jsonw.AppendField(b, false, "last_fingerprint", d.LastFingerprint)
	}
	return b
}
