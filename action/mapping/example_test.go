package mapping_test

import (
	"fmt"

	"rupt-actions-wasm/action/mapping"
)

func Example() {
	m, err := mapping.Compile(`{
		"account": {"@path": "$.userId"},
		"email": {"@if": {
			"exists": {"@path": "$.context.traits.email"},
			"then": {"@path": "$.context.traits.email"},
			"else": {"@path": "$.properties.email"}
		}},
		"greeting": {"@template": "Hi {{properties.name}}"},
		"shout": {"@case": {"operator": "upper", "value": {"@path": "$.properties.name"}}}
	}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	payload, err := m.Apply(`{"type":"page","userId":"u-1","properties":{"email":"a@example.com","name":"Straße"}}`)
	fmt.Println(string(payload), err)

	_, err = mapping.Compile(`{"email": {"@case": {"operator": "upper", "value": 7}}}`)
	fmt.Println(err)
	// Output:
	// {"account":"u-1","email":"a@example.com","greeting":"Hi Straße","shout":"STRASSE"} <nil>
	// mapping at /email/@case/value: @case: "value" should be a string or a directive (like {"@path": "$.userId"}), but it is a number
}
