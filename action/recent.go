package action

import (
	"strconv"
	"strings"
)

// DuplicateWindow is how long an attach counts as recent: an attach
// identical to one sent less than this long ago, or still waiting for its
// answer, is sent once. Segment's runtime attaches for every matching event;
// this absorbs what no person does (a router or a re-render calling
// analytics.page() twice for one view, machine-speed bursts), while every
// page view a person makes still attaches.
const DuplicateWindow = 2000 // milliseconds

// maxRecent is the size at which the record of attaches starts forgetting
// the ones that are neither recent nor in flight, so memory stays flat
// however long a single-page app lives; it never holds more than four
// times as many (answers that never came back are then all forgotten).
const maxRecent = 256

// recentAttaches remembers the attaches of the last DuplicateWindow and those
// still in flight, by what makes two attaches identical (see attachKey),
// and keeps each attach in flight by its id until Rupt's final answer.
// Times are the shim's clock (Device.At, milliseconds): the moment each
// event arrived, which is when the person made the page view, however long
// the event then waited for Go.
type recentAttaches struct {
	// byKey holds values (16 bytes), not pointers: no allocation per
	// attach. inFlight holds pointers: its entries are big (an attach
	// context), and a map of them, churning through one new key per
	// attach, grew WASM memory by 576 KB in the bench's figure 6.
	byKey    map[string]recentAttach
	inFlight map[int]*inFlight
	nextID   int
	// sweepAt is the record size at which the next sweep of old entries
	// runs: twice what the last sweep left (at least maxRecent), so that
	// sweeping stays constant time per attach however many are in flight.
	sweepAt int
}

type recentAttach struct {
	at       float64
	inFlight int
}

// inFlight is an attach sent and not finally answered: what deciding on
// its answer needs.
type inFlight struct {
	key     string
	context AttachContext
}

func newRecentAttaches() recentAttaches {
	return recentAttaches{byKey: map[string]recentAttach{}, inFlight: map[int]*inFlight{}}
}

// duplicate reports whether an attach with key arrived less than
// DuplicateWindow before at, or is still in flight.
func (r *recentAttaches) duplicate(key string, at float64) bool {
	a, ok := r.byKey[key]
	return ok && (a.inFlight > 0 || recent(a.at, at))
}

// recent reports whether now is less than DuplicateWindow after then; a
// clock that went backwards counts as recent.
func recent(then, now float64) bool { return now-then < DuplicateWindow }

// send records that req, for an event that arrived at at, is sent, and
// returns its id.
func (r *recentAttaches) send(req *AttachRequest, at float64) int {
	if len(r.byKey) >= max(r.sweepAt, maxRecent) {
		r.forget(at)
		r.sweepAt = 2 * len(r.byKey)
	}
	if len(r.byKey) >= 4*maxRecent { // answers that never came back
		r.reset()
		r.sweepAt = 0
	}
	a := r.byKey[req.key]
	r.byKey[req.key] = recentAttach{at: at, inFlight: a.inFlight + 1}
	r.nextID++
	r.inFlight[r.nextID] = &inFlight{key: req.key, context: req.context}
	return r.nextID
}

// done records Rupt's final answer to the attach with id. A failed attach
// is not held against the next identical one, which is sent at once.
func (r *recentAttaches) done(id int, failed bool) {
	f, ok := r.inFlight[id]
	if !ok {
		return
	}
	delete(r.inFlight, id)
	if a, ok := r.byKey[f.key]; ok {
		a.inFlight--
		if failed && a.inFlight == 0 {
			delete(r.byKey, f.key)
		} else {
			r.byKey[f.key] = a
		}
	}
}

// forget drops the attaches that are neither recent nor in flight.
func (r *recentAttaches) forget(now float64) {
	for k, a := range r.byKey {
		if a.inFlight == 0 && !recent(a.at, now) {
			delete(r.byKey, k)
		}
	}
}

// forgetRecent forgets which attaches were sent recently, as at the site's
// logout: the next sign-in attaches at once. Attaches in flight are still
// decided on when their answers come.
func (r *recentAttaches) forgetRecent() { clear(r.byKey) }

// reset forgets everything.
func (r *recentAttaches) reset() {
	clear(r.byKey)
	clear(r.inFlight)
}

// attachKey is what makes two attaches identical: the account and what
// the body carries from the event (page as sent, email, phone, metadata).
// Each part is length-prefixed, so no two different tuples share a key.
func attachKey(account, page, email, phone, metadata string) string {
	var k strings.Builder // one allocation: Grow, then String without a copy
	k.Grow(30 + len(account) + len(page) + len(email) + len(phone) + len(metadata))
	var n [20]byte
	for _, s := range [...]string{account, page, email, phone, metadata} {
		k.Write(strconv.AppendInt(n[:0], int64(len(s)), 10))
		k.WriteByte(':')
		k.WriteString(s)
	}
	return k.String()
}
