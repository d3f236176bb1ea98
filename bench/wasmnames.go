package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
)

// wasmLayout is where a WebAssembly module's bytes go: code bytes per
// function (named from the "name" custom section, present when the module
// was built without -s -w), and the data section's size.
type wasmLayout struct {
	Total     int
	Code      int
	Data      int
	Functions map[string]int // function name → body bytes
}

// packageSizes sums the code bytes per Go package. The wasm linker writes
// function names with every character outside [A-Za-z0-9_.] replaced by
// "_" (cmd/link/internal/wasm: nameRegexp), so "encoding/json.(*d).f"
// becomes "encoding_json.__d_.f": names are matched against the
// sanitised import paths of pkgs, longest first.
func (l wasmLayout) packageSizes(pkgs []string) map[string]int {
	type cand struct{ prefix, path string }
	cands := make([]cand, 0, len(pkgs))
	for _, p := range pkgs {
		cands = append(cands, cand{linkerName.ReplaceAllString(p, "_") + ".", p})
	}
	sort.Slice(cands, func(i, j int) bool { return len(cands[i].prefix) > len(cands[j].prefix) })
	out := map[string]int{}
	for name, n := range l.Functions {
		pkg := ""
		for _, c := range cands {
			if strings.HasPrefix(name, c.prefix) {
				pkg = c.path
				break
			}
		}
		if pkg == "" {
			// Linker-made symbols: type:.eq.*, go:*, wasm_export_* ...
			pkg, _, _ = strings.Cut(name, ".")
			pkg = "(" + pkg + ")"
		}
		out[pkg] += n
	}
	return out
}

// linkerName is the wasm linker's name sanitiser.
var linkerName = regexp.MustCompile(`[^\w.]`)

// goListDeps lists the packages pkg depends on, for js/wasm.
func goListDeps(root, pkg string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w", pkg, err)
	}
	return strings.Fields(string(out)), nil
}

func readWasmLayout(path string) (wasmLayout, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return wasmLayout{}, err
	}
	return parseWasmLayout(b)
}

// parseWasmLayout reads the sections of a module: imports (to number
// functions), code (body sizes), data, and the "name" section.
func parseWasmLayout(b []byte) (wasmLayout, error) {
	l := wasmLayout{Total: len(b), Functions: map[string]int{}}
	if len(b) < 8 || !bytes.Equal(b[:4], []byte("\x00asm")) {
		return l, errors.New("not a WebAssembly module")
	}
	r := &wasmReader{b: b, off: 8}
	importedFuncs := 0
	var bodySizes []int
	names := map[int]string{}
	for r.off < len(r.b) {
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || r.off+size > len(r.b) {
			return l, fmt.Errorf("bad section header at %d", r.off)
		}
		sec := &wasmReader{b: r.b[r.off : r.off+size]}
		r.off += size
		switch id {
		case 2: // imports
			n := int(sec.uleb())
			for i := 0; i < n && sec.err == nil; i++ {
				sec.name()
				sec.name()
				switch sec.byte() {
				case 0:
					sec.uleb()
					importedFuncs++
				case 1:
					sec.byte()
					sec.limits()
				case 2:
					sec.limits()
				case 3:
					sec.byte()
					sec.byte()
				default:
					return l, errors.New("unknown import kind")
				}
			}
		case 10: // code
			l.Code = size
			n := int(sec.uleb())
			for i := 0; i < n && sec.err == nil; i++ {
				sz := int(sec.uleb())
				bodySizes = append(bodySizes, sz)
				sec.off += sz
			}
		case 11: // data
			l.Data = size
		case 0: // custom
			if sec.name() != "name" {
				continue
			}
			for sec.off < len(sec.b) && sec.err == nil {
				sub := sec.byte()
				sz := int(sec.uleb())
				if sub != 1 {
					sec.off += sz
					continue
				}
				end := sec.off + sz
				n := int(sec.uleb())
				for i := 0; i < n && sec.err == nil; i++ {
					idx := int(sec.uleb())
					names[idx] = sec.name()
				}
				sec.off = end
			}
		}
		if sec.err != nil {
			return l, fmt.Errorf("section %d: %w", id, sec.err)
		}
	}
	for i, sz := range bodySizes {
		name, ok := names[importedFuncs+i]
		if !ok {
			name = fmt.Sprintf("(unnamed %d)", importedFuncs+i)
		}
		l.Functions[name] += sz
	}
	return l, nil
}

type wasmReader struct {
	b   []byte
	off int
	err error
}

func (r *wasmReader) byte() byte {
	if r.off >= len(r.b) {
		r.err = errors.New("unexpected end")
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *wasmReader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("bad LEB128")
	return v
}

func (r *wasmReader) name() string {
	n := int(r.uleb())
	if r.err != nil || r.off+n > len(r.b) {
		r.err = errors.New("bad name")
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

func (r *wasmReader) limits() {
	flags := r.byte()
	r.uleb()
	if flags&1 != 0 {
		r.uleb()
	}
}

// sizeRow is one package's code bytes in ours and in the floor build.
type sizeRow struct {
	Package string
	Ours    int
	Floor   int
}

// packageComparison lists the packages of ours by code bytes, with the
// floor's bytes for the same package.
func packageComparison(ours, floor wasmLayout, pkgs []string) []sizeRow {
	op, fp := ours.packageSizes(pkgs), floor.packageSizes(pkgs)
	rows := make([]sizeRow, 0, len(op))
	for p, n := range op {
		rows = append(rows, sizeRow{Package: p, Ours: n, Floor: fp[p]})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Ours != rows[j].Ours {
			return rows[i].Ours > rows[j].Ours
		}
		return rows[i].Package < rows[j].Package
	})
	return rows
}

// topFunctions returns the n largest functions of a layout.
func topFunctions(l wasmLayout, n int) []sizeRow {
	rows := make([]sizeRow, 0, len(l.Functions))
	for f, sz := range l.Functions {
		rows = append(rows, sizeRow{Package: f, Ours: sz})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Ours != rows[j].Ours {
			return rows[i].Ours > rows[j].Ours
		}
		return rows[i].Package < rows[j].Package
	})
	if len(rows) > n {
		rows = rows[:n]
	}
	return rows
}
