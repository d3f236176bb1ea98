package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// goBenchRow is one line of `go test -bench -benchmem` output.
type goBenchRow struct {
	Name        string
	NsPerOp     float64
	BytesPerOp  float64
	AllocsPerOp float64
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) B/op)?(?:\s+([\d.]+) allocs/op)?`)

// runGoBench runs the engine's native benchmarks (figure 7).
func runGoBench(root string, quick bool) ([]goBenchRow, string, error) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem"}
	if quick {
		args = append(args, "-benchtime", "200ms")
	}
	args = append(args, "./action/")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, runErr := cmd.CombinedOutput()
	command := "go " + strings.Join(args, " ")
	var rows []goBenchRow
	var failed []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "--- FAIL: "); ok {
			failed = append(failed, strings.TrimSpace(name))
		}
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		r := goBenchRow{Name: m[1]}
		r.NsPerOp, _ = strconv.ParseFloat(m[2], 64)
		r.BytesPerOp, _ = strconv.ParseFloat(m[3], 64)
		r.AllocsPerOp, _ = strconv.ParseFloat(m[4], 64)
		rows = append(rows, r)
	}
	if runErr != nil {
		// Keep what ran: the engine is edited while benchmarks run.
		msg := fmt.Sprintf("%s: %v", command, runErr)
		if len(failed) > 0 {
			msg += "; failed: " + strings.Join(failed, ", ")
		}
		return rows, command, fmt.Errorf("%s\n%s", msg, bytes.TrimSpace(out))
	}
	if len(rows) == 0 {
		return nil, command, fmt.Errorf("%s printed no benchmark results:\n%s", command, out)
	}
	return rows, command, nil
}
