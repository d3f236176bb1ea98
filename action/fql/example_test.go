package fql_test

import (
	"fmt"

	"rupt-actions-wasm/action/fql"
	"rupt-actions-wasm/action/internal/rawjson"
)

func Example() {
	q, err := fql.Parse(`type = "track" and (event = "Order Completed" or event = "Signed Up")`)
	if err != nil {
		panic(err)
	}
	// Validate an event once (rawjson.Valid), then test each query.
	fmt.Println(q.MatchResult(rawjson.Parse(`{"type":"track","event":"Signed Up","userId":"u1"}`)))
	fmt.Println(q.MatchResult(rawjson.Parse(`{"type":"page","name":"Home"}`)))

	// Segment's preset quotes with single quotes; we read 'page' as page.
	preset, _ := fql.Parse(`type = 'page'`)
	fmt.Println(preset.MatchResult(rawjson.Parse(`{"type":"page"}`)))

	_, err = fql.Parse(`properties.total>100`)
	fmt.Println(err)
	// Output:
	// true
	// false
	// true
	// fql: unexpected ">" after identifier (add a space?) at offset 16 in "properties.total>100"
}
