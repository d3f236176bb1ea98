package fql

import (
	"testing"

	"rupt-actions-wasm/action/internal/rawjson"
)

// A typical analytics.js page event.
var benchPage = []byte(`{"anonymousId":"2a1f3e9c-7f0b-4c1e-9d55-0d8f7c1e2b3a","context":{"library":{"name":"analytics.js","version":"next-1.70.0"},"locale":"en-US","page":{"path":"/pricing","referrer":"https://www.google.com/","search":"?plan=pro","title":"Pricing - Example","url":"https://www.example.com/pricing?plan=pro"},"userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36","traits":{"email":"alice@example.com"}},"integrations":{},"messageId":"ajs-next-1718000000000-0000","name":"Pricing","properties":{"path":"/pricing","referrer":"https://www.google.com/","search":"?plan=pro","title":"Pricing - Example","url":"https://www.example.com/pricing?plan=pro","plan":"pro","price":49.5},"receivedAt":"2024-06-10T00:00:00.000Z","sentAt":"2024-06-10T00:00:00.000Z","timestamp":"2024-06-10T00:00:00.000Z","type":"page","userId":"u-123"}`)

func BenchmarkMatch(b *testing.B) {
	for _, bc := range []struct{ name, query string }{
		{"simple", `type = "page"`},
		{"complex", `type = "page" and (name = "Home" or name = "Pricing") and properties.price >= 10 and contains(context.page.url, "plan=") and !match(properties.path, "/admin*") and userId != null`},
	} {
		q, err := Parse(bc.query)
		if err != nil {
			b.Fatal(err)
		}
		if !q.Match(benchPage) {
			b.Fatalf("%s does not match", bc.name)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				q.Match(benchPage)
			}
		})
		b.Run(bc.name+"/MatchResult", func(b *testing.B) {
			ev := rawjson.Parse(string(benchPage))
			b.ReportAllocs()
			for b.Loop() {
				q.MatchResult(ev)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`type = "page" and (name = "Home" or name = "Pricing") and properties.price >= 10`); err != nil {
			b.Fatal(err)
		}
	}
}
