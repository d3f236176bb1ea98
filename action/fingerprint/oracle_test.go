package fingerprint

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vectorFile is testdata/vectors.json, written by testdata/gen-vectors.mjs
// from the real @ruptjs/fingerprint package.
type vectorFile struct {
	Package string   `json:"package"`
	Lengths []int    `json:"lengths"`
	Vectors []vector `json:"vectors"`
}

type vector struct {
	Name        string   `json:"name"`
	Input       string   `json:"input"`
	Canonical   *string  `json:"canonical"`
	Hashes      []string `json:"hashes"`
	Muted       *string  `json:"muted"`
	MuteError   string   `json:"muteError"`
	MutedHashes []string `json:"mutedHashes"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	require.NoError(t, err, "run: node action/fingerprint/testdata/gen-vectors.mjs")
	var f vectorFile
	require.NoError(t, json.Unmarshal(b, &f))
	require.GreaterOrEqual(t, len(f.Vectors), 300)
	return f
}

// pad restores the trailing zeros the generator trims.
func pad(h string, length int) string {
	return h + strings.Repeat("0", length-len(h))
}

func TestOracleVectors(t *testing.T) {
	f := loadVectors(t)
	t.Logf("%d vectors from %s", len(f.Vectors), f.Package)
	for _, v := range f.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			in := []byte(v.Input)
			canonical := v.Input

			// JSON.stringify output takes the fast path; anything else is
			// rewritten to exactly JSON.stringify(JSON.parse(input)).
			d := &document{data: in}
			require.NoError(t, d.parse())
			if v.Canonical == nil {
				assert.True(t, d.canon, "JSON.stringify output must be recognised as canonical")
			} else {
				canonical = *v.Canonical
				assert.False(t, d.canon)
				assert.Equal(t, canonical, string(canonicalize(in)))
			}

			require.Len(t, v.Hashes, len(f.Lengths))
			for i, length := range f.Lengths {
				got, err := FuzzyHash(in, length)
				require.NoError(t, err)
				assert.Equal(t, pad(v.Hashes[i], length), got, "length %d", length)
			}

			muted, err := mute(in)
			if v.MuteError != "" {
				assert.ErrorIs(t, err, errMute, "the oracle threw %s", v.MuteError)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, v.Muted)
			wantMuted, wantHashes := *v.Muted, v.MutedHashes
			if wantMuted == "=" {
				wantMuted, wantHashes = canonical, v.Hashes
			}
			assert.Equal(t, wantMuted, string(muted))
			require.Len(t, wantHashes, len(f.Lengths))
			for i, length := range f.Lengths {
				got, err := FuzzyHash(muted, length)
				require.NoError(t, err)
				assert.Equal(t, pad(wantHashes[i], length), got, "muted, length %d", length)
			}
		})
	}
}
