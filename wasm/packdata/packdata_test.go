package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// module builds a WebAssembly module of the given sections (id, body).
func module(sections ...[]byte) []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		m = append(m, s[0])
		m = appendULEB(m, uint64(len(s)-1))
		m = append(m, s[1:]...)
	}
	return m
}

func dataSection(segs ...segment) []byte {
	return append([]byte{sectionData}, writeSegments(segs)...)
}

// sectionsOf returns the module's sections as id → body, in order.
func sectionsOf(t *testing.T, m []byte) (ids []byte, bodies [][]byte) {
	t.Helper()
	r := reader{b: m, p: 8}
	for r.p < len(m) {
		id := r.byte()
		n := int(r.uleb())
		if r.err != nil {
			t.Fatal(r.err)
		}
		ids = append(ids, id)
		bodies = append(bodies, m[r.p:r.p+n])
		r.p += n
	}
	return ids, bodies
}

func TestPackMergesSmallGaps(t *testing.T) {
	typeSection := []byte{1, 1, 0x60, 0, 0}       // one type: () -> ()
	custom := []byte{0, 4, 'n', 'a', 'm', 'e', 9} // a custom section after data
	segs := []segment{
		{addr: 100, data: []byte{1, 2}},
		{addr: 102, data: []byte{3}},                       // gap 0
		{addr: 110, data: []byte{4, 5}},                    // gap 7
		{addr: 120, data: []byte{6}},                       // gap 8
		{addr: 129, data: []byte{7}},                       // gap 8
		{addr: 200, data: []byte{8, 9, 10}},                // gap 70
		{addr: 70000, data: []byte{11}},                    // gap 69797
		{addr: 70001, data: bytes.Repeat([]byte{12}, 300)}, // a length of two LEB bytes
		{addr: 50, data: []byte{13}},                       // out of order, as Go's linker may write them
	}
	in := module(typeSection, dataSection(segs...), custom)
	for _, tc := range []struct {
		maxGap int
		want   []uint32 // addresses of the packed segments
	}{
		{0, []uint32{50, 100, 110, 120, 129, 200, 70000}},
		{7, []uint32{50, 100, 120, 129, 200, 70000}},
		{8, []uint32{50, 100, 200, 70000}},
		{49, []uint32{50, 200, 70000}},
		{70, []uint32{50, 70000}},
		{MaxGap, []uint32{50, 70000}},
		{1 << 20, []uint32{50}},
	} {
		out, err := Pack(in, tc.maxGap)
		if err != nil {
			t.Fatalf("maxGap %d: %v", tc.maxGap, err)
		}
		ids, bodies := sectionsOf(t, out)
		if !bytes.Equal(ids, []byte{1, sectionData, 0}) {
			t.Fatalf("maxGap %d: sections %v, want the original order [1 11 0]", tc.maxGap, ids)
		}
		if !bytes.Equal(bodies[0], typeSection[1:]) || !bytes.Equal(bodies[2], custom[1:]) {
			t.Errorf("maxGap %d: a section other than data changed", tc.maxGap)
		}
		got, err := readSegments(bodies[1])
		if err != nil {
			t.Fatalf("maxGap %d: the packed data section does not read back: %v", tc.maxGap, err)
		}
		var addrs []uint32
		for _, s := range got {
			addrs = append(addrs, s.addr)
		}
		if !equalAddrs(addrs, tc.want) {
			t.Errorf("maxGap %d: segments at %v, want %v", tc.maxGap, addrs, tc.want)
		}
		if !bytes.Equal(memoryImage(got), memoryImage(segs)) {
			t.Errorf("maxGap %d: the packed module initialises memory differently", tc.maxGap)
		}
	}
}

func equalAddrs(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPackWithoutDataIsUnchanged(t *testing.T) {
	in := module([]byte{1, 1, 0x60, 0, 0})
	out, err := Pack(in, MaxGap)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("Pack = %x, %v; want the module unchanged", out, err)
	}
}

func TestPackRefusesWhatItDoesNotUnderstand(t *testing.T) {
	seg := func(b ...byte) []byte { return append([]byte{sectionData, 1}, b...) }
	for _, tc := range []struct {
		name   string
		module []byte
		want   string
	}{
		{"not wasm", []byte("\x7fELF\x02\x01\x01\x00"), "not a WebAssembly module"},
		{"section past the end", append(module(), sectionData, 50, 0), "runs past the end"},
		{"passive segment", module(seg(1, 1, 7)), "not an active segment of memory 0"},
		{"address from a global", module(seg(0, 0x23, 0, opEnd, 1, 7)), "not an i32.const"},
		{"address expression not constant", module(seg(0, opI32Const, 4, 0x41, 1, opEnd, 1, 7)), "not a constant expression"},
		{"negative address", module(seg(0, opI32Const, 0x7f, opEnd, 1, 7)), "malformed"},
		{"segment longer than the section", module(seg(0, opI32Const, 4, opEnd, 9, 7)), "malformed"},
		{"bytes after the segments", module(append(seg(0, opI32Const, 4, opEnd, 1, 7), 0)), "malformed"},
		{"overlapping segments", module(dataSection(segment{10, []byte{1, 2}}, segment{11, []byte{3}})), "overlap"},
		{"overlapping segments out of order", module(dataSection(segment{11, []byte{3}}, segment{10, []byte{1, 2}})), "overlap"},
		{"data count section", module([]byte{sectionDataCount, 1}, dataSection(segment{10, []byte{1}})), "data count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Pack(tc.module, MaxGap)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Pack = %x, %v; want an error saying %q", out, err, tc.want)
			}
		})
	}
}

func TestLEB128RoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, 127, 128, 8191, 8192, 1<<31 - 1, -1, -64, -65, -1 << 31} {
		r := reader{b: appendSLEB(nil, v)}
		if got := r.sleb(); got != v || r.err != nil || r.p != len(r.b) {
			t.Errorf("sleb(appendSLEB(%d)) = %d, %v", v, got, r.err)
		}
		if v >= 0 {
			r = reader{b: appendULEB(nil, uint64(v))}
			if got := r.uleb(); got != uint64(v) || r.err != nil || r.p != len(r.b) {
				t.Errorf("uleb(appendULEB(%d)) = %d, %v", v, got, r.err)
			}
		}
	}
}

// TestPackTheRealModule packs rupt-actions.wasm as build.sh builds it:
// Pack itself checks that memory starts the same; this checks that the
// segments are nearly all merged and that nothing but the data section
// changed.
func TestPackTheRealModule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rupt-actions.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", path, "..")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the module: %v\n%s", err, out)
	}
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Pack(in, MaxGap)
	if err != nil {
		t.Fatal(err)
	}
	inIDs, inBodies := sectionsOf(t, in)
	outIDs, outBodies := sectionsOf(t, out)
	if !bytes.Equal(inIDs, outIDs) {
		t.Fatalf("sections %v became %v", inIDs, outIDs)
	}
	for i, id := range inIDs {
		if id == sectionData {
			before, err1 := readSegments(inBodies[i])
			after, err2 := readSegments(outBodies[i])
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			t.Logf("%d data segments packed into %d", len(before), len(after))
			if len(before) < 1000 || len(after) > len(before)/100 {
				t.Errorf("%d data segments packed into %d: expected Go's thousands to become a few", len(before), len(after))
			}
		} else if !bytes.Equal(inBodies[i], outBodies[i]) {
			t.Errorf("section %d (id %d) changed", i, id)
		}
	}
}
