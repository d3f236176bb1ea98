package mapping

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// needString prints a need as sorted paths, "*" for a whole value:
// {"a":*,"c":{"d":*}} → "a c.d".
func needString(n *need) string {
	if n == nil {
		return "*"
	}
	var out []string
	var walk func(n *need, prefix string)
	walk = func(n *need, prefix string) {
		for _, k := range n.kids {
			if k.n == nil {
				out = append(out, prefix+k.key)
				continue
			}
			walk(k.n, prefix+k.key+".")
		}
	}
	walk(n, "")
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestNeedOf(t *testing.T) {
	for _, c := range []struct{ mapping, want string }{
		{ruptDefaults, "context.traits.email context.traits.phone properties.email properties.phone userId"},
		{`{"a":{"@path":"$.x.y"},"b":{"@path":"$.x"}}`, "x"},
		{`{"b":{"@path":"$.x"},"a":{"@path":"$.x.y"}}`, "x"},
		{`{"a":{"@path":"$.properties['first name']"}}`, "properties.first name"},
		{`{"a":{"@path":"$.items[0].sku"}}`, "items.0.sku"},
		{`{"a":"$.literal","b":{"@literal":{"@path":"$.z"}}}`, "z"},
		{`{"a":{"@path":"$.x","_metadata":{"@path":"$.never"}}}`, "x"},
		{`{"a":{"@path":"$.x"},"b":[{"@path":"$.y"},"$.z"]}`, "x y"},
		{`{"a":{"@case":{"operator":"lower","value":{"@path":"$.email"}}}}`, "email"},
		{`{"__segment_internal_directive":{"@merge":{"direction":"left","objects":[{"@path":"$.traits"}]}},"b":{"@path":"$.userId"}}`, "traits userId"},
		{`{"a":{"@transform":{"apply":{"x":{"@path":"$.p"}},"mapping":{"@path":"$.x"}}}}`, "p x"},
		// Unknowable without the event, or the whole event: build it all.
		{`{"a":{"@path":"$."}}`, "*"},
		{`{"a":{"@path":"$"}}`, "$"}, // "$." is stripped, not "$": this reads the key "$"
		{`{"a":{"@path":""}}`, "*"},
		{`{"a":{"@path":".."}}`, "*"},
		{`{"a":{"@path":{"@path":"$.which"}}}`, "*"},
		{`{"a":{"@template":"{{userId}}"}}`, "*"},
		{`{"a":{"@liquid":"{{ userId }}"}}`, "*"},
		{`{"a":{"@arrayPath":["$.products",{"sku":{"@path":"$.id"}}]}}`, "*"},
		{`{"a":{"@if":{"exists":{"@path":"$.x"},"then":{"@template":"{{y}}"}}}}`, "*"},
	} {
		m, err := Compile(c.mapping)
		require.NoError(t, err, c.mapping)
		require.Equal(t, c.want, needString(m.need), c.mapping)
	}
	many := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"a":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"@path":"$.k` + itoa(i) + `"}`)
		}
		return b.String() + `]}`
	}
	require.NotNil(t, MustCompile(many(maxNeedPaths)).need)
	require.Nil(t, MustCompile(many(maxNeedPaths+1)).need, "past maxNeedPaths the whole event is built")
}

// applyBoth applies m as compiled (building only what it needs) and with
// the whole event built, and requires the same answer.
func applyBoth(t testing.TB, m *Mapping, mapping, event string) {
	t.Helper()
	got, gotErr := m.Apply(event)
	full := *m
	full.need = nil
	want, wantErr := full.Apply(event)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) || string(got) != string(want) {
		t.Fatalf("mapping %s\nevent %s\nbuilding what it needs: %q, %v\nbuilding it all:       %q, %v", mapping, event, got, gotErr, want, wantErr)
	}
}

// Events whose unread parts still decide the answer: an error there is an
// error for the whole event, as JSON.parse would throw.
var needEvents = []string{
	pageEvent,
	sampleEvent,
	`{"userId":"u","context":{"traits":{"email":"a@x"}},"junk":{"__proto__":1}}`,
	`{"userId":"u","junk":[{"a":{"__proto__":{}}}]}`,
	`{"userId":"u","junk":` + strings.Repeat(`[`, 130) + strings.Repeat(`]`, 130) + `}`,
	`{"userId":"u","junk":` + strings.Repeat(`{"a":`, 130) + `1` + strings.Repeat(`}`, 130) + `}`,
	`{"userId":"u","junk":{"a":tru}}`,
	`{"userId":"u","junk":[1,2,]}`,
	`{"userId":"u","junk":{"a":1,}}`,
	`{"userId":"u","junk":"\x"}`,
	`{"userId":"u","junk":01}`,
	`{"userId":"u","junk":{"a":1} `,
	`{"userId":"u","junk":{"a":1}} x`,
	`{"userId":"first","userId":"last"}`,
	`{"context":{"traits":{"email":"one"}},"context":{"page":{}}}`,
	`{"\u0075serId":"escaped key","properties":{"email":null,"phone":0}}`,
	`{"userId":["a"],"context":"str","properties":{"email":["x"],"phone":{"n":1}}}`,
	`{"userId":1e400,"context":{"traits":{"email":-0}}}`,
	`{"userId":"\ud800","context":{"traits":{"email":"\udc00x"}}}`,
	`[]`,
	`"text"`,
	`{}`,
}

func TestNeedAppliesLikeFull(t *testing.T) {
	var mappings []string
	for _, rows := range allRows {
		for _, r := range rows {
			mappings = append(mappings, r.mapping)
		}
	}
	mappings = append(mappings, ruptDefaults,
		`{"a":{"@path":"$.junk.a"},"b":{"@path":"$.context.traits.email"}}`,
		`{"a":{"@path":"$.context.traits.email.length"},"b":{"@path":"$.userId.0"}}`,
		`{"a":{"@path":"$.context.toString"}}`,
		`{"a":{"@path":"$.properties.phone.n"}}`)
	n := 0
	for _, mapping := range mappings {
		m, err := Compile(mapping)
		if err != nil {
			continue
		}
		for _, ev := range needEvents {
			applyBoth(t, m, mapping, ev)
			n++
		}
		for _, rows := range allRows {
			for _, r := range rows {
				if r.event != "" {
					applyBoth(t, m, mapping, r.event)
					n++
				}
			}
		}
	}
	oc := loadOracleCases(t)
	for _, c := range oc.Cases {
		m, err := Compile(c.Mapping)
		if err != nil {
			continue
		}
		applyBoth(t, m, c.Mapping, oc.Events[c.Event])
		for _, ev := range needEvents {
			applyBoth(t, m, c.Mapping, ev)
		}
		n++
	}
	require.Greater(t, n, 5000)
}

// parseNeeded must accept and reject exactly what parseJSON does, whatever
// part it builds.
func TestParseNeededSameLanguage(t *testing.T) {
	needs := []*need{nil, skipAll, {}, {kids: []needKid{{key: "userId"}}}, {kids: []needKid{{key: "junk", n: &need{kids: []needKid{{key: "a"}}}}}}}
	texts := append([]string{}, needEvents...)
	for _, s := range needEvents {
		for i := 1; i < len(s); i += 3 {
			texts = append(texts, s[:i], s[:i-1]+s[i:])
		}
	}
	for _, s := range texts {
		_, want := parseJSON(s)
		for _, n := range needs {
			_, got := parseNeeded(s, n)
			if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
				t.Fatalf("%q with need %q: %v, parseJSON: %v", s, needString(n), got, want)
			}
		}
	}
}
