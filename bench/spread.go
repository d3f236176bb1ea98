package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// sizeSpread builds the .wasm as build.sh does, n times, each with a
// version string one byte longer, packs each, and prints their brotli
// sizes with the median, the smallest and the largest.
//
// A longer version string shifts the data section and changes no code, yet
// it moves the brotli size by up to about 1 KB: WebAssembly code names its
// data by address, so the shift changes constants throughout the code. One
// build's size is one sample of that spread; compare medians when a
// change's size matters (bench/results/2026-12-06-size.md).
func sizeSpread(root string, n int) error {
	c := newCompressor()
	if c.brotliTool == "" {
		return fmt.Errorf("-size-spread needs the brotli tool: %s", c.brotliMethod())
	}
	version, err := packageVersion(root)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "rupt-size-spread-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var sizes []int
	for i := range n {
		v := version + strings.Repeat("+", i)
		path := filepath.Join(tmp, fmt.Sprintf("rupt-actions-%d.wasm", i))
		if err := goBuildWasm(root, path, "./wasm", "-trimpath", "-ldflags=-s -w -X main.version="+v); err != nil {
			return err
		}
		if err := packWasm(root, path); err != nil {
			return err
		}
		fs, err := c.measure(filepath.Base(path), path)
		if err != nil {
			return err
		}
		fmt.Printf("version %-*q  raw %d B  brotli %d B\n", len(version)+n+2, v, fs.Raw, fs.Brotli)
		sizes = append(sizes, fs.Brotli)
	}
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	fmt.Printf("rupt-actions.wasm brotli over %d builds: median %d B, smallest %d B, largest %d B (%s)\n",
		n, sorted[len(sorted)/2], sorted[0], sorted[len(sorted)-1], c.brotliMethod())
	return nil
}

// packageVersion is the version build.sh builds with (jsbridge/package.json).
func packageVersion(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "jsbridge", "package.json"))
	if err != nil {
		return "", err
	}
	var p struct{ Version string }
	if err := json.Unmarshal(b, &p); err != nil || p.Version == "" {
		return "", fmt.Errorf("jsbridge/package.json: no version (%v)", err)
	}
	return p.Version, nil
}
