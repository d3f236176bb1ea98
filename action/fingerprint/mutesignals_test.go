package fingerprint

import (
	"errors"
	"slices"
	"strings"
)

// This file is @ruptjs/fingerprint's muteSignals in Go, for the tests only:
// the product mutes in the shim (JavaScript, the SDK's own muteSignals) and
// hands FuzzyHash the muted signals. The oracle vectors record both the
// SDK's muted signals and their hashes; mute reproduces the first so that
// the second can be checked, and the benchmarks and the fuzz target hash
// what the shim would send.

// Muted paths per browser family, as @ruptjs/fingerprint 1.0.10's
// muteSignals lists them. "*" stands for every key (or index) at its level.
var (
	// muteChrome lists the paths removed when device.isChromiumBrowser.
	muteChrome = []string{"specifications.connectionDownlink", "language.languages"}
	// muteSafari lists the paths removed when device.isSafariBrowser (and
	// not Chromium).
	muteSafari = []string{"audio.audioFingerprint", "voice.availableVoices",
		"canvas.canvasFingerprint", "screen.width", "screen.height"}
	// muteFirefox lists the paths removed when device.isFirefoxBrowser (and
	// neither of the above).
	muteFirefox = []string{"canvas.canvasFingerprint", "voice.availableVoices",
		"workers.serviceWorkerSupported", "externalDevices.devices.*.deviceId",
		"externalDevices.devices.*.groupId"}
)

// errMute is wrapped by the errors mute returns where the SDK's muteSignals
// throws a TypeError.
var errMute = errors.New("fingerprint: muteSignals would throw a TypeError")

// muteError is an errMute with the reason.
type muteError string

func (e muteError) Error() string { return errMute.Error() + ": " + string(e) }
func (e muteError) Unwrap() error { return errMute }

// mute removes the paths the SDK considers unstable for the browser family
// detected in the signals (device.isChromiumBrowser / isSafariBrowser /
// isFirefoxBrowser, tested in that order for JavaScript truthiness; all
// three lists when none), returning new JSON text with key order preserved.
//
// The result equals JSON.stringify(muteSignals(JSON.parse(signals))) in
// @ruptjs/fingerprint 1.0.10. Like FuzzyHash, input that is not in
// JSON.stringify's form is rewritten into it first. Where muteSignals throws
// a TypeError (signals not an object, device missing or null, a null element
// under a "*"), mute returns an error wrapping errMute.
func mute(signals []byte) ([]byte, error) {
	d, err := load(signals)
	if err != nil {
		return nil, err
	}
	if d.data[0] != '{' {
		return nil, muteError("signals.device of a non-object")
	}
	m := muter{doc: d, cache: map[int32][]member{}}
	top := valueRef{vs: 0, ve: int32(len(d.data)), child: 0}
	dev, ok := m.get(top, "device")
	if !ok || d.isNull(dev) {
		return nil, muteError("signals.device is undefined or null")
	}
	var paths []string
	if flag, ok := m.get(dev, "isChromiumBrowser"); ok && d.truthy(flag) {
		paths = muteChrome
	} else if flag, ok := m.get(dev, "isSafariBrowser"); ok && d.truthy(flag) {
		paths = muteSafari
	} else if flag, ok := m.get(dev, "isFirefoxBrowser"); ok && d.truthy(flag) {
		paths = muteFirefox
	} else {
		paths = slices.Concat(muteChrome, muteSafari, muteFirefox)
	}
	for _, p := range paths {
		if err := m.apply(top, strings.Split(p, ".")); err != nil {
			return nil, err
		}
	}
	return m.output(), nil
}

// valueRef is a value inside a document.
type valueRef struct {
	vs, ve int32
	child  int32 // container index, or -1
}

func (d *document) isNull(v valueRef) bool {
	return v.ve-v.vs == 4 && d.data[v.vs] == 'n'
}

// truthy is JavaScript truthiness of a canonical JSON value: false, null, 0
// and "" are falsy (-0 and 0.0 are canonically 0).
func (d *document) truthy(v valueRef) bool {
	switch string(d.data[v.vs:v.ve]) {
	case "false", "null", "0", `""`:
		return false
	}
	return true
}

type deletion struct {
	ci  int32 // object
	idx int   // member index
}

type muter struct {
	doc     *document
	cache   map[int32][]member
	deleted []deletion
}

func (m *muter) members(ci int32) []member {
	ms, ok := m.cache[ci]
	if !ok {
		ms = m.doc.members(ci, nil)
		m.cache[ci] = ms
	}
	return ms
}

func (m *muter) isDeleted(ci int32, idx int) bool {
	return slices.Contains(m.deleted, deletion{ci, idx})
}

// find returns the index of the live member named key of object v, or -1.
// Keys are canonical, so a plain name matches its bytes exactly.
func (m *muter) find(v valueRef, key string) int {
	if v.child < 0 || m.doc.data[v.vs] != '{' {
		return -1 // arrays and primitives have none of the listed properties
	}
	for i, mb := range m.members(v.child) {
		if string(m.doc.data[mb.ks:mb.ke]) == key && !m.isDeleted(v.child, i) {
			return i
		}
	}
	return -1
}

// get is v[key] for an object v.
func (m *muter) get(v valueRef, key string) (valueRef, bool) {
	i := m.find(v, key)
	if i < 0 {
		return valueRef{}, false
	}
	mb := m.members(v.child)[i]
	return valueRef{mb.vs, mb.ve, mb.child}, true
}

// apply is the SDK's muteSignalsRecurse(v, path).
func (m *muter) apply(v valueRef, path []string) error {
	if len(path) == 0 {
		return nil
	}
	if m.doc.isNull(v) {
		return muteError("a property of null under " + path[0])
	}
	key, rest := path[0], path[1:]
	switch {
	case len(rest) == 0: // delete v[key]; a no-op on arrays and primitives
		if i := m.find(v, key); i >= 0 {
			m.deleted = append(m.deleted, deletion{v.child, i})
		}
	case key == "*": // every own key; strings' characters and numbers give no-ops
		if v.child < 0 {
			return nil
		}
		obj := m.doc.data[v.vs] == '{'
		for i, mb := range m.members(v.child) {
			if obj && m.isDeleted(v.child, i) {
				continue
			}
			if err := m.apply(valueRef{mb.vs, mb.ve, mb.child}, rest); err != nil {
				return err
			}
		}
	default: // v[key] && recurse(v[key], rest)
		if next, ok := m.get(v, key); ok && m.doc.truthy(next) {
			return m.apply(next, rest)
		}
	}
	return nil
}

// output copies the document without the deleted members and their commas.
func (m *muter) output() []byte {
	data := m.doc.data
	type span struct{ from, to int32 }
	var cut []span
	for _, del := range m.deleted {
		ms := m.members(del.ci)
		mb := ms[del.idx]
		if del.idx < len(ms)-1 { // the member and the comma after it
			cut = append(cut, span{mb.ks - 1, ms[del.idx+1].ks - 1})
			continue
		}
		from := mb.ks - 1 // the last member: the comma after the last kept one
		for j := del.idx - 1; j >= 0; j-- {
			if !m.isDeleted(del.ci, j) {
				from = ms[j].ve
				break
			}
		}
		cut = append(cut, span{from, mb.ve})
	}
	slices.SortFunc(cut, func(a, b span) int { return int(a.from - b.from) })
	out := make([]byte, 0, len(data))
	pos := int32(0)
	for _, c := range cut {
		if c.from > pos {
			out = append(out, data[pos:c.from]...)
		}
		pos = max(pos, c.to)
	}
	return append(out, data[pos:]...)
}
