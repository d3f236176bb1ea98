package fql_test

import (
	"fmt"

	"rupt-actions-wasm/action/fql"
)

func Example() {
	q, err := fql.Parse(`type = "track" and (event = "Order Completed" or event = "Signed Up")`)
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Match([]byte(`{"type":"track","event":"Signed Up","userId":"u1"}`)))
	fmt.Println(q.Match([]byte(`{"type":"page","name":"Home"}`)))

	// Segment's preset quotes with single quotes; we read 'page' as page.
	preset, _ := fql.Parse(`type = 'page'`)
	fmt.Println(preset.Match([]byte(`{"type":"page"}`)))

	_, err = fql.Parse(`properties.total>100`)
	fmt.Println(err)
	// Output:
	// true
	// false
	// true
	// fql: unexpected ">" after identifier (add a space?) at offset 16 in "properties.total>100"
}
