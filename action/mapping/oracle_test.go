package mapping

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// oracleCases is testdata/cases.json, written by testdata/gen-cases.mjs
// from Segment's mapping-kit (the oracle).
type oracleCases struct {
	Oracle map[string]string `json:"oracle"`
	Events []string          `json:"events"`
	Cases  []struct {
		Kind    string  `json:"k"`
		Mapping string  `json:"m"`
		Event   int     `json:"e"`
		Out     *string `json:"o"`
		Undef   bool    `json:"u"`
		Err     *string `json:"x"`
	} `json:"cases"`
}

func loadOracleCases(t testing.TB) *oracleCases {
	path := "testdata/cases.json"
	if p := os.Getenv("MAPPING_ORACLE_CASES"); p != "" {
		path = p // a larger offline campaign from gen-cases.mjs (GEN_OUT)
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var oc oracleCases
	require.NoError(t, json.Unmarshal(raw, &oc))
	return &oc
}

func runCase(mapping, event string) ([]byte, error) {
	m, err := Compile(mapping)
	if err != nil {
		return nil, err
	}
	return m.Apply(event)
}

// TestOracleCases requires agreement with the oracle on every generated
// case: both fail, or both succeed with byte-identical JSON. The only
// exceptions are ErrUnsupported errors (the documented deliberate
// differences), counted and reported.
func TestOracleCases(t *testing.T) {
	oc := loadOracleCases(t)
	require.GreaterOrEqual(t, len(oc.Cases), 2500)
	for _, d := range strings.Split(directiveList, ", ") {
		n := 0
		for _, c := range oc.Cases {
			if strings.Contains(c.Mapping, `"`+d+`"`) {
				n++
			}
		}
		require.Greater(t, n, 50, "cases using %s", d)
	}
	var agree, liquidUnsupported, liquidUnsupportedOracleOK, otherUnsupported int
	var failures []string
	for i, c := range oc.Cases {
		out, err := runCase(c.Mapping, oc.Events[c.Event])
		var e *Error
		liquid := errors.Is(err, ErrUnsupported) && errors.As(err, &e) && e.Directive == "@liquid"
		if liquid {
			liquidUnsupported++
		}
		switch {
		case c.Err != nil && err != nil:
			agree++
		case err != nil && errors.Is(err, ErrUnsupported):
			if liquid {
				liquidUnsupportedOracleOK++
			} else {
				otherUnsupported++
				t.Logf("deliberate difference, case %d (%s): %v", i, c.Kind, err)
			}
		case c.Err != nil:
			failures = append(failures, caseReport(i, c.Kind, c.Mapping, oc.Events[c.Event], "oracle error: "+*c.Err, "go: "+string(out)))
		case err != nil:
			failures = append(failures, caseReport(i, c.Kind, c.Mapping, oc.Events[c.Event], "oracle: "+deref(c.Out), "go error: "+err.Error()))
		case c.Undef:
			if out != nil {
				failures = append(failures, caseReport(i, c.Kind, c.Mapping, oc.Events[c.Event], "oracle: undefined", "go: "+string(out)))
			} else {
				agree++
			}
		case string(out) != *c.Out:
			failures = append(failures, caseReport(i, c.Kind, c.Mapping, oc.Events[c.Event], "oracle: "+*c.Out, "go:     "+string(out)))
		default:
			agree++
		}
	}
	t.Logf("oracle %v: %d cases, %d agree, %d failures; deliberate differences: %d @liquid outside the subset (%d of them rendered by the oracle), %d other",
		oc.Oracle, len(oc.Cases), agree, len(failures), liquidUnsupported, liquidUnsupportedOracleOK, otherUnsupported)
	for i, f := range failures {
		if i == 40 {
			t.Errorf("... and %d more", len(failures)-40)
			break
		}
		t.Error(f)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func caseReport(i int, kind, mapping, event, want, got string) string {
	if len(event) > 300 {
		event = event[:300] + "..."
	}
	return "case " + itoa(i) + " (" + kind + ")\n  mapping: " + mapping + "\n  event:   " + event + "\n  " + want + "\n  " + got
}

func readTestdata(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
