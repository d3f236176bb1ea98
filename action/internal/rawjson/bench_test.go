package rawjson

import (
	"encoding/json"
	"testing"

	"github.com/tidwall/gjson"
)

var (
	benchStr  string
	benchBool bool
)

// BenchmarkGet reads two fields of a ~1 KB Segment page event, as the
// actions do per event: a string three levels down and a whole object.
func BenchmarkGet(b *testing.B) {
	b.Run("rawjson", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(pageEvent)))
		for b.Loop() {
			ev := Parse(pageEvent)
			benchStr = ev.Get("context.page.path").Str
			benchStr = ev.Get("properties").Raw
		}
	})
	b.Run("gjson", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(pageEvent)))
		for b.Loop() {
			ev := gjson.Parse(pageEvent)
			benchStr = ev.Get("context.page.path").Str
			benchStr = ev.Get("properties").Raw
		}
	})
}

// BenchmarkForEach walks the top level of the page event.
func BenchmarkForEach(b *testing.B) {
	b.Run("rawjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Parse(pageEvent).ForEach(func(k, v Value) bool { benchStr = k.Str; return true })
		}
	})
	b.Run("gjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gjson.Parse(pageEvent).ForEach(func(k, v gjson.Result) bool { benchStr = k.Str; return true })
		}
	})
}

// BenchmarkValid validates the page event.
func BenchmarkValid(b *testing.B) {
	b.Run("rawjson", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(pageEvent)))
		for b.Loop() {
			benchBool = Valid(pageEvent)
		}
	})
	b.Run("gjson", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(pageEvent)))
		for b.Loop() {
			benchBool = gjson.Valid(pageEvent)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(pageEvent)))
		data := []byte(pageEvent)
		for b.Loop() {
			benchBool = json.Valid(data)
		}
	})
}
