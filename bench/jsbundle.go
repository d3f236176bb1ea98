package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
// go-exports.js is built, as jsbridge/build.mjs builds the shim, with the
// contract Go prints on the host (`go run ./wasm`: the operation table and
// the names) defined as __RUPT_CONTRACT__; see contractForBundle.
//
// @segment/actions-core's mapping-kit bundles for the browser as is (its
// ESM build; liquidjs and the rest resolve from node_modules).
func buildJSBaselines(e *env) error {
	contract, err := contractForBundle(e)
	if err != nil {
		return err
	}
	esbuild := filepath.Join(e.root, "node_modules", ".bin", "esbuild")
	pages := filepath.Join(e.root, "bench", "testdata", "pages")
	for _, b := range []struct {
		in, out string
		extra   []string
	}{
		{"segment-path.src.js", "segment-path.js", nil},
		{"segment-runtime.src.js", "segment-runtime.js", nil},
		{"go-exports.src.js", "go-exports.js", []string{"--define:__RUPT_CONTRACT__=" + contract}},
	} {
		args := append([]string{filepath.Join(pages, b.in),
			"--bundle", "--format=iife", "--platform=browser", "--minify", "--legal-comments=none",
			"--target=es2020", "--log-level=warning", "--outfile=" + filepath.Join(e.gen, b.out)}, b.extra...)
		cmd := exec.Command(esbuild, args...)
		cmd.Dir = e.root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("esbuild %s: %v\n%s", b.in, err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// contractForBundle returns the contract JSON `go run ./wasm` prints (what
// jsbridge/build.mjs writes into the shim), after checking that the dist/
// snapshot's shim was built with the same operation table: the cpu page
// calls the snapshot's .wasm by operation number, so a dist/ built from
// another tree would run the wrong operations.
func contractForBundle(e *env) (string, error) {
	cmd := exec.Command("go", "run", "./wasm")
	cmd.Dir = e.root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go run ./wasm (the shim's contract): %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var c struct {
		Ops []string `json:"ops"`
	}
	if err := json.Unmarshal(out, &c); err != nil {
		return "", fmt.Errorf("go run ./wasm printed no contract JSON: %w", err)
	}
	if len(c.Ops) == 0 {
		return "", errors.New("go run ./wasm: the contract lists no operations")
	}
	e.ops = c.Ops
	// esbuild writes the defined array minified, as JSON writes it.
	ops, _ := json.Marshal(c.Ops)
	shim, err := os.ReadFile(filepath.Join(e.dist, "rupt-actions.js"))
	if err != nil {
		return "", err
	}
	if !bytes.Contains(shim, append([]byte("ops:"), ops...)) {
		return "", fmt.Errorf("dist/rupt-actions.js was not built with this tree's operation table %s: build again with ./build.sh build", ops)
	}
	return strings.TrimSpace(string(out)), nil
}
