package action

import (
	"reflect"
	"testing"

	"github.com/tidwall/gjson"
)

// The fuzz targets feed hostile input to every parser and decision of the
// package; none may panic (in js/wasm a panic would end the Go program).

func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(validSettings))
	f.Add([]byte(presetSettings("")))
	f.Add([]byte(`{"client_id":"c","new_account_url":"javascript:x","subscriptions":"[{\"subscribe\":\"type = 'page'\",\"partnerAction\":\"attach\",\"mapping\":{}}]"}`))
	f.Add([]byte(`{"client_id":1,"secret":"s","api_base":"http://127.0.0.1:1","challenge_hosts":["a",1],"debug":"x","subscriptions":[null,{"enabled":"no"}]}`))
	f.Add([]byte(`{"__proto__":{"client_id":"c"},"constructor":{}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := New(string(raw))
		if err != nil {
			return
		}
		ev := d.Evaluate(pageEvent, Device{Path: "/p", URL: "https://s.example/p"})
		for _, r := range ev.Requests {
			if r.Method != "POST" || r.Headers["Authorization"] != "Basic "+d.Settings.ClientID+":" {
				t.Fatalf("bad request %+v", r)
			}
		}
	})
}

func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(pageEvent), []byte(`{"account":{"@path":"$.userId"}}`), `type = "page"`)
	f.Add([]byte(`{"type":"page","userId":42}`), []byte(`{"account":{"@template":"{{userId}}"},"metadata":{"@path":"$.properties"}}`), `type = 'page' or event = "x"`)
	f.Add([]byte(`{"type":"track","properties":{"a":[1,{"b":null}]}}`), []byte(`{"account":{"@if":{"blank":{"@path":"$.x"},"then":"a","else":"b"}}}`), `properties.a != null`)
	f.Fuzz(func(t *testing.T, event, mapping []byte, query string) {
		settings := `{"client_id":"c","new_account_url":"https://e.com","subscriptions":[{"subscribe":` + quoteJSON(query) + `,"partnerAction":"attach","enabled":true,"mapping":` + string(mapping) + `}]}`
		d, err := New(settings)
		if err != nil {
			return
		}
		// What the shim hands over of the event (Reads) evaluates as
		// the whole event.
		sameEvaluation(t, settings, string(event))
		ev := d.Evaluate(string(event), Device{Path: "/p"})
		for _, r := range ev.Requests {
			checkBodyTypes(t, r.Body())
		}
		// A bad event gets the answer of a check made first, though a
		// matching one is checked only by the mappings' parse.
		if eventProblem(string(event)) != "" {
			if bad := badEvent(string(event)); !reflect.DeepEqual(bad, ev) {
				t.Fatalf("bad event %q: answered %+v, want %+v", event, ev, bad)
			}
		}
	})
}

func FuzzDecide(f *testing.F) {
	f.Add(200, []byte(okAnswer), []byte(`{"action":"challenge","challenge":{"_id":"c"},"url":"https://challenge.rupt.dev/x"}`), "https://s.example/p?rupt_action=logout")
	f.Add(500, []byte(`{"suspended":true}`), []byte(`{"action":"logout","challenge":{"_id":"c"}}`), "javascript:alert(1)")
	f.Add(200, []byte(`{"suspended":true,"access":"a\u0000b"}`), []byte(`{"action":"challenge","challenge":{"_id":"x; y"},"url":"//evil"}`), "")
	s, err := ParseSettings(`{"client_id":"c","new_account_url":"https://e.com/n","logout_url":"https://e.com/o"}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body, live []byte, pageURL string) {
		for _, o := range []Outcome{
			s.DecideAttach(AttachContext{URL: pageURL, Fingerprint: "fp"}, status, string(body)),
			s.DecideLive(string(live), pageURL),
			s.DecidePageLoad(pageURL),
		} {
			if o.Navigate != "" {
				if err := checkPageURL(o.Navigate); err != nil {
					t.Fatalf("navigates to a refused URL %q: %v", o.Navigate, err)
				}
			}
		}
	})
}

// checkBodyTypes fails unless an attach body carries what Rupt's API
// expects: a non-empty string user; strings for email, phone and page; an
// object for metadata. Mapping output of any other type never reaches it.
func checkBodyTypes(t *testing.T, body string) {
	t.Helper()
	b := gjson.Parse(body)
	if u := b.Get("user"); u.Type != gjson.String || u.Str == "" {
		t.Fatalf("user is not a non-empty string: %s", body)
	}
	for _, k := range []string{"email", "phone", "page"} {
		if v := b.Get(k); v.Exists() && (v.Type != gjson.String || v.Str == "") {
			t.Fatalf("%s is not a non-empty string: %s", k, body)
		}
	}
	if m := b.Get("metadata"); m.Exists() && !m.IsObject() {
		t.Fatalf("metadata is not an object: %s", body)
	}
}

// quoteJSON quotes s as a JSON string.
func quoteJSON(s string) string {
	b := []byte{'"'}
	for _, r := range []byte(s) {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', r)
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		default:
			b = append(b, r)
		}
	}
	return string(append(b, '"'))
}
