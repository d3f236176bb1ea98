// Command bench measures the Rupt (Actions) bundle against baselines built
// or loaded in the same run, and prints one table (also written, with the
// machine's facts, to a results file):
//
//  1. transfer size of the wasm + shim JS (gzip -9, brotli) vs a Go
//     syscall/js WASM whose only work is one gjson.Get (bench/floor);
//  2. navigation start → first attach request received by the Rupt
//     simulator, vs the "Segment path" (analytics.js + Segment's Rupt
//     browser destination loading Rupt's SDK): cold (a fresh browser
//     context) and on a repeat visit (a persistent profile, caches kept),
//     and analytics.js's own first delivery; with a waterfall of each;
//  3. SPA: our plugin handed a page view → its attach request started;
//  4. main-thread long tasks during load and five SPA navigations;
//  5. per-event CPU of subscription + mapping + request build vs Segment's
//     JS runtime (@segment/destination-subscriptions + actions-core);
//  6. WASM linear memory after warm-up vs after 10,000 page events;
//  7. the engine's native `go test -bench` figures.
//
// Every page-load figure is measured at each CPU throttling rate of
// -rates (Chromium's Emulation.setCPUThrottlingRate: 1 and 4 by default,
// 4 being what Lighthouse uses for mobile).
//
// Usage (from the repository root, after ./build.sh build; or ./build.sh bench):
//
//	go run ./bench [-runs 10] [-quick] [-loads-only | -cpu-only] [-rates 1,4] [-repeat=false] [-dwell 5s] [-trace DIR] [-js-flags FLAGS] [-out bench/results/<date>.md]
//
// Nothing here is a test: the program reports whether each target is met
// and exits 0 unless it could not measure (no Chromium, no dist/, ...).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// env is where things are and how the run is configured.
type env struct {
	root     string // repository root
	dist     string // snapshot of dist/ taken at start (other builds may rewrite dist/)
	gen      string // generated JS baselines
	tmp      string
	goroot   string
	chromium string
	runs     int
	quick    bool
	start    time.Time
	ops      []string // the contract's operation table (go run ./wasm): rupt_call's numbers
	jsFlags  string   // V8 flags for every Chromium (-js-flags), for experiments
}

// options are the command's flags.
type options struct {
	runs                      int
	quick, loadsOnly, cpuOnly bool
	out                       string
	rates                     []float64
	repeat                    bool
	dwell                     time.Duration
	traceDir                  string
	jsFlags                   string
	profile                   string
}

func main() {
	runs := flag.Int("runs", 10, "page loads per variant (each in a fresh browser context)")
	quick := flag.Bool("quick", false, "smoke mode: 3 page loads per variant, fewer CPU events and repetitions")
	loadsOnly := flag.Bool("loads-only", false, "figures 1 to 4 only (sizes and page loads), for quick comparisons while working on load time")
	cpuOnly := flag.Bool("cpu-only", false, "figures 5 and 6 and the start-up diagnostics only (the cpu page, no sizes, page loads or go test -bench), for quick comparisons while working on per-event cost")
	out := flag.String("out", "", "results file (default bench/results/<UTC date>.md)")
	rates := flag.String("rates", "1,4", "CPU throttling rates the page-load figures are measured at (Emulation.setCPUThrottlingRate; 1 = none, 4 = Lighthouse's mobile)")
	repeat := flag.Bool("repeat", true, "measure repeat visits (a persistent profile per path, a new Chromium per visit); -repeat=false skips them")
	dwell := flag.Duration("dwell", 5*time.Second, "how long the first visit of a repeat-visit profile stays on the page before the browser closes (V8 writes the WebAssembly code cache after the module has run a while)")
	traceDir := flag.String("trace", "", "also trace one more cold load per path and CPU rate (not counted), list its long tasks as the trace shows them, and keep every trace (these and the repeat-visit code-cache checks) in this directory")
	profile := flag.String("profile", "", "also run figure 5's \"ours\" variant once more under V8's sampling profiler, on a build of the .wasm that keeps Go's function names; write the profile (.cpuprofile, for DevTools) to this file and where the time goes into the results")
	spread := flag.Int("size-spread", 0, "only build the .wasm this many times, each with a version string one byte longer (a shift of its data, no change of code), and print the brotli sizes' median and range: one build's size is one sample of a spread about 1 KB wide")
	jsFlags := flag.String("js-flags", "", "V8 flags for every Chromium the bench starts (--js-flags), for experiments such as --wasm-caching-timeout-ms=0; written into the results file")
	flag.Parse()
	testing.Init() // testing.Benchmark outside go test (the native figures)
	if *spread > 0 {
		root, err := findRoot()
		if err == nil {
			err = sizeSpread(root, *spread)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *loadsOnly && *cpuOnly {
		fmt.Fprintln(os.Stderr, "bench: -loads-only and -cpu-only exclude each other")
		os.Exit(2)
	}
	o := options{runs: *runs, quick: *quick, loadsOnly: *loadsOnly, cpuOnly: *cpuOnly, out: *out, repeat: *repeat, dwell: *dwell, traceDir: *traceDir, jsFlags: *jsFlags, profile: *profile}
	for _, f := range strings.Split(*rates, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r < 1 {
			fmt.Fprintf(os.Stderr, "bench: -rates: %q is not a rate of 1 or more\n", f)
			os.Exit(2)
		}
		o.rates = append(o.rates, r)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var logStart = time.Now()

// logf logs a progress line with the time since the start.
func logf(format string, args ...any) {
	d := time.Since(logStart).Round(time.Second)
	fmt.Fprintf(os.Stderr, "bench: [%02d:%02d] "+format+"\n", append([]any{int(d.Minutes()), int(d.Seconds()) % 60}, args...)...)
}

// loadKey names one set of page loads: a path, a CPU throttling rate,
// cold or repeat visits.
type loadKey struct {
	Variant string
	Rate    float64
	Repeat  bool
}

// results is everything one run measured.
type results struct {
	Facts       facts
	Sizes       sizeResult
	Loads       map[loadKey][]loadRun
	LoadErrs    []string
	Rates       []float64
	Repeat      bool // repeat visits measured
	RepeatErrs  []string
	CacheChecks []wasmCacheCheck
	Traced      []tracedLoad // -trace: one more cold load per path and rate
	Dwell       time.Duration
	CPU         *cpuResult
	CPUErr      string
	Mem         *memResult
	MemErr      string
	MemSame     *memResult // one account, a few paths (info)
	Native      *nativeResult
	NativeErr   string
	Profile     *profileResult // -profile
	ProfileErr  string
	Startup     []startupResult
	StartErr    string
	MemWarmup   int
	GoBench     []goBenchRow
	GoCmd       string
	GoErr       string
	Runs        int
	Quick       bool
	CPUOnly     bool // -cpu-only: figures 1 to 4 and 7 not run
}

type facts struct {
	Date     string
	Go       string
	Chromium string
	CPU      string
	OS       string
	Commit   string
	Load     string // load averages at start and end (the machine may be shared)
	JSFlags  string // -js-flags given to Chromium
}

// tracedLoad is a traced cold load (not counted): its long tasks as the
// trace shows them, beside instrument.js's attribution of the same tasks.
type tracedLoad struct {
	Variant   string
	Rate      float64
	TraceFile string
	Tasks     []traceTask
	Page      []attribution
	Err       string
}

func run(o options) error {
	runs, quick, loadsOnly, cpuOnly, out := o.runs, o.quick, o.loadsOnly, o.cpuOnly, o.out
	if quick {
		runs = 3
	}
	if runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	e := &env{runs: runs, quick: quick, start: time.Now().UTC(), jsFlags: o.jsFlags}
	var err error
	if e.root, err = findRoot(); err != nil {
		return err
	}
	if err := checkPrerequisites(e); err != nil {
		return err
	}
	if e.tmp, err = os.MkdirTemp("", "rupt-bench-"); err != nil {
		return err
	}
	defer os.RemoveAll(e.tmp)
	e.gen = filepath.Join(e.tmp, "gen")
	e.dist = filepath.Join(e.tmp, "dist")
	if err := snapshotDist(e); err != nil {
		return err
	}
	if out == "" {
		out = filepath.Join(e.root, "bench", "results", e.start.Format("2006-01-02")+".md")
	}

	res := &results{Runs: runs, Quick: quick, CPUOnly: cpuOnly, Loads: map[loadKey][]loadRun{}, Rates: o.rates, Dwell: o.dwell}
	res.Facts = machineFacts(e)
	res.Facts.JSFlags = o.jsFlags

	logf("bundling the JS baselines with esbuild")
	if err := os.MkdirAll(e.gen, 0o755); err != nil {
		return err
	}
	if err := buildJSBaselines(e); err != nil {
		return err
	}
	if !cpuOnly {
		logf("figure 1: sizes (building bench/floor with %s)", strings.Join(wasmFlags, " "))
		if res.Sizes, err = measureSizes(e); err != nil {
			return err
		}
		if !res.Sizes.BrotliOK {
			logf("brotli is not installed, so brotli sizes are reported as unavailable; install it with: apt-get install -y brotli")
		}
	}

	srv := startServers(e)
	defer srv.close()
	bctx, stop, version, err := startBrowser(e, strings.TrimPrefix(srv.rupt.URL, "https://"), "")
	if err != nil {
		return err
	}
	defer stop()
	res.Facts.Chromium = version

	if !cpuOnly {
		for _, rate := range o.rates {
			logf("figures 2-4 at %g× CPU: %d cold page loads per path, each with %d SPA navigations", rate, runs, spaNavigations)
			for i := 0; i < runs; i++ {
				order := []string{"ours", "segment"}
				if i%2 == 1 {
					order = []string{"segment", "ours"}
				}
				for _, v := range order {
					r, _, err := runLoad(e, bctx, srv, v, i+1, rate, false)
					if err != nil {
						msg := fmt.Sprintf("%s %g× run %d: %v", v, rate, i+1, err)
						logf("%s", msg)
						res.LoadErrs = append(res.LoadErrs, msg)
						continue
					}
					logf("  %-7s %g× run %2d: nav→attach %7.1f ms, SPA (our part) %5.1f ms, long tasks %d (%.0f ms, ours %d), JS calibration %.1f ms",
						v, rate, i+1, r.NavToAtt, median(r.HandToFetch), r.LongCount, r.LongTotal, r.WasmLong, r.Calib)
					k := loadKey{v, rate, false}
					res.Loads[k] = append(res.Loads[k], r)
				}
			}
		}
		if o.repeat {
			logf("figure 2r: repeat visits, %d per path and CPU rate (a persistent profile per path, a new Chromium per visit)", runs)
			res.Repeat = true
			runRepeatVisits(e, srv, o.rates, runs, o.dwell, o.traceDir, res)
		}
		if o.traceDir != "" {
			for _, rate := range o.rates {
				for _, v := range []string{"ours", "segment"} {
					logf("traced cold load (not counted): %s at %g×", v, rate)
					t := tracedLoad{Variant: v, Rate: rate}
					r, evs, err := runLoad(e, bctx, srv, v, 0, rate, true)
					if err != nil {
						t.Err = err.Error()
					} else {
						t.Page = r.Attributed
						t.TraceFile = saveTrace(o.traceDir, fmt.Sprintf("cold-%s-%gx.json", v, rate), evs)
						t.Tasks = traceLongTasks(evs, r.SyncNow)
					}
					res.Traced = append(res.Traced, t)
				}
			}
		}
	}

	if loadsOnly {
		stop()
		return writeResults(res, out)
	}

	events, reps := 10000, 9
	if quick {
		events, reps = 2000, 3
	}
	logf("figure 5: per-event CPU, %d events × %d repetitions per variant", events, reps)
	if c, err := runCPU(bctx, srv, events, reps); err != nil {
		res.CPUErr = err.Error()
		logf("figure 5: %v", err)
	} else {
		res.CPU = &c
		logf("figure 5 (native): the engine on the same sample event and device")
		if n, err := runNative(c.Sample); err != nil {
			res.NativeErr = err.Error()
			logf("native: %v", err)
		} else {
			res.Native = &n
		}
	}
	if o.profile != "" {
		logf("figure 5 (profile): the \"ours\" variant under V8's sampling profiler")
		if p, err := runProfile(e, bctx, srv, o.profile, events, 3); err != nil {
			res.ProfileErr = err.Error()
			logf("profile: %v", err)
		} else {
			res.Profile = &p
		}
	}
	startups := 5
	if quick {
		startups = 2
	}
	logf("start-up diagnostics: %d cold pages", startups)
	for i := 0; i < startups; i++ {
		st, err := runStartup(bctx, srv, 7)
		if err != nil {
			res.StartErr = err.Error()
			logf("start-up: %v", err)
			break
		}
		res.Startup = append(res.Startup, st)
	}
	// Go's heap settles within about 10,000 events (its goal grows in
	// steps while the garbage collector runs alongside the calls); growth
	// after that would be a leak.
	res.MemWarmup = 10000
	extra := 90000
	if quick {
		extra = 20000
	}
	logf("figure 6: WASM memory, %d warm-up then 10000 page events (and %d more)", res.MemWarmup, extra)
	if m, err := runMemory(bctx, srv, res.MemWarmup, 10000, extra, false); err != nil {
		res.MemErr = err.Error()
		logf("figure 6: %v", err)
	} else {
		res.Mem = &m
	}
	if m, err := runMemory(bctx, srv, res.MemWarmup, 10000, extra, true); err != nil {
		res.MemErr += " (one account) " + err.Error()
		logf("figure 6 (one account): %v", err)
	} else {
		res.MemSame = &m
	}
	stop()

	if !cpuOnly {
		logf("figure 7: go test -bench ./action/")
		res.GoBench, res.GoCmd, err = runGoBench(e.root, quick)
		if err != nil {
			res.GoErr = err.Error()
			logf("figure 7: %v", err)
		}
	}

	return writeResults(res, out)
}

// writeResults prints the table and writes the results file.
func writeResults(res *results, out string) error {
	res.Facts.Load += " at start; " + loadAvg() + " at end"
	table := renderTable(res)
	fmt.Println(table)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, []byte(renderResults(res, table)), 0o644); err != nil {
		return err
	}
	logf("results written to %s", out)
	return nil
}

// findRoot finds the repository root (the go.mod of rupt-actions-wasm) from
// the working directory up.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module rupt-actions-wasm") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run bench from the rupt-actions-wasm repository (go run ./bench, or ./build.sh bench)")
		}
		dir = parent
	}
}

func checkPrerequisites(e *env) error {
	for _, p := range []string{"dist/rupt-actions.wasm", "dist/rupt-actions.js", "dist/wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(e.root, p)); err != nil {
			return fmt.Errorf("%s is missing: build first with ./build.sh build (./build.sh bench builds, then runs this)", p)
		}
	}
	for _, p := range []string{
		"node_modules/@segment/analytics-next/dist/umd/standalone.js",
		"node_modules/rupt/index.js",
		"node_modules/.bin/esbuild",
		"node_modules/@segment/destination-subscriptions/package.json",
		"node_modules/@segment/actions-core/package.json",
	} {
		if _, err := os.Stat(filepath.Join(e.root, p)); err != nil {
			return fmt.Errorf("%s is missing: install the pinned npm packages with npm ci (./build.sh build does it)", p)
		}
	}
	for _, c := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			e.chromium = p
			break
		}
	}
	if e.chromium == "" {
		return errors.New("Chromium is required for the benchmarks and was not found; install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	e.goroot = strings.TrimSpace(string(out))
	return nil
}

// snapshotDist copies dist/ so a concurrent ./build.sh build cannot change
// the files mid-run.
func snapshotDist(e *env) error {
	if err := os.MkdirAll(e.dist, 0o755); err != nil {
		return err
	}
	files := []string{"rupt-actions.wasm", "rupt-actions.js", "rupt-actions.mjs", "wasm_exec.js"}
	// rupt-actions.js loads the content-hashed copy of the .wasm.
	hashed, err := filepath.Glob(filepath.Join(e.root, "dist", "rupt-actions.*.wasm"))
	if err != nil {
		return err
	}
	for _, h := range hashed {
		files = append(files, filepath.Base(h))
	}
	for _, f := range files {
		if err := copyFile(filepath.Join(e.root, "dist", f), filepath.Join(e.dist, f)); err != nil && f != "rupt-actions.mjs" {
			return err
		}
		// The precompressed copies, which examples/server sends with
		// Content-Encoding as a CDN does (absent ones are skipped).
		for _, ext := range []string{".br", ".gz"} {
			if _, err := os.Stat(filepath.Join(e.root, "dist", f+ext)); err == nil {
				if err := copyFile(filepath.Join(e.root, "dist", f+ext), filepath.Join(e.dist, f+ext)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func machineFacts(e *env) facts {
	f := facts{Date: e.start.Format("2006-01-02 15:04 UTC"), CPU: "unknown", OS: runtime.GOOS + "/" + runtime.GOARCH}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		f.Go = strings.TrimSpace(string(out))
	} else {
		f.Go = runtime.Version()
	}
	if file, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				f.CPU = strings.TrimSpace(v)
				break
			}
		}
		file.Close()
	}
	f.CPU += fmt.Sprintf(", %d logical CPUs", runtime.NumCPU())
	f.Load = loadAvg()
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		f.OS += ", Linux " + strings.TrimSpace(string(b))
	}
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD")
	cmd.Dir = e.root
	if out, err := cmd.Output(); err == nil {
		f.Commit = strings.TrimSpace(string(out))
		st := exec.Command("git", "status", "--porcelain", "--", "action", "wasm", "jsbridge")
		st.Dir = e.root
		if o, err := st.Output(); err == nil && len(strings.TrimSpace(string(o))) > 0 {
			f.Commit += " (with uncommitted changes in action/, wasm/ or jsbridge/)"
		}
	}
	return f
}

// loadAvg is the 1, 5 and 15 minute load averages (Linux), or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
