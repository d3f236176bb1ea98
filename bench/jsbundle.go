package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildJSBaselines bundles the JS baselines with the repository's pinned
// esbuild, minified like dist/rupt-actions.js:
//
//	segment-path.js     the Segment-path remote plugin (figures 2 to 4)
//	segment-runtime.js  parseFql/validate, transform and getSignals (figure 5)
//	go-exports.js       the shim's binding of the WASM exports, for the cpu page
//
// @segment/actions-core's mapping-kit bundles for the browser as is (its
// ESM build; liquidjs and the rest resolve from node_modules).
func buildJSBaselines(e *env) error {
	esbuild := filepath.Join(e.root, "node_modules", ".bin", "esbuild")
	pages := filepath.Join(e.root, "bench", "testdata", "pages")
	for _, b := range []struct{ in, out string }{
		{"segment-path.src.js", "segment-path.js"},
		{"segment-runtime.src.js", "segment-runtime.js"},
		{"go-exports.src.js", "go-exports.js"},
	} {
		cmd := exec.Command(esbuild, filepath.Join(pages, b.in),
			"--bundle", "--format=iife", "--platform=browser", "--minify", "--legal-comments=none",
			"--target=es2020", "--log-level=warning", "--outfile="+filepath.Join(e.gen, b.out))
		cmd.Dir = e.root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("esbuild %s: %v\n%s", b.in, err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}
