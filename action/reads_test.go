package action

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestReads(t *testing.T) {
	for _, c := range []struct{ name, subs, want string }{
		{"preset", "", `{"context":{"traits":{"email":1,"phone":1},"page":{"path":1}},"properties":{"email":1,"phone":1},"userId":1,"type":1}`},
		{"a query reads a whole object", `,{"name":"b","subscribe":"properties.plan = \"pro\" or context.traits exists","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.userId"}}}`,
			`{"context":{"traits":1,"page":{"path":1}},"properties":{"email":1,"phone":1,"plan":1},"userId":1,"type":1}`},
		{"a mapping reads any part", `,{"name":"b","subscribe":"type = \"track\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@template":"{{userId}}"}}}`, ``},
		{"disabled subscriptions read nothing", `,{"name":"b","subscribe":"event = \"x\"","partnerAction":"attach","enabled":false,"mapping":{"account":{"@template":"{{userId}}"}}}`,
			`{"context":{"traits":{"email":1,"phone":1},"page":{"path":1}},"properties":{"email":1,"phone":1},"userId":1,"type":1}`},
	} {
		d, err := New(presetSettings(c.subs))
		require.NoError(t, err, c.name)
		if c.want == "" {
			assert.Empty(t, d.Reads, c.name)
			continue
		}
		assert.JSONEq(t, c.want, d.Reads, c.name)
	}
}

// pick is what the shim hands over of an event (jsbridge/src/api.js):
// the members of objects the reads tree names, in the tree's order (1:
// the whole value); arrays and other values whole. Of a key given twice
// the last value counts, as in JSON.parse.
func pick(event gjson.Result, reads gjson.Result) string {
	if reads.Type == gjson.Number || !event.IsObject() {
		return event.Raw
	}
	b := []byte{'{'}
	reads.ForEach(func(k, sub gjson.Result) bool {
		var found *gjson.Result
		event.ForEach(func(ek, ev gjson.Result) bool {
			if ek.String() == k.String() {
				v := ev
				found = &v
			}
			return true
		})
		if found != nil {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = append(append(append(b, k.Raw...), ':'), pick(*found, sub)...)
		}
		return true
	})
	return string(append(b, '}'))
}

// sameEvaluation fails unless the pruned event evaluates as the whole one.
func sameEvaluation(t testing.TB, settings, event string) {
	t.Helper()
	whole, err := New(settings)
	if err != nil {
		return
	}
	pruned, _ := New(settings)
	if whole.Reads == "" || !gjson.Valid(event) {
		return
	}
	small := pick(gjson.Parse(event), gjson.Parse(whole.Reads))
	a := whole.Evaluate(event, Device{Path: "/p", URL: "https://s.example/p"})
	b := pruned.Evaluate(small, Device{Path: "/p", URL: "https://s.example/p"})
	for _, p := range a.Problems {
		// The limits this implementation puts on events (no "__proto__"
		// key, mapping depth 128) apply only to what it reads: a part no
		// mapping or query reads no longer stops the attach, as it never
		// did in Segment's runtime.
		if strings.Contains(p.Error, `"__proto__"`) || strings.Contains(p.Error, "nested more than") {
			return
		}
	}
	if string(a.AppendJSON(nil)) != string(b.AppendJSON(nil)) || len(a.Requests) != len(b.Requests) {
		t.Fatalf("the event handed over as %s (reads %s) evaluates differently:\n%s\nvs the whole %s:\n%s", small, whole.Reads, b.AppendJSON(nil), event, a.AppendJSON(nil))
	}
	for i := range a.Requests {
		if a.Requests[i].Body() != b.Requests[i].Body() {
			t.Fatalf("bodies differ for %s: %s vs %s", event, a.Requests[i].Body(), b.Requests[i].Body())
		}
	}
}

// TestReadsSuffice: an event cut down to what the destination reads
// evaluates exactly as the whole event (matches, requests and their
// bodies, problems), on every mapping of the mapping-kit corpus and every
// query of the FQL corpus, with their events.
func TestReadsSuffice(t *testing.T) {
	raw, err := os.ReadFile("mapping/testdata/cases.json")
	require.NoError(t, err)
	var mc struct {
		Events []string `json:"events"`
		Cases  []struct {
			Mapping string `json:"m"`
			Event   int    `json:"e"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &mc))
	n := 0
	for _, c := range mc.Cases {
		// The mapping under "account" and under "metadata", so that both
		// its value and the attach it makes are compared.
		s := `{"client_id":"c","new_account_url":"https://e.com/n","subscriptions":[{"subscribe":"event != \"zz\"","partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.userId"},"metadata":` + c.Mapping + `,"email":` + c.Mapping + `}}]}`
		sameEvaluation(t, s, mc.Events[c.Event])
		n++
	}
	raw, err = os.ReadFile("fql/testdata/cases.json")
	require.NoError(t, err)
	var fc struct {
		Cases []struct {
			Query string          `json:"query"`
			Event json.RawMessage `json:"event"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &fc))
	for _, c := range fc.Cases {
		s := `{"client_id":"c","new_account_url":"https://e.com/n","subscriptions":[{"subscribe":` + quoteJSON(c.Query) + `,"partnerAction":"attach","enabled":true,"mapping":{"account":{"@path":"$.userId"},"metadata":{"@path":"$.properties"}}}]}`
		sameEvaluation(t, s, string(c.Event))
		n++
	}
	t.Logf("%d cases compared", n)
}
