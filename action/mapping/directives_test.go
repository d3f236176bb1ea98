package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tcase is one table row: a mapping applied to an event gives want (JSON
// text), or an error wrapping wantErr whose text contains errHas.
type tcase struct {
	name    string
	mapping string
	event   string
	want    string
	wantErr error
	errHas  string
}

const sampleEvent = `{
  "type": "track", "event": "Order Completed", "userId": "straße-42", "anonymousId": "anon",
  "properties": {
    "email": "Props@Example.com", "price": 19.99, "zero": 0, "empty": "", "nul": null, "flag": false,
    "tags": ["a", "b", "c"], "nested": {"a": {"b": 1}, "n": null, "arr": [1, [2, 3], null]},
    "items": [{"id": "sku-1", "price": 5, "color": null}, {"id": "sku-2", "price": 7}],
    "10": "ten", "2": "two", "name": "  Ünïcode ΑΣ  "
  },
  "context": {"traits": {"email": "ctx@example.com", "phone": null}},
  "traits": {"name": "Ada"}
}`

func runTable(t *testing.T, rows []tcase) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			ev := r.event
			if ev == "" {
				ev = sampleEvent
			}
			out, err := runCase(r.mapping, ev)
			if r.wantErr != nil {
				require.Error(t, err, "output: %s", out)
				assert.True(t, errors.Is(err, r.wantErr), "error %v should wrap %v", err, r.wantErr)
				if r.errHas != "" {
					assert.Contains(t, err.Error(), r.errHas)
				}
				var e *Error
				assert.True(t, errors.As(err, &e), "errors are *Error")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, r.want, string(out))
		})
	}
}

var pathRows = []tcase{
	{name: "simple", mapping: `{"a":{"@path":"$.userId"}}`, want: `{"a":"straße-42"}`},
	{name: "without $.", mapping: `{"a":{"@path":"properties.price"}}`, want: `{"a":19.99}`},
	{name: "$. is the whole event", mapping: `{"a":{"@path":"$."}}`, event: `{"x":1}`, want: `{"a":{"x":1}}`},
	{name: "empty is the whole event", mapping: `{"a":{"@path":""}}`, event: `{"x":1}`, want: `{"a":{"x":1}}`},
	{name: "dot is the whole event", mapping: `{"a":{"@path":"."}}`, event: `{"x":1}`, want: `{"a":{"x":1}}`},
	{name: "string length", mapping: `{"a":{"@path":"$.userId.length"}}`, want: `{"a":9}`},
	{name: "string length counts UTF-16 units", mapping: `{"a":{"@path":"$.s.length"}}`, event: `{"s":"a😀"}`, want: `{"a":3}`},
	{name: "string index", mapping: `{"a":{"@path":"$.userId.4"}}`, want: `{"a":"ß"}`},
	{name: "array length", mapping: `{"a":{"@path":"$.properties.tags.length"}}`, want: `{"a":3}`},
	{name: "bracket index", mapping: `{"a":{"@path":"$.properties.items[1].id"}}`, want: `{"a":"sku-2"}`},
	{name: "quoted key", mapping: `{"a":{"@path":"$.properties['email']"}}`, want: `{"a":"Props@Example.com"}`},
	{name: "double-quoted key", mapping: `{"a":{"@path":"$.properties[\"tags\"][2]"}}`, want: `{"a":"c"}`},
	{name: "bracket without quote is a key", mapping: `{"a":{"@path":"$.x[y]"}}`, event: `{"x[y]":5}`, want: `{"a":5}`},
	{name: "missing", mapping: `{"a":{"@path":"$.nope.deeper"}}`, want: `{}`},
	{name: "falsy step is returned", mapping: `{"a":{"@path":"$.properties.zero.x.y"},"b":{"@path":"$.properties.empty.x"},"c":{"@path":"$.properties.nul.x"}}`, want: `{"a":0,"b":"","c":null}`},
	{name: "first $. only", mapping: `{"a":{"@path":"properties.$.price"}}`, want: `{"a":19.99}`},
	{name: "$.. is not recursive descent", mapping: `{"a":{"@path":"$..userId"}}`, want: `{"a":"straße-42"}`},
	{name: "path from a directive", mapping: `{"a":{"@path":{"@template":"$.properties.{{type}}"}}}`, event: `{"type":"x","properties":{"x":1}}`, want: `{"a":1}`},
	{name: "non-string path", mapping: `{"a":{"@path":{"@path":"$.properties.price"}}}`, wantErr: ErrInvalid, errHas: "@path"},
	{name: "number is invalid", mapping: `{"a":{"@path":5}}`, wantErr: ErrInvalid, errHas: "/a/@path"},
	{name: "own constructor key is data", mapping: `{"a":{"@path":"$.p.constructor"}}`, event: `{"p":{"constructor":"mine"}}`, want: `{"a":"mine"}`},
	{name: "array method is refused", mapping: `{"a":{"@path":"$.properties.tags.map"}}`, wantErr: ErrUnsupported, errHas: `"map"`},
	{name: "prototype is refused", mapping: `{"a":{"@path":"$.properties.__proto__"}}`, wantErr: ErrUnsupported, errHas: "__proto__"},
	{name: "string method is refused", mapping: `{"a":{"@path":"$.userId.toUpperCase"}}`, wantErr: ErrUnsupported, errHas: "/a/@path"},
	{name: "number method is refused", mapping: `{"a":{"@path":"$.properties.price.toFixed"}}`, wantErr: ErrUnsupported},
	{name: "method of a falsy value is the value", mapping: `{"a":{"@path":"$.properties.zero.toFixed"}}`, want: `{"a":0}`},
	{name: "unknown key of a string", mapping: `{"a":{"@path":"$.userId.foo"}}`, want: `{}`},
}

func TestPath(t *testing.T) { runTable(t, pathRows) }

var ifRows = []tcase{
	{name: "exists then", mapping: `{"a":{"@if":{"exists":{"@path":"$.userId"},"then":"yes","else":"no"}}}`, want: `{"a":"yes"}`},
	{name: "exists else", mapping: `{"a":{"@if":{"exists":{"@path":"$.nope"},"then":"yes","else":"no"}}}`, want: `{"a":"no"}`},
	{name: "null does not exist", mapping: `{"a":{"@if":{"exists":{"@path":"$.properties.nul"},"then":"yes","else":"no"}}}`, want: `{"a":"no"}`},
	{name: "0 exists", mapping: `{"a":{"@if":{"exists":{"@path":"$.properties.zero"},"then":"yes","else":"no"}}}`, want: `{"a":"yes"}`},
	{name: "else only when truthy: 0", mapping: `{"a":{"@if":{"exists":{"@path":"$.nope"},"then":"yes","else":0}}}`, want: `{}`},
	{name: "else only when truthy: empty", mapping: `{"a":{"@if":{"exists":{"@path":"$.nope"},"then":"yes","else":""}}}`, want: `{}`},
	{name: "then may be falsy", mapping: `{"a":{"@if":{"exists":{"@path":"$.userId"},"then":0,"else":1}}}`, want: `{"a":0}`},
	{name: "no then", mapping: `{"a":{"@if":{"exists":{"@path":"$.userId"},"else":1}}}`, want: `{}`},
	{name: "blank: 0 is blank", mapping: `{"a":{"@if":{"blank":{"@path":"$.properties.zero"},"then":"set","else":"blank"}}}`, want: `{"a":"blank"}`},
	{name: "blank: false is blank", mapping: `{"a":{"@if":{"blank":{"@path":"$.properties.flag"},"then":"set","else":"blank"}}}`, want: `{"a":"blank"}`},
	{name: "blank: [] is blank", mapping: `{"a":{"@if":{"blank":{"@literal":[]},"then":"set","else":"blank"}}}`, want: `{"a":"blank"}`},
	{name: "blank: [null] is blank", mapping: `{"a":{"@if":{"blank":{"@literal":[null]},"then":"set","else":"blank"}}}`, want: `{"a":"blank"}`},
	{name: "blank: [0] is set", mapping: `{"a":{"@if":{"blank":{"@literal":[0]},"then":"set","else":"blank"}}}`, want: `{"a":"set"}`},
	{name: "blank: {} is set", mapping: `{"a":{"@if":{"blank":{"@literal":{}},"then":"set","else":"blank"}}}`, want: `{"a":"set"}`},
	{name: "blank: empty string", mapping: `{"a":{"@if":{"blank":{"@path":"$.properties.empty"},"then":"set","else":"blank"}}}`, want: `{"a":"blank"}`},
	{name: "blank: space is set", mapping: `{"a":{"@if":{"blank":" ","then":"set","else":"blank"}}}`, want: `{"a":"set"}`},
	{name: "exists wins over blank", mapping: `{"a":{"@if":{"exists":{"@path":"$.properties.empty"},"blank":{"@path":"$.properties.empty"},"then":"t","else":"e"}}}`, want: `{"a":"t"}`},
	{name: "literal condition", mapping: `{"a":{"@if":{"exists":"x","then":"t"}}}`, want: `{"a":"t"}`},
	{name: "falsy exists and no blank", mapping: `{"a":{"@if":{"exists":0,"then":"t"}}}`, wantErr: ErrInvalid, errHas: `"exists"`},
	{name: "empty object", mapping: `{"a":{"@if":{}}}`, wantErr: ErrInvalid, errHas: "/a/@if"},
	{name: "not an object", mapping: `{"a":{"@if":"x"}}`, wantErr: ErrInvalid},
	{name: "nested invalid directive", mapping: `{"a":{"@if":{"exists":1,"then":{"x":{"@nope":1}}}}}`, wantErr: ErrInvalid, errHas: "/a/@if/then/x/@nope"},
}

func TestIf(t *testing.T) { runTable(t, ifRows) }

var templateRows = []tcase{
	{name: "simple", mapping: `{"a":{"@template":"Hi {{userId}}!"}}`, want: `{"a":"Hi straße-42!"}`},
	{name: "spaces trimmed", mapping: `{"a":{"@template":"{{ traits.name }}"}}`, want: `{"a":"Ada"}`},
	{name: "triple braces", mapping: `{"a":{"@template":"{{{traits.name}}}"}}`, want: `{"a":"Ada"}`},
	{name: "object", mapping: `{"a":{"@template":"{{properties.nested}}"}}`, want: `{"a":"[object Object]"}`},
	{name: "array like String()", mapping: `{"a":{"@template":"{{properties.nested.arr}}"}}`, want: `{"a":"1,2,3,"}`},
	{name: "missing and null are empty", mapping: `{"a":{"@template":"<{{nope}}|{{properties.nul}}>"}}`, want: `{"a":"<|>"}`},
	{name: "numbers like JS", mapping: `{"a":{"@template":"{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}"}}`, event: `{"a":1e21,"b":0.30000000000000004,"c":-0,"d":1e-7,"e":123456789.5,"f":100}`, want: `{"a":"1e+21 0.30000000000000004 0 1e-7 123456789.5 100"}`},
	{name: "booleans", mapping: `{"a":{"@template":"{{properties.flag}}"}}`, want: `{"a":"false"}`},
	{name: "blank placeholder is the event", mapping: `{"a":{"@template":"{{ }}"}}`, want: `{"a":"[object Object]"}`},
	{name: "no nested braces", mapping: `{"a":{"@template":"{{a}b}}"}}`, want: `{"a":"{{a}b}}"}`},
	{name: "second pass sees first pass output", mapping: `{"a":{"@template":"{{{x}}}"}}`, event: `{"x":"{{y}}","y":"Y"}`, want: `{"a":"Y"}`},
	{name: "values are not patterns", mapping: `{"a":{"@template":"{{x}}"}}`, event: `{"x":"$&$$"}`, want: `{"a":"$&$$"}`},
	{name: "not a string", mapping: `{"a":{"@template":["x"]}}`, wantErr: ErrInvalid},
}

func TestTemplate(t *testing.T) { runTable(t, templateRows) }

var literalRows = []tcase{
	{name: "value", mapping: `{"a":{"@literal":{"x":[1,"y",null]}}}`, want: `{"a":{"x":[1,"y",null]}}`},
	{name: "nested directives still run", mapping: `{"a":{"@literal":{"x":{"@path":"$.traits.name"}}}}`, want: `{"a":{"x":"Ada"}}`},
	{name: "string", mapping: `{"a":{"@literal":"$.userId"}}`, want: `{"a":"$.userId"}`},
	{name: "null", mapping: `{"a":{"@literal":null}}`, want: `{"a":null}`},
}

func TestLiteral(t *testing.T) { runTable(t, literalRows) }

var arrayPathRows = []tcase{
	{name: "shape per item", mapping: `{"a":{"@arrayPath":["$.properties.items",{"sku":{"@path":"$.id"},"c":{"@path":"$.color"}}]}}`, want: `{"a":[{"sku":"sku-1","c":null},{"sku":"sku-2"}]}`},
	{name: "no shape returns the array", mapping: `{"a":{"@arrayPath":["$.properties.tags"]}}`, want: `{"a":["a","b","c"]}`},
	{name: "empty shape returns the array", mapping: `{"a":{"@arrayPath":["$.properties.tags",{}]}}`, want: `{"a":["a","b","c"]}`},
	{name: "object becomes one item", mapping: `{"a":{"@arrayPath":["$.traits",{"n":{"@path":"$.name"}}]}}`, want: `{"a":[{"n":"Ada"}]}`},
	{name: "scalar root returned", mapping: `{"a":{"@arrayPath":["$.userId",{"n":{"@path":"$.name"}}]}}`, want: `{"a":"straße-42"}`},
	{name: "missing root", mapping: `{"a":{"@arrayPath":["$.nope",{"n":{"@path":"$.name"}}]}}`, want: `{}`},
	{name: "items that are strings", mapping: `{"a":{"@arrayPath":["$.properties.tags",{"t":{"@path":"$."}}]}}`, want: `{"a":[{"t":"a"},{"t":"b"},{"t":"c"}]}`},
	{name: "directive path", mapping: `{"a":{"@arrayPath":[{"@path":"$.properties.items"},{"p":{"@path":"$.price"}}]}}`, want: `{"a":[{"p":5},{"p":7}]}`},
	{name: "not an array", mapping: `{"a":{"@arrayPath":"$.x"}}`, wantErr: ErrInvalid},
	{name: "empty array", mapping: `{"a":{"@arrayPath":[]}}`, wantErr: ErrInvalid},
}

func TestArrayPath(t *testing.T) { runTable(t, arrayPathRows) }

var caseRows = []tcase{
	{name: "upper ß", mapping: `{"a":{"@case":{"operator":"upper","value":{"@path":"$.userId"}}}}`, want: `{"a":"STRASSE-42"}`},
	{name: "lower final sigma", mapping: `{"a":{"@case":{"operator":"lower","value":"ΟΔΥΣΣΕΥΣ ΑΣ. Σ"}}}`, want: `{"a":"οδυσσευς ας. σ"}`},
	{name: "lower dotted I", mapping: `{"a":{"@case":{"operator":"lower","value":"İ"}}}`, want: `{"a":"i̇"}`},
	{name: "upper ligature", mapping: `{"a":{"@case":{"operator":"upper","value":"ﬁne ŉ"}}}`, want: `{"a":"FINE ʼN"}`},
	{name: "non-strings pass", mapping: `{"a":{"@case":{"operator":"upper","value":{"@path":"$.properties.price"}}}}`, want: `{"a":19.99}`},
	{name: "no value", mapping: `{"a":{"@case":{"operator":"upper"}}}`, want: `{}`},
	{name: "bad operator on a string", mapping: `{"a":{"@case":{"operator":"UPPER","value":"x"}}}`, wantErr: ErrInvalid},
	{name: "missing operator", mapping: `{"a":{"@case":{"value":"x"}}}`, wantErr: ErrInvalid},
	{name: "number value is invalid", mapping: `{"a":{"@case":{"operator":"upper","value":5}}}`, wantErr: ErrInvalid},
}

func TestCase(t *testing.T) { runTable(t, caseRows) }

var replaceRows = []tcase{
	{name: "global by default", mapping: `{"a":{"@replace":{"pattern":"a","replacement":"o","value":"banana"}}}`, want: `{"a":"bonono"}`},
	{name: "first only", mapping: `{"a":{"@replace":{"pattern":"a","replacement":"o","value":"banana","global":false}}}`, want: `{"a":"bonana"}`},
	{name: "literal pattern", mapping: `{"a":{"@replace":{"pattern":".","replacement":"!","value":"a.b.c"}}}`, want: `{"a":"a!b!c"}`},
	{name: "JS replacement patterns", mapping: "{\"a\":{\"@replace\":{\"pattern\":\"b\",\"replacement\":\"[$&$$$`$']\",\"value\":\"abc\"}}}", want: `{"a":"a[b$ac]c"}`},
	{name: "no groups: $1 stays", mapping: `{"a":{"@replace":{"pattern":"b","replacement":"$1$<x>$","value":"abc"}}}`, want: `{"a":"a$1$<x>$c"}`},
	{name: "ignorecase", mapping: `{"a":{"@replace":{"pattern":"ß","replacement":"ss","value":"STRAßE straße","ignorecase":true}}}`, want: `{"a":"STRAssE strasse"}`},
	{name: "ignorecase sigma", mapping: `{"a":{"@replace":{"pattern":"σ","replacement":"s","value":"ΣσςΣ","ignorecase":true}}}`, want: `{"a":"ssss"}`},
	{name: "second pattern", mapping: `{"a":{"@replace":{"pattern":"a","replacement":"b","pattern2":"b","replacement2":"c","value":"ab"}}}`, want: `{"a":"cc"}`},
	{name: "numbers become strings", mapping: `{"a":{"@replace":{"pattern":".","replacement":",","value":{"@path":"$.properties.price"}}}}`, want: `{"a":"19,99"}`},
	{name: "object value gives empty string", mapping: `{"a":{"@replace":{"pattern":"x","value":{"@path":"$.traits"}}}}`, want: `{"a":""}`},
	{name: "missing value gives empty string", mapping: `{"a":{"@replace":{"pattern":"x","value":{"@path":"$.nope"}}}}`, want: `{"a":""}`},
	{name: "pattern too long", mapping: `{"a":{"@replace":{"pattern":"12345678901","value":"x"}}}`, wantErr: ErrInvalid},
	{name: "replacement too long", mapping: `{"a":{"@replace":{"pattern":"1","replacement":"12345678901","value":"x"}}}`, wantErr: ErrInvalid},
	{name: "pattern required", mapping: `{"a":{"@replace":{"value":"x"}}}`, wantErr: ErrInvalid, errHas: `"pattern"`},
	{name: "global must be boolean", mapping: `{"a":{"@replace":{"pattern":"x","value":"x","global":"yes"}}}`, wantErr: ErrInvalid},
}

func TestReplace(t *testing.T) { runTable(t, replaceRows) }

var jsonRows = []tcase{
	{name: "encode", mapping: `{"a":{"@json":{"mode":"encode","value":{"@path":"$.properties.nested"}}}}`, want: `{"a":"{\"a\":{\"b\":1},\"n\":null,\"arr\":[1,[2,3],null]}"}`},
	{name: "encode string", mapping: `{"a":{"@json":{"mode":"encode","value":"é\"\n\u2028"}}}`, want: "{\"a\":\"\\\"é\\\\\\\"\\\\n\u2028\\\"\"}"},
	{name: "encode missing is undefined", mapping: `{"a":{"@json":{"mode":"encode","value":{"@path":"$.nope"}}}}`, want: `{}`},
	{name: "decode", mapping: `{"a":{"@json":{"mode":"decode","value":"{\"b\":1,\"a\":[true]}"}}}`, want: `{"a":{"b":1,"a":[true]}}`},
	{name: "decode keeps bad JSON", mapping: `{"a":{"@json":{"mode":"decode","value":"{bad"}}}`, want: `{"a":"{bad"}`},
	{name: "decode non-string", mapping: `{"a":{"@json":{"mode":"decode","value":{"@path":"$.properties.price"}}}}`, want: `{"a":19.99}`},
	{name: "other mode (valid in any case) is undefined", mapping: `{"a":{"@json":{"mode":"ENCODE","value":"x"}}}`, want: `{}`},
	{name: "unknown mode", mapping: `{"a":{"@json":{"mode":"zip","value":"x"}}}`, wantErr: ErrInvalid},
	{name: "falsy value", mapping: `{"a":{"@json":{"mode":"encode","value":0}}}`, wantErr: ErrInvalid},
	{name: "decoded __proto__ is refused", mapping: `{"a":{"@json":{"mode":"decode","value":"{\"__proto__\":{}}"}}}`, wantErr: ErrUnsupported},
}

func TestJSON(t *testing.T) { runTable(t, jsonRows) }

var flattenRows = []tcase{
	{name: "object", mapping: `{"a":{"@flatten":{"value":{"@path":"$.properties.nested"},"separator":"."}}}`, want: `{"a":{"a.b":1,"n":null,"arr.0":1,"arr.1.0":2,"arr.1.1":3,"arr.2":null}}`},
	{name: "omit arrays", mapping: `{"a":{"@flatten":{"value":{"@path":"$.properties.nested"},"separator":"_","omitArrays":true}}}`, want: `{"a":{"a_b":1,"n":null,"arr":[1,[2,3],null]}}`},
	{name: "scalar", mapping: `{"a":{"@flatten":{"value":"x","separator":"."}}}`, want: `{"a":{"":"x"}}`},
	{name: "top-level array keys", mapping: `{"a":{"@flatten":{"value":["x",{"y":1}],"separator":"."}}}`, want: `{"a":{"0":"x","1.y":1}}`},
	{name: "collisions keep the first place", mapping: `{"a":{"@flatten":{"value":{"a.b":1,"c":2,"a":{"b":3}},"separator":"."}}}`, want: `{"a":{"a.b":3,"c":2}}`},
	{name: "separator required", mapping: `{"a":{"@flatten":{"value":{}}}}`, wantErr: ErrInvalid},
	{name: "empty separator", mapping: `{"a":{"@flatten":{"value":{},"separator":""}}}`, wantErr: ErrInvalid},
}

func TestFlatten(t *testing.T) { runTable(t, flattenRows) }

var mergeRows = []tcase{
	{name: "right wins", mapping: `{"a":{"@merge":{"direction":"right","objects":[{"x":1,"y":1},{"y":2,"z":2}]}}}`, want: `{"a":{"x":1,"y":2,"z":2}}`},
	{name: "left wins", mapping: `{"a":{"@merge":{"direction":"left","objects":[{"x":1,"y":1},{"y":2,"z":2}]}}}`, want: `{"a":{"y":1,"z":2,"x":1}}`},
	{name: "with paths", mapping: `{"a":{"@merge":{"direction":"right","objects":[{"@path":"$.traits"},{"@path":"$.context.traits"}]}}}`, want: `{"a":{"name":"Ada","email":"ctx@example.com","phone":null}}`},
	{name: "strings spread", mapping: `{"a":{"@merge":{"direction":"right","objects":[{"@path":"$.event"}]}}}`, event: `{"event":"ab"}`, want: `{"a":{"0":"a","1":"b"}}`},
	{name: "undefined overwrites", mapping: `{"a":{"@merge":{"direction":"right","objects":[{"x":1},{"x":{"@path":"$.nope"}}]}}}`, want: `{"a":{}}`},
	{name: "direction required at run time", mapping: `{"a":{"@merge":{"objects":[{}]}}}`, wantErr: ErrInvalid},
	{name: "objects must be objects", mapping: `{"a":{"@merge":{"direction":"left","objects":["x"]}}}`, wantErr: ErrInvalid},
}

func TestMerge(t *testing.T) { runTable(t, mergeRows) }

var transformDirectiveRows = []tcase{
	{name: "apply then map", mapping: `{"a":{"@transform":{"apply":{"n":{"@path":"$.traits.name"}},"mapping":{"hello":{"@template":"hi {{n}}"}}}}}`, want: `{"a":{"hello":"hi Ada"}}`},
	{name: "undefined removed from apply", mapping: `{"a":{"@transform":{"apply":{"n":{"@path":"$.nope"}},"mapping":{"w":{"@path":"$."}}}}}`, want: `{"a":{"w":{}}}`},
	{name: "apply must be an object", mapping: `{"a":{"@transform":{"apply":"x","mapping":{}}}}`, wantErr: ErrInvalid},
	{name: "undefined data defaults to {}", mapping: `{"a":{"@transform":{"apply":{"@path":"$.nope"},"mapping":{"x":{"@transform":{"apply":{"k":1},"mapping":{"k":{"@path":"$.k"}}}}}}}}`, want: `{"a":{"x":{"k":1}}}`},
	{name: "null data is an error", mapping: `{"a":{"@arrayPath":[{"@literal":[null]},{"x":{"@transform":{"apply":{"k":1},"mapping":{"k":{"@path":"$.k"}}}}}]}}`, wantErr: ErrInvalid},
	{name: "root directive", mapping: `{"__segment_internal_directive":{"@transform":{"apply":{"id":{"@path":"$.userId"}}}},"out":{"@path":"$.id"}}`, want: `{"out":"straße-42"}`},
}

func TestTransformDirective(t *testing.T) { runTable(t, transformDirectiveRows) }

var excludeWhenNullRows = []tcase{
	{name: "drops nulls", mapping: `{"a":{"@excludeWhenNull":{"x":null,"y":1,"z":{"w":null,"v":[null]}}}}`, want: `{"a":{"y":1,"z":{"v":[null]}}}`},
	{name: "null becomes undefined", mapping: `{"a":{"@excludeWhenNull":{"@path":"$.properties.nul"}},"b":1}`, want: `{"b":1}`},
	{name: "paths", mapping: `{"a":{"@excludeWhenNull":{"@path":"$.context.traits"}}}`, want: `{"a":{"email":"ctx@example.com"}}`},
}

func TestExcludeWhenNull(t *testing.T) { runTable(t, excludeWhenNullRows) }

var liquidRows = []tcase{
	{name: "variable", mapping: `{"a":{"@liquid":"{{ traits.name }}"}}`, want: `{"a":"Ada"}`},
	{name: "filters", mapping: `{"a":{"@liquid":"{{ properties.name | strip | upcase | append: \"!\" }}"}}`, want: `{"a":"ÜNÏCODE ΑΣ!"}`},
	{name: "default", mapping: `{"a":{"@liquid":"{{ nope | default: \"none\" }}|{{ properties.empty | default: \"e\" }}|{{ properties.zero | default: 1 }}"}}`, want: `{"a":"none|e|0"}`},
	{name: "split and join", mapping: `{"a":{"@liquid":"{{ \"a,b,,\" | split: \",\" | join: \"-\" }}"}}`, want: `{"a":"a-b"}`},
	{name: "size first last", mapping: `{"a":{"@liquid":"{{ properties.tags | size }} {{ properties.tags | first }} {{ properties.tags.last }} {{ userId.size }}"}}`, want: `{"a":"3 a c 9"}`},
	{name: "arrays print joined", mapping: `{"a":{"@liquid":"{{ properties.tags }}"}}`, want: `{"a":"abc"}`},
	{name: "if elsif else", mapping: `{"a":{"@liquid":"{% if properties.price > 100 %}big{% elsif properties.price > 10 %}mid{% else %}small{% endif %}"}}`, want: `{"a":"mid"}`},
	{name: "unless", mapping: `{"a":{"@liquid":"{% unless properties.flag %}off{% else %}on{% endunless %}"}}`, want: `{"a":"off"}`},
	{name: "0 and empty are truthy", mapping: `{"a":{"@liquid":"{% if properties.zero and properties.empty %}yes{% endif %}"}}`, want: `{"a":"yes"}`},
	{name: "contains", mapping: `{"a":{"@liquid":"{% if properties.tags contains \"b\" %}b{% endif %}{% if userId contains \"ß\" %}ß{% endif %}"}}`, want: `{"a":"bß"}`},
	{name: "nil", mapping: `{"a":{"@liquid":"{% if properties.nul == nil and nope == nil %}nil{% endif %}"}}`, want: `{"a":"nil"}`},
	{name: "whitespace control", mapping: `{"a":{"@liquid":"  {{- traits.name -}}  \n!"}}`, want: `{"a":"Ada!"}`},
	{name: "unknown filter passes", mapping: `{"a":{"@liquid":"{{ traits.name | shout }}"}}`, want: `{"a":"Ada"}`},
	{name: "empty template", mapping: `{"a":{"@liquid":""}}`, want: `{"a":""}`},
	{name: "for is disabled", mapping: `{"a":{"@liquid":"{% for x in properties.tags %}{{x}}{% endfor %}"}}`, wantErr: ErrInvalid},
	{name: "unknown tag", mapping: `{"a":{"@liquid":"{% nope %}"}}`, wantErr: ErrInvalid},
	{name: "unclosed output", mapping: `{"a":{"@liquid":"{{ x"}}`, wantErr: ErrInvalid},
	{name: "unclosed if", mapping: `{"a":{"@liquid":"{% if x %}y"}}`, wantErr: ErrInvalid},
	{name: "assign", mapping: `{"a":{"@liquid":"{% assign x = 1 | plus: 2 %}{{ x }}"}}`, want: `{"a":"3"}`},
	{name: "escapes", mapping: `{"a":{"@liquid":"{{ \"a\\\"b\" }}"}}`, want: `{"a":"a\"b"}`},
	{name: "not", mapping: `{"a":{"@liquid":"{% if not x %}y{% endif %}"}}`, want: `{"a":"y"}`},
	{name: "too long", mapping: `{"a":{"@liquid":"` + strings.Repeat("x", 1001) + `"}}`, wantErr: ErrInvalid},
	{name: "must be a string", mapping: `{"a":{"@liquid":{"@path":"$.x"}}}`, wantErr: ErrInvalid},
}

func TestLiquid(t *testing.T) { runTable(t, liquidRows) }

var mappingShapesRows = []tcase{
	{name: "plain values copied", mapping: `{"a":1,"b":[true,null,{"c":"d"}],"e":{"f":{}}}`, want: `{"a":1,"b":[true,null,{"c":"d"}],"e":{"f":{}}}`},
	{name: "JS key order", mapping: `{"b":1,"10":2,"a":3,"2":4,"-1":5,"01":6}`, want: `{"2":4,"10":2,"b":1,"a":3,"-1":5,"01":6}`},
	{name: "top-level string spreads", mapping: `"ab"`, want: `{"0":"a","1":"b"}`},
	{name: "top-level array spreads", mapping: `[{"@path":"$.traits.name"},"x"]`, want: `{"0":"Ada","1":"x"}`},
	{name: "top-level number", mapping: `5`, want: `{}`},
	{name: "top-level null", mapping: `null`, wantErr: ErrInvalid},
	{name: "top-level directive", mapping: `{"@path":"$.traits.name"}`, want: `"Ada"`},
	{name: "top-level directive undefined", mapping: `{"@path":"$.nope"}`, want: ``},
	{name: "_metadata allowed", mapping: `{"a":{"@path":"$.traits.name","_metadata":{"x":1}}}`, want: `{"a":"Ada"}`},
	{name: "extra key", mapping: `{"a":{"@path":"$.userId","x":1}}`, wantErr: ErrInvalid, errHas: "/a"},
	{name: "two directives", mapping: `{"a":{"@path":"$.userId","@template":"x"}}`, wantErr: ErrInvalid},
	{name: "unknown directive", mapping: `{"a":{"@bogus":1}}`, wantErr: ErrInvalid, errHas: "@bogus"},
	{name: "arrays are not validated", mapping: `{"a":[{"@path":"$.traits.name","x":1}]}`, want: `{"a":[{"@path":"$.traits.name","x":1}]}`},
	{name: "directives in arrays run", mapping: `{"a":[{"@path":"$.traits.name"}]}`, want: `{"a":["Ada"]}`},
	{name: "unknown directive in an array fails at run time", mapping: `{"a":[{"@bogus":1}]}`, wantErr: ErrInvalid, errHas: "/a/0/@bogus"},
	{name: "undefined in arrays is null", mapping: `{"a":[{"@path":"$.nope"}]}`, want: `{"a":[null]}`},
	{name: "event must be an object", mapping: `{}`, event: `[1]`, wantErr: ErrInvalid},
	{name: "event must be JSON", mapping: `{}`, event: `{"a":}`, wantErr: ErrInvalid},
	{name: "mapping must be JSON", mapping: `{"a":`, wantErr: ErrInvalid},
	{name: "event __proto__ refused", mapping: `{}`, event: `{"__proto__":{}}`, wantErr: ErrUnsupported},
	{name: "mapping __proto__ refused", mapping: `{"__proto__":1}`, wantErr: ErrUnsupported},
	{name: "duplicate keys: last wins, first place", mapping: `{"a":{"@path":"$.p"}}`, event: `{"p":{"x":1,"y":2,"x":3}}`, want: `{"a":{"x":3,"y":2}}`},
	{name: "escapes and lone surrogates", mapping: `{"a":{"@path":"$.s"},"l":{"@path":"$.s.length"}}`, event: `{"s":"\u00e9\ud83d\ude00\ud800\/"}`, want: `{"a":"é😀\ud800/","l":5}`},
	{name: "huge numbers", mapping: `{"a":{"@path":"$.n"},"b":{"@template":"{{n}}"}}`, event: `{"n":1e400}`, want: `{"a":null,"b":"Infinity"}`},
}

func TestMappingShapes(t *testing.T) { runTable(t, mappingShapesRows) }

func TestDeepAndHostileInput(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1)
	_, err := runCase(`{"x":{"@path":"$."}}`, deep)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnsupported))
	_, err = Compile(deep)
	require.Error(t, err)

	okDeep := strings.Repeat(`[`, maxDepth-1) + strings.Repeat("]", maxDepth-1)
	out, err := runCase(`{"x":{"@path":"$.d"}}`, `{"d":`+okDeep+`}`)
	require.NoError(t, err)
	assert.Equal(t, `{"x":`+okDeep+`}`, string(out))

	_, err = runCase(`{"x":1}`, "{\"a\":\"\xff\"}")
	assert.True(t, errors.Is(err, ErrInvalid), "invalid UTF-8: %v", err)
	_, err = Compile("{\"\xc3\":1}")
	assert.True(t, errors.Is(err, ErrInvalid))

	// Exponential string growth ends with an error.
	m := `"x"`
	for i := 0; i < 12; i++ {
		m = `{"@replace":{"pattern":"x","replacement":"xxxxxxxxxx","value":` + m + `}}`
	}
	_, err = runCase(`{"a":`+m+`}`, `{}`)
	assert.True(t, errors.Is(err, ErrUnsupported), "%v", err)

	// Multiplicative @arrayPath nesting ends with an error.
	items := `{"@literal":[` + strings.Repeat(`{},`, 999) + `{}]}`
	shape := `{"y":1}`
	for i := 0; i < 4; i++ {
		shape = `{"x":{"@arrayPath":[` + items + `,` + shape + `]}}`
	}
	start := time.Now()
	_, err = runCase(`{"a":`+shape+`}`, `{}`)
	assert.True(t, errors.Is(err, ErrUnsupported), "%v", err)
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestErrorMessages(t *testing.T) {
	_, err := Compile(`{"email":{"@if":{"exists":{"@path":"$.a"},"then":{"@case":{"operator":"upper","value":7}}}}}`)
	require.Error(t, err)
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "/email/@if/then/@case/value", e.Path)
	assert.Equal(t, "@case", e.Directive)
	assert.Contains(t, err.Error(), "/email/@if/then/@case/value")
	assert.Contains(t, err.Error(), "string or a directive")

	m := MustCompile(`{"x":{"@arrayPath":["$.items",{"y":{"@path":"$.a.constructor"}}]}}`)
	_, err = m.Apply(`{"items":[{"a":{}}]}`)
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "/x/@arrayPath/1/y/@path", e.Path)
	assert.True(t, errors.Is(err, ErrUnsupported))
}

func TestCaseTablesMatchNode(t *testing.T) {
	var d struct {
		Upper [][2]any `json:"upper"`
		Lower [][2]any `json:"lower"`
	}
	raw, err := readTestdata("jscase.json")
	require.NoError(t, err)
	require.NoError(t, jsonUnmarshal(raw, &d))
	check := func(tab [][2]any, f func(string) string) {
		changed := map[rune]string{}
		for _, e := range tab {
			var s []rune
			for _, r := range e[1].([]any) {
				s = append(s, rune(r.(float64)))
			}
			changed[rune(e[0].(float64))] = string(s)
		}
		for r := rune(0); r < 0x110000; r++ {
			if isSurrogate(r) {
				continue
			}
			want, ok := changed[r]
			if !ok {
				want = string(r)
			}
			if got := f(string(r)); got != want {
				t.Fatalf("U+%04X: got %q, want %q", r, got, want)
			}
		}
	}
	check(d.Upper, jsUpper)
	check(d.Lower, jsLower)
}

// TestNestedDirectivesCompileInLinearTime: each directive is validated
// once. Validating a directive's options as an object and then field by
// field used to double the work per level: 30 nested @if took minutes.
func TestNestedDirectivesCompileInLinearTime(t *testing.T) {
	n := maxDepth/2 - 2
	nestedIf := `{"a":` + strings.Repeat(`{"@if":{"exists":{"@path":"$.x"},"then":`, n/2) + `1` + strings.Repeat(`}}`, n/2) + `}`
	nestedTransform := `{"a":` + strings.Repeat(`{"@transform":{"apply":{},"mapping":{"b":`, n/3) + `1` + strings.Repeat(`}}}`, n/3) + `}`
	for _, m := range []string{nestedIf, nestedTransform} {
		start := time.Now()
		_, err := Compile(m)
		require.NoError(t, err)
		assert.Less(t, time.Since(start), 2*time.Second)
	}
}

// allRows is every table, for fuzz seeds.
var allRows = [][]tcase{pathRows, ifRows, templateRows, literalRows, arrayPathRows, caseRows, replaceRows, jsonRows, flattenRows, mergeRows, transformDirectiveRows, excludeWhenNullRows, liquidRows, mappingShapesRows}
