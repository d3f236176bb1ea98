package mapping

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

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
	// feature: failing cases
	"filter:date":                239,
	"filter:date_to_long_string": 71,
	"filter:date_to_rfc822":      29,
	"filter:date_to_string":      71,
	"filter:date_to_xmlschema":   29,
	"filter:hmac_sha256":         1,
	"filter:sha256":              1,
	"limit":                      1,
}

// quotedName is the tag or filter a liquidjs error message names.
var quotedName = regexp.MustCompile(`^(tag|filter) "[^"]*"`)

// TestLiquidCorpus (LIQUID_KIND=filter:x reports only the cases of the
// features with that prefix) runs every case of the corpus through Compile and
// Apply: where the oracle renders, the output must be byte-identical;
// where it throws, Apply must fail with ErrInvalid (not ErrUnsupported),
// and a message naming a tag or filter must name the same one.
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
		var why string
		switch {
		case c.Err == nil && err != nil:
			why = "oracle: " + *c.Out + "\n  go error: " + err.Error()
		case c.Err == nil && string(out) != *c.Out:
			why = "oracle: " + *c.Out + "\n  go:     " + string(out)
		case c.Err != nil && err == nil:
			why = "oracle error: " + *c.Err + "\n  go: " + string(out)
		case c.Err != nil && errors.Is(err, ErrUnsupported):
			why = "oracle error: " + *c.Err + "\n  go unsupported: " + err.Error()
		case c.Err != nil:
			if n := quotedName.FindString(*c.Err); n != "" && !strings.Contains(err.Error(), n) {
				why = "oracle error: " + *c.Err + "\n  go error names another: " + err.Error()
			}
		}
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
