package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fileSize is one file's transfer size, raw and compressed.
type fileSize struct {
	Name   string
	Raw    int
	Gzip   int
	Brotli int // -1 when brotli is unavailable
}

// sizeSet is the files one side ships.
type sizeSet struct {
	Files []fileSize
}

func (s sizeSet) total() fileSize {
	t := fileSize{Name: "total"}
	for _, f := range s.Files {
		t.Raw += f.Raw
		t.Gzip += f.Gzip
		if f.Brotli < 0 || t.Brotli < 0 {
			t.Brotli = -1
		} else {
			t.Brotli += f.Brotli
		}
	}
	return t
}

// compressor compresses files the way precompressed assets are made:
// gzip -9 (GNU gzip when installed, else compress/gzip at level 9) and
// brotli at its default quality 11 (the brotli command-line tool).
type compressor struct {
	gzipTool   string // "" → compress/gzip
	brotliTool string // "" → unavailable
}

func newCompressor() compressor {
	var c compressor
	if p, err := exec.LookPath("gzip"); err == nil {
		c.gzipTool = p
	}
	if p, err := exec.LookPath("brotli"); err == nil {
		c.brotliTool = p
	}
	return c
}

func (c compressor) gzipMethod() string {
	if c.gzipTool != "" {
		return "GNU gzip -9 -n"
	}
	return "Go compress/gzip level 9 (gzip not installed)"
}

func (c compressor) brotliMethod() string {
	if c.brotliTool != "" {
		out, _ := exec.Command(c.brotliTool, "--version").CombinedOutput()
		return strings.TrimSpace(string(out)) + " -q 11"
	}
	return "unavailable: install it with `apt-get install -y brotli` (Debian/Ubuntu) or `brew install brotli`"
}

func (c compressor) measure(name, path string) (fileSize, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fileSize{}, err
	}
	fs := fileSize{Name: name, Raw: len(raw), Brotli: -1}
	if c.gzipTool != "" {
		out, err := exec.Command(c.gzipTool, "-9", "-n", "-c", path).Output()
		if err != nil {
			return fs, fmt.Errorf("gzip %s: %w", path, err)
		}
		fs.Gzip = len(out)
	} else {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(raw)
		w.Close()
		fs.Gzip = b.Len()
	}
	if c.brotliTool != "" {
		out, err := exec.Command(c.brotliTool, "-q", "11", "-c", path).Output()
		if err != nil {
			return fs, fmt.Errorf("brotli %s: %w", path, err)
		}
		fs.Brotli = len(out)
	}
	return fs, nil
}

// sizeResult is figure 1 and the byte attribution behind it.
type sizeResult struct {
	Ours, Floor, SegmentPath sizeSet
	Runtime                  sizeSet // the Go runtime alone (bench/floor/runtime), context only
	GzipMethod, BrotliMethod string
	BrotliOK                 bool
	Packages                 []sizeRow // code bytes per package, ours vs floor
	TopFunctions             []sizeRow
	OursLayout, FloorLayout  wasmLayout
	LayoutErr                string
}

// wasmFlags are the build flags of dist/rupt-actions.wasm (build.sh).
var wasmFlags = []string{"-trimpath", `-ldflags=-s -w`}

func goBuildWasm(root, out, pkg string, flags ...string) error {
	args := append([]string{"build"}, flags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// packWasm merges a module's data segments as build.sh does to ours
// (wasm/packdata), so that both sides of figure 1 are built alike.
func packWasm(root, path string) error {
	cmd := exec.Command("go", "run", "./wasm/packdata", path, path)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go run ./wasm/packdata %s: %v\n%s", path, err, out)
	}
	return nil
}

// measureSizes builds the floor (bench/floor) with the same flags as ours,
// packs its data segments as ours are, measures both sides and, from builds that keep the name section, where
// ours' code bytes go.
func measureSizes(e *env) (sizeResult, error) {
	c := newCompressor()
	res := sizeResult{GzipMethod: c.gzipMethod(), BrotliMethod: c.brotliMethod(), BrotliOK: c.brotliTool != ""}
	floorWasm := filepath.Join(e.tmp, "floor.wasm")
	if err := goBuildWasm(e.root, floorWasm, "./bench/floor", wasmFlags...); err != nil {
		return res, err
	}
	runtimeWasm := filepath.Join(e.tmp, "runtime.wasm")
	if err := goBuildWasm(e.root, runtimeWasm, "./bench/floor/runtime", wasmFlags...); err != nil {
		return res, err
	}
	for _, w := range []string{floorWasm, runtimeWasm} {
		if err := packWasm(e.root, w); err != nil {
			return res, err
		}
	}
	wasmExec := filepath.Join(e.goroot, "lib", "wasm", "wasm_exec.js")
	for _, f := range []struct {
		set        *sizeSet
		name, path string
	}{
		{&res.Ours, "rupt-actions.wasm", filepath.Join(e.dist, "rupt-actions.wasm")},
		{&res.Ours, "rupt-actions.js", filepath.Join(e.dist, "rupt-actions.js")},
		{&res.Floor, "floor.wasm (one gjson.Get)", floorWasm},
		{&res.Floor, "wasm_exec.js", wasmExec},
		{&res.Runtime, "runtime.wasm (empty main)", runtimeWasm},
		{&res.Runtime, "wasm_exec.js", wasmExec},
		{&res.SegmentPath, "segment-path plugin (esbuild)", filepath.Join(e.gen, "segment-path.js")},
		{&res.SegmentPath, "rupt.js (Rupt SDK 2.24.1 global build)", filepath.Join(e.root, "node_modules", "rupt", "index.js")},
	} {
		fs, err := c.measure(f.name, f.path)
		if err != nil {
			return res, err
		}
		f.set.Files = append(f.set.Files, fs)
	}

	// Attribution: the same packages built without -s -w (the name section
	// stays; code bytes are the same functions).
	oursFull := filepath.Join(e.tmp, "ours-names.wasm")
	floorFull := filepath.Join(e.tmp, "floor-names.wasm")
	err := goBuildWasm(e.root, oursFull, "./wasm", "-trimpath")
	if err == nil {
		err = goBuildWasm(e.root, floorFull, "./bench/floor", "-trimpath")
	}
	if err == nil {
		res.OursLayout, err = readWasmLayout(oursFull)
	}
	if err == nil {
		res.FloorLayout, err = readWasmLayout(floorFull)
	}
	if err != nil {
		res.LayoutErr = err.Error()
		return res, nil
	}
	var pkgs []string
	for _, p := range []string{"./wasm", "./bench/floor"} {
		deps, err := goListDeps(e.root, p)
		if err != nil {
			res.LayoutErr = err.Error()
			return res, nil
		}
		pkgs = append(pkgs, deps...)
	}
	res.Packages = packageComparison(res.OursLayout, res.FloorLayout, pkgs)
	res.TopFunctions = topFunctions(res.OursLayout, 15)
	return res, nil
}
