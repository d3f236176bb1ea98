package mapping

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// liquidCorpus is testdata/liquid.json, written by testdata/gen-liquid.mjs
// from Segment's transform with liquidjs's browser build (the oracle).
type liquidCorpus struct {
	Oracle map[string]string `json:"oracle"`
	Events []string          `json:"events"`
	Cases  []struct {
		Kind     string  `json:"k"`
		Template string  `json:"t"`
		Event    int     `json:"e"`
		Out      *string `json:"o"`
		Err      *string `json:"x"`
	} `json:"cases"`
}

// liquidGaps counts, per feature, the corpus cases @liquid does not yet
// agree on. The counts are exact, so the list only shrinks: a case that
// starts agreeing fails the test until its count is lowered here, and a
// feature missing from the list must agree on every case.
var liquidGaps = map[string]int{
	// feature: failing cases (none now)
}

// quotedName is the tag or filter a liquidjs error message names.
var quotedName = regexp.MustCompile(`^(tag|filter) "[^"]*"`)

// liquidDisagreement says how our answer (out, err) differs from the
// oracle's (its output JSON, or its error message), or "" if it agrees:
// where the oracle renders, the output must be byte-identical; where it
// throws, Apply must fail with ErrInvalid (not ErrUnsupported), and a
// message naming a tag or filter must name the same one.
func liquidDisagreement(oOut, oErr *string, out []byte, err error) string {
	switch {
	case oErr == nil && err != nil:
		return "oracle: " + *oOut + "\n  go error: " + err.Error()
	case oErr == nil && string(out) != *oOut:
		return "oracle: " + *oOut + "\n  go:     " + string(out)
	case oErr != nil && err == nil:
		return "oracle error: " + *oErr + "\n  go: " + string(out)
	case oErr != nil && errors.Is(err, ErrUnsupported):
		return "oracle error: " + *oErr + "\n  go unsupported: " + err.Error()
	case oErr != nil:
		if n := quotedName.FindString(*oErr); n != "" && !strings.Contains(err.Error(), n) {
			return "oracle error: " + *oErr + "\n  go error names another: " + err.Error()
		}
	}
	return ""
}

// TestLiquidCorpus (LIQUID_KIND=filter:x reports only the cases of the
// features with that prefix) runs every case of the corpus through Compile and
// Apply and requires liquidDisagreement to find nothing, but for the
// counted known gaps.
func TestLiquidCorpus(t *testing.T) {
	raw, err := os.ReadFile("testdata/liquid.json")
	require.NoError(t, err)
	var lc liquidCorpus
	require.NoError(t, json.Unmarshal(raw, &lc))
	require.Greater(t, len(lc.Cases), 5000)
	failing := map[string]int{}
	total := map[string]int{}
	var reports []string
	for i, c := range lc.Cases {
		total[c.Kind]++
		tpl, err := json.Marshal(c.Template)
		require.NoError(t, err)
		out, err := runCase(`{"out":{"@liquid":`+string(tpl)+`}}`, lc.Events[c.Event])
		why := liquidDisagreement(c.Out, c.Err, out, err)
		if why == "" {
			continue
		}
		failing[c.Kind]++
		if _, gap := liquidGaps[c.Kind]; (!gap || os.Getenv("LIQUID_KIND") != "") && strings.HasPrefix(c.Kind, os.Getenv("LIQUID_KIND")) {
			reports = append(reports, "case "+itoa(i)+" ("+c.Kind+") event "+itoa(c.Event)+"\n  template: "+string(tpl)+"\n  "+why)
		}
	}
	kinds := make([]string, 0, len(total))
	for k := range total {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var summary strings.Builder
	for _, k := range kinds {
		summary.WriteString("\n  " + k + ": " + itoa(total[k]-failing[k]) + "/" + itoa(total[k]))
		if want, gap := liquidGaps[k]; gap && failing[k] != want {
			t.Errorf("known gap %q: %d failing cases, the list says %d; set it to %d (or remove it at 0)", k, failing[k], want, failing[k])
		}
	}
	for k := range liquidGaps {
		if total[k] == 0 {
			t.Errorf("known gap %q has no cases", k)
		}
	}
	t.Logf("oracle %v: %d cases; agreeing per feature:%s", lc.Oracle, len(lc.Cases), summary.String())
	for i, r := range reports {
		if i == 40 {
			t.Errorf("... and %d more", len(reports)-40)
			break
		}
		t.Error(r)
	}
}

// FuzzLiquid renders arbitrary templates (seeded with the corpus's)
// against the corpus's events: never a panic, only *Error failures, the
// same answer twice. With LIQUID_ORACLE=1 (node and npm ci needed) every
// template also goes to Segment's transform (testdata/gen-liquid.mjs
// --serve), and the answers must agree as in TestLiquidCorpus, but for
// templates we refuse with ErrUnsupported (the known gaps):
//
//	LIQUID_ORACLE=1 go test ./action/mapping -run '^$' -fuzz FuzzLiquid
func FuzzLiquid(f *testing.F) {
	raw, err := os.ReadFile("testdata/liquid.json")
	require.NoError(f, err)
	var lc liquidCorpus
	require.NoError(f, json.Unmarshal(raw, &lc))
	for i := 0; i < len(lc.Cases); i += 5 {
		f.Add(lc.Cases[i].Template, uint8(lc.Cases[i].Event))
	}
	var ask func(t *testing.T, tpl string, ev int) (*string, *string)
	if os.Getenv("LIQUID_ORACLE") == "1" {
		cmd := exec.Command("node", "testdata/gen-liquid.mjs", "--serve")
		in, err := cmd.StdinPipe()
		require.NoError(f, err)
		outPipe, err := cmd.StdoutPipe()
		require.NoError(f, err)
		require.NoError(f, cmd.Start())
		f.Cleanup(func() { in.Close(); cmd.Wait() })
		answers := bufio.NewScanner(outPipe)
		answers.Buffer(nil, 64<<20)
		var mu sync.Mutex
		ask = func(t *testing.T, tpl string, ev int) (*string, *string) {
			mu.Lock()
			defer mu.Unlock()
			q, _ := json.Marshal(map[string]any{"t": tpl, "e": ev})
			_, err := in.Write(append(q, '\n'))
			require.NoError(t, err)
			require.True(t, answers.Scan(), "the oracle stopped: %v", answers.Err())
			var a struct{ O, X *string }
			require.NoError(t, json.Unmarshal(answers.Bytes(), &a))
			return a.O, a.X
		}
	}
	f.Fuzz(func(t *testing.T, tpl string, ev uint8) {
		if !utf8.ValidString(tpl) {
			return // JSON cannot carry it to either side unchanged
		}
		e := int(ev) % len(lc.Events)
		q, _ := json.Marshal(tpl)
		mapping := `{"out":{"@liquid":` + string(q) + `}}`
		out, err := runCase(mapping, lc.Events[e])
		if err != nil {
			var ee *Error
			if !errors.As(err, &ee) {
				t.Fatalf("error is not *Error: %T %v", err, err)
			}
		}
		// sample is random, and a date of "now" or "today" reads the
		// clock: such templates are not compared, with themselves or the
		// oracle.
		if strings.Contains(tpl, "sample") || strings.Contains(tpl, "now") || strings.Contains(tpl, "today") {
			return
		}
		again, err2 := runCase(mapping, lc.Events[e])
		if !bytes.Equal(out, again) || (err == nil) != (err2 == nil) {
			t.Fatalf("a second run differs: %q %v, then %q %v", out, err, again, err2)
		}
		if ask != nil && !errors.Is(err, ErrUnsupported) {
			oOut, oErr := ask(t, tpl, e)
			if why := liquidDisagreement(oOut, oErr, out, err); why != "" {
				t.Fatalf("template %s, event %d:\n  %s", q, e, why)
			}
		}
	})
}

// TestLiquidSample: sample is random in liquidjs too, so its answers are
// checked by what they must be: the input's members (a text's code
// points), as many as count asks (one, unwrapped, when count is 1 or not
// given), each once.
func TestLiquidSample(t *testing.T) {
	event := `{"arr":[1,"b",null,2.5],"s":"héllo😀","empty":[],"n":7}`
	for _, c := range []struct {
		tpl  string
		from []string // the members sample picks among
		n    int      // how many (-1: one, unwrapped)
	}{
		{`{{ arr | sample }}`, []string{"1", "b", "", "2.5"}, -1},
		{`{{ arr | sample: 1 }}`, []string{"1", "b", "", "2.5"}, -1},
		{`{{ arr | sample: 2 | join: "|" }}`, []string{"1", "b", "", "2.5"}, 2},
		{`{{ arr | sample: 9 | join: "|" }}`, []string{"1", "b", "", "2.5"}, 4},
		{`{{ arr | sample: -1 | join: "|" }}`, []string{"1", "b", "", "2.5"}, 3},
		{`{{ arr | sample: "1" | join: "|" }}`, []string{"1", "b", "", "2.5"}, 1},
		{`{{ arr | sample: 0 | join: "|" }}`, nil, 0},
		{`{{ arr | sample: nil | join: "|" }}`, nil, 0},
		{`{{ s | sample }}`, []string{"h", "é", "l", "l", "o", "😀"}, -1},
		{`{{ s | sample: 6 | join: "|" }}`, []string{"h", "é", "l", "l", "o", "😀"}, 6},
		{`{{ n | sample }}`, []string{"7"}, -1},
		{`{{ empty | sample }}`, nil, -1},
		{`{{ missing | sample | size }}`, []string{"0"}, -1},
	} {
		tpl, _ := json.Marshal(c.tpl)
		for run := 0; run < 20; run++ {
			out, err := runCase(`{"out":{"@liquid":`+string(tpl)+`}}`, event)
			require.NoError(t, err, c.tpl)
			var got map[string]string
			require.NoError(t, json.Unmarshal(out, &got))
			text := got["out"]
			if c.n == -1 {
				if c.from == nil {
					require.Equal(t, "", text, c.tpl)
				} else {
					require.Contains(t, c.from, text, c.tpl)
				}
				continue
			}
			parts := strings.Split(text, "|")
			if c.n == 0 {
				require.Equal(t, "", text, c.tpl)
				continue
			}
			require.Len(t, parts, c.n, c.tpl)
			left := append([]string(nil), c.from...)
			for _, p := range parts {
				i := slicesIndex(left, p)
				require.GreaterOrEqual(t, i, 0, "%s: %q is not an unused member of %q", c.tpl, p, c.from)
				left = append(left[:i], left[i+1:]...)
			}
		}
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
