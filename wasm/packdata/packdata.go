// Command packdata rewrites the data section of the .wasm that Go's linker
// writes, so that it compresses better, without changing what the module
// does.
//
//	go run ./wasm/packdata linked.wasm dist/rupt-actions.wasm
//
// Go's wasm linker leaves out every run of zero bytes in the program's
// initial memory, so the data section of rupt-actions.wasm is about 31,000
// segments, most of them a few bytes long, each behind a header that
// names its address. Those addresses compress badly: the headers cost the
// brotli download about 35 KB. Memory starts zeroed, so merging segments
// whose gap is small (writing the gap's zeros instead of a new header)
// gives the same initial memory; the zeros cost next to nothing
// compressed. The command checks that both modules give the same memory
// before it writes the file.
package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
)

// MaxGap is the longest run of zeros that Pack writes out rather than
// starting a new segment. Larger gaps are rare (the gap between the
// linker's sections); below 4 KiB every gap is cheaper as zeros.
const MaxGap = 4096

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run ./wasm/packdata LINKED.wasm PACKED.wasm")
		os.Exit(2)
	}
	// Two files, not one rewritten in place: go build leaves an output
	// file alone when its build ID says it is up to date, and a packed
	// file keeps the linked one's build ID.
	in, err := os.ReadFile(os.Args[1])
	if err == nil {
		var out []byte
		if out, err = Pack(in, MaxGap); err == nil {
			err = os.WriteFile(os.Args[2], out, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "packdata:", os.Args[1]+":", err)
		os.Exit(1)
	}
}

// Pack returns module with each run of active data segments for memory 0
// whose gaps are at most maxGap bytes merged into one segment. Every other
// section is copied as it is. It refuses, rather than guess, a module
// whose data section it does not fully understand, and checks that the
// packed module initialises memory exactly as the original does.
func Pack(module []byte, maxGap int) ([]byte, error) {
	if len(module) < 8 || !bytes.Equal(module[:4], []byte("\x00asm")) {
		return nil, errors.New("not a WebAssembly module")
	}
	out := append([]byte(nil), module[:8]...)
	var before, after []segment
	r := reader{b: module, p: 8}
	for r.p < len(module) {
		id := r.byte()
		size := r.uleb()
		if r.err != nil || size > uint64(len(module)-r.p) {
			return nil, fmt.Errorf("section at byte %d runs past the end of the module", r.p)
		}
		body := module[r.p : r.p+int(size)]
		r.p += int(size)
		switch id {
		case sectionData:
			var err error
			if before, err = readSegments(body); err != nil {
				return nil, err
			}
			if after, err = merge(before, maxGap); err != nil {
				return nil, err
			}
			body = writeSegments(after)
		case sectionDataCount:
			// The count of data segments, which merging changes; Go's
			// linker writes none today.
			return nil, errors.New("a data count section: not supported, the module was not built by Go's linker")
		}
		out = append(out, id)
		out = appendULEB(out, uint64(len(body)))
		out = append(out, body...)
	}
	if !bytes.Equal(memoryImage(before), memoryImage(after)) {
		return nil, errors.New("the packed segments would initialise memory differently (a bug in packdata)")
	}
	return out, nil
}

const (
	sectionData      = 11
	sectionDataCount = 12
)

// segment is an active data segment of memory 0: data written at addr
// when the module is instantiated.
type segment struct {
	addr uint32
	data []byte
}

// readSegments reads a data section whose segments are all active, for
// memory 0, at constant addresses: what Go's linker writes.
func readSegments(body []byte) ([]segment, error) {
	r := reader{b: body}
	n := r.uleb()
	var segs []segment
	for i := uint64(0); i < n && r.err == nil; i++ {
		kind := r.uleb()
		if kind != 0 {
			return nil, fmt.Errorf("data segment %d is not an active segment of memory 0 (kind %d)", i, kind)
		}
		if r.byte() != opI32Const {
			return nil, fmt.Errorf("data segment %d: its address is not an i32.const", i)
		}
		addr := r.sleb()
		if r.byte() != opEnd {
			return nil, fmt.Errorf("data segment %d: its address is not a constant expression", i)
		}
		size := r.uleb()
		if r.err != nil || size > uint64(len(body)-r.p) || addr < 0 || addr+int64(size) > 1<<32 {
			return nil, fmt.Errorf("data segment %d is malformed", i)
		}
		segs = append(segs, segment{addr: uint32(addr), data: body[r.p : r.p+int(size)]})
		r.p += int(size)
	}
	if r.err != nil || r.p != len(body) {
		return nil, errors.New("the data section is malformed")
	}
	return segs, nil
}

// merge sorts the segments by address and joins neighbours whose gap is
// at most maxGap bytes, writing the gap as zeros. Go's linker writes the
// segments of its sections in an order that is not always the order of
// their addresses; as no two overlap, the order they are applied in does
// not matter.
func merge(segs []segment, maxGap int) ([]segment, error) {
	sorted := slices.Clone(segs)
	slices.SortStableFunc(sorted, func(a, b segment) int { return cmp.Compare(a.addr, b.addr) })
	var out []segment
	for i, s := range sorted {
		if i > 0 {
			if prev := sorted[i-1]; uint64(s.addr) < uint64(prev.addr)+uint64(len(prev.data)) {
				return nil, fmt.Errorf("the data segments at %d and %d overlap", prev.addr, s.addr)
			}
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			end := uint64(last.addr) + uint64(len(last.data))
			if gap := uint64(s.addr) - end; gap <= uint64(maxGap) {
				last.data = append(append(last.data, make([]byte, gap)...), s.data...)
				continue
			}
		}
		out = append(out, segment{addr: s.addr, data: append([]byte(nil), s.data...)})
	}
	return out, nil
}

func writeSegments(segs []segment) []byte {
	b := appendULEB(nil, uint64(len(segs)))
	for _, s := range segs {
		b = append(b, 0, opI32Const)
		b = appendSLEB(b, int64(int32(s.addr)))
		b = append(b, opEnd)
		b = appendULEB(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

// memoryImage is the memory the segments initialise, applied in their
// order, up to the last byte they write.
func memoryImage(segs []segment) []byte {
	end := 0
	for _, s := range segs {
		end = max(end, int(s.addr)+len(s.data))
	}
	mem := make([]byte, end)
	for _, s := range segs {
		copy(mem[s.addr:], s.data)
	}
	return mem
}

const (
	opI32Const = 0x41
	opEnd      = 0x0b
)

// reader reads a module's bytes; the first error sticks and reads after
// it return zero.
type reader struct {
	b   []byte
	p   int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.p >= len(r.b) {
		r.err = errors.New("unexpected end")
		return 0
	}
	c := r.b[r.p]
	r.p++
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("LEB128 number too long")
	return 0
}

func (r *reader) sleb() int64 {
	var v int64
	for shift := uint(0); shift < 64; shift += 7 {
		c := r.byte()
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 < 64 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v
		}
	}
	r.err = errors.New("LEB128 number too long")
	return 0
}

func appendULEB(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
