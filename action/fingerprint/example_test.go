package fingerprint_test

import (
	"fmt"

	"rupt-actions-wasm/action/fingerprint"
)

func Example() {
	// JSON.stringify(muteSignals(await getSignals())) as the shim hands it
	// over (abridged): get() = getFuzzyHash(muteSignals(signals)).
	muted := []byte(`{"device":{"isChromiumBrowser":true,"isSafariBrowser":false},` +
		`"language":{"language":"en-US"},"screen":{"width":1920,"height":1080},` +
		`"specifications":{"cpuCores":8}}`)

	hash, err := fingerprint.FuzzyHash(muted, fingerprint.DefaultLength)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(hash), hash[:48])

	short, _ := fingerprint.FuzzyHash(muted, 16)
	fmt.Println(short)
	// Output:
	// 2048 b5bea41b6c623f7c09f1bf24dcae58ebab3c0cdd90ad966b
	// b5fcc528326b2c62
}

func ExampleFuzzyHash() {
	// Keys sort to a, b; per = 4. {"x":true} has 1 key and 4 >= 2*1, so it
	// is hashed recursively: sha256("true")[:4]. [1,2] gives
	// sha256("[1,2]")[:4].
	h, err := fingerprint.FuzzyHash([]byte(`{"b":[1,2],"a":{"x":true}}`), 8)
	fmt.Println(h, err)
	// Output: b5be49a6 <nil>
}
