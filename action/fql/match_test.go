package fql

import "rupt-actions-wasm/action/internal/rawjson"

// Match reports whether the event (raw JSON of a Segment event) satisfies
// the query: MatchResult after validating the JSON, for the tests, which
// mostly start from JSON text. The product validates each event once and
// calls MatchResult.
//
// It returns false for invalid JSON and for the JSON null (validate throws
// on null).
func (q *Query) Match(event []byte) bool {
	if q == nil || q.root == nil {
		return false
	}
	s := string(event)
	if !rawjson.Valid(s) {
		return false
	}
	return q.MatchResult(rawjson.Parse(s))
}
