package mapping

import "testing"

// BenchmarkApply evaluates the Rupt destination's default mapping
// (account, email, phone) on a typical page event.
func BenchmarkApply(b *testing.B) {
	m := MustCompile(ruptDefaults)
	ev := pageEvent
	b.ReportAllocs()
	b.SetBytes(int64(len(ev)))
	for b.Loop() {
		if _, err := m.Apply(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile validates the Rupt default mapping.
func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(ruptDefaults); err != nil {
			b.Fatal(err)
		}
	}
}
