package fingerprint

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// realSignals is a real getSignals() result from headless Chromium (about
// 127 KB of JSON.stringify output), see testdata/capture-signals.mjs.
func realSignals(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/signals-chromium.json")
	require.NoError(tb, err)
	return bytes.TrimSpace(b)
}

func BenchmarkFuzzyHash(b *testing.B) {
	signals := realSignals(b)
	muted, err := mute(signals)
	require.NoError(b, err)
	b.Run("raw", func(b *testing.B) {
		b.SetBytes(int64(len(signals)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FuzzyHash(signals, DefaultLength); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("muted", func(b *testing.B) {
		b.SetBytes(int64(len(muted)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FuzzyHash(muted, DefaultLength); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The slow path: the same signals pretty-printed.
	var pretty bytes.Buffer
	require.NoError(b, json.Indent(&pretty, muted, "", "  "))
	b.Run("non-canonical", func(b *testing.B) {
		b.SetBytes(int64(pretty.Len()))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FuzzyHash(pretty.Bytes(), DefaultLength); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMute(b *testing.B) {
	signals := realSignals(b)
	b.SetBytes(int64(len(signals)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mute(signals); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRealSignalsHash(t *testing.T) {
	// The capture is also the first oracle vector; here: the SDK's get()
	// pipeline, mute then FuzzyHash, gives a full-length hex string.
	muted, err := mute(realSignals(t))
	require.NoError(t, err)
	h, err := FuzzyHash(muted, DefaultLength)
	require.NoError(t, err)
	require.Len(t, h, DefaultLength)
}
