package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hx is the reference: lowercase hex SHA-256 by crypto/sha256.
func hx(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func zeros(n int) string { return strings.Repeat("0", n) }

func TestFuzzyHashAlgorithm(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		length int
		want   string
	}{
		{"empty object is all zeros", `{}`, 2048, zeros(2048)},
		{"empty object, length 0", `{}`, 0, ""},
		{"empty object, length 1", `{}`, 1, "0"},
		{"one key, full hash", `{"a":1}`, 64, hx("1")},
		{"one key, short", `{"a":1}`, 10, hx("1")[:10]},
		{"one key, padded", `{"a":1}`, 100, hx("1") + zeros(36)},
		{"one key, length 1", `{"a":1}`, 1, hx("1")[:1]},
		{"length 0", `{"a":1,"b":2}`, 0, ""},
		{"values are hashed as their JSON text", `{"a":"x","b":[1,"y"],"c":null,"d":true}`, 256,
			hx(`"x"`) + hx(`[1,"y"]`) + hx("null") + hx("true")},
		{"surplus trims the first parts", `{"a":1,"b":2,"c":3}`, 100,
			hx("1")[:33] + hx("2")[:33] + hx("3")[:34]},
		{"surplus trims hashes shorter than per", `{"a":1,"b":2,"c":3}`, 200,
			hx("1")[:63] + hx("2") + hx("3") + zeros(9)},
		{"length below the key count", `{"a":1,"b":2,"c":3}`, 1, hx("3")[:1]},
		{"length 2 of 3 keys", `{"a":1,"b":2,"c":3}`, 2, hx("2")[:1] + hx("3")[:1]},
		{"length equal to the key count", `{"a":1,"b":2,"c":3}`, 3, hx("1")[:1] + hx("2")[:1] + hx("3")[:1]},
		{"recursion when per >= 2*keys", `{"a":{"x":1,"y":2}}`, 4, hx("1")[:2] + hx("2")[:2]},
		{"no recursion when per < 2*keys", `{"a":{"x":1,"y":2}}`, 3, hx(`{"x":1,"y":2}`)[:3]},
		{"nested empty object always recurses", `{"a":{},"b":1}`, 64, zeros(32) + hx("1")[:32]},
		{"nested empty object, length 1", `{"a":{},"b":1}`, 1, hx("1")[:1]},
		{"arrays never recurse", `{"a":[1,2]}`, 64, hx("[1,2]")},
		{"empty array is hashed", `{"a":[]}`, 64, hx("[]")},
		{"null is hashed", `{"a":null}`, 64, hx("null")},
		{"recursive part then padding", `{"a":{"x":1},"b":2}`, 300,
			hx("1") + zeros(86) + hx("2") + zeros(86)},
		{"recursive part loses its last character to the surplus", `{"a":{"x":1},"b":2}`, 5,
			hx("1")[:2] + hx("2")[:3]},
		{"keys sort by UTF-16: astral before U+FF01", `{"！":1,"😀":2}`, 128, hx("2") + hx("1")},
		{"keys sort by UTF-16: astral before U+E000", "{\"\ue000\":1,\"\U00010000\":2}", 128, hx("2") + hx("1")},
		{"keys sort by UTF-16: astral after U+D7FF", "{\"\U0001F600\":1,\"\ud7ff\":2}", 128, hx("2") + hx("1")},
		{"two astral keys", "{\"\U0001F601\":1,\"\U0001F600\":2}", 128, hx("2") + hx("1")},
		{"escaped key sorts by its code unit", `{"A":1,"\n":2}`, 128, hx("2") + hx("1")},
		{"lone surrogate keys", `{"\ue000":1,"\ud800":2}`, 128, hx("2") + hx("1")},
		{"lone low surrogate after astral", "{\"\\udfff\":1,\"\U0001F600\":2}", 128, hx("2") + hx("1")},
		{"index keys sort as strings", `{"9":1,"10":2,"a":3}`, 192, hx("2") + hx("1") + hx("3")},
		{"prefix sorts first", `{"ab":1,"a":2}`, 128, hx("2") + hx("1")},
		{"duplicate keys: the last value wins", `{"a":1,"a":2}`, 64, hx("2")},
		{"duplicate keys count once for recursion", `{"o":{"a":1,"a":2,"b":3}}`, 4, hx("2")[:2] + hx("3")[:2]},
		{"whitespace is ignored", " {\n\t\"a\" : [ 1 , 2 ] } ", 64, hx("[1,2]")},
		{"numbers as JavaScript prints them", `{"a":1.0,"b":1E2,"c":-0,"d":1e400,"e":0.1e-6}`, 320,
			hx("1") + hx("100") + hx("0") + hx("null") + hx("1e-7")},
		{"strings re-escaped as JSON.stringify does", `{"a":"\/\u00e9\u001F\ud83d\ude00\uD800"}`, 64,
			hx("\"/é\\u001f😀\\ud800\"")},
		{"index keys moved first inside hashed values", `{"a":{"b":1,"2":2,"1":3}}`, 5, hx(`{"1":3,"2":2,"b":1}`)[:5]},
		{"top-level array: indices sort as strings", `[0,1,2,3,4,5,6,7,8,9,10]`, 11 * 64,
			hx("0") + hx("1") + hx("10") + hx("2") + hx("3") + hx("4") + hx("5") + hx("6") + hx("7") + hx("8") + hx("9")},
		{"top-level empty array", `[]`, 8, zeros(8)},
		{"objects inside a top-level array recurse", `[{"a":1}]`, 64, hx("1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FuzzyHash([]byte(tt.in), tt.length)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Len(t, got, tt.length)
		})
	}
}

func TestFuzzyHashErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		length int
		want   error
	}{
		{"empty input", ``, 64, ErrInvalidJSON},
		{"truncated", `{"a":`, 64, ErrInvalidJSON},
		{"trailing comma", `{"a":1,}`, 64, ErrInvalidJSON},
		{"trailing data", `{} {}`, 64, ErrInvalidJSON},
		{"single quotes", `{'a':1}`, 64, ErrInvalidJSON},
		{"leading zero", `{"a":01}`, 64, ErrInvalidJSON},
		{"bare dot", `{"a":1.}`, 64, ErrInvalidJSON},
		{"plus sign", `{"a":+1}`, 64, ErrInvalidJSON},
		{"NaN", `{"a":NaN}`, 64, ErrInvalidJSON},
		{"control character", "{\"a\":\"\x01\"}", 64, ErrInvalidJSON},
		{"bad escape", `{"a":"\x"}`, 64, ErrInvalidJSON},
		{"short unicode escape", `{"a":"\u12"}`, 64, ErrInvalidJSON},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", 64, ErrInvalidJSON},
		{"UTF-8 encoded surrogate", "{\"a\":\"\xed\xa0\x80\"}", 64, ErrInvalidJSON},
		{"byte order mark", "\ufeff{}", 64, ErrInvalidJSON},
		{"top-level number", `5`, 64, ErrNotObject},
		{"top-level string", `"abc"`, 64, ErrNotObject},
		{"top-level null", `null`, 64, ErrNotObject},
		{"top-level true", `true`, 64, ErrNotObject},
		{"negative length", `{}`, -1, ErrLength},
		{"length too large", `{}`, MaxLength + 1, ErrLength},
		{"too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), 64, ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FuzzyHash([]byte(tt.in), tt.length)
			assert.ErrorIs(t, err, tt.want)
			assert.Empty(t, got)
		})
	}

	t.Run("syntax error offset", func(t *testing.T) {
		_, err := FuzzyHash([]byte(`{"a":1,]`), 64)
		var se *SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 7, se.Offset)
		assert.Contains(t, se.Error(), "offset 7")
	})
	t.Run("deep but within MaxDepth", func(t *testing.T) {
		in := strings.Repeat(`{"a":`, MaxDepth-1) + "{}" + strings.Repeat("}", MaxDepth-1)
		got, err := FuzzyHash([]byte(in), 64)
		require.NoError(t, err)
		assert.Equal(t, zeros(64), got)
	})
	t.Run("too large", func(t *testing.T) {
		_, err := FuzzyHash(make([]byte, MaxInputSize+1), 64)
		assert.ErrorIs(t, err, ErrTooLarge)
	})
}

func TestFuzzyHashHashesValueTexts(t *testing.T) {
	// The JSON texts hashed, in order: sorted keys a, b, c; per 22 and
	// surplus 2, so the parts of a and b lose a character; c (one key)
	// recurses with per 22, and d (one key) with 22 again, down to null.
	in := `{"b":[1,2],"a":"x","c":{"d":{"e":null}}}`
	got, err := FuzzyHash([]byte(in), 64)
	require.NoError(t, err)
	assert.Equal(t, sha256Hex([]byte(`"x"`))[:21]+sha256Hex([]byte(`[1,2]`))[:21]+sha256Hex([]byte(`null`))[:22], got)
}

var point1, point2 = 0.1, 0.2 // variables: constant arithmetic is exact

func TestJSNumber(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{1.5, "1.5"},
		{100, "100"},
		{point1 + point2, "0.30000000000000004"},
		{1e21, "1e+21"},
		{999999999999999900000, "999999999999999900000"},
		{1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"},
		{1e-7, "1e-7"},
		{1.5e-7, "1.5e-7"},
		{1e-6, "0.000001"},
		{1.23e-18, "1.23e-18"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{-math.MaxFloat64, "-1.7976931348623157e+308"},
		{1 << 53, "9007199254740992"},
		{1e100, "1e+100"},
		{2.5e-5, "0.000025"},
		{123.456, "123.456"},
		{0.000123, "0.000123"},
		{math.Inf(1), "null"},
		{math.NaN(), "null"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendJSNumber(nil, tt.f)), "%v", tt.f)
	}
}

func TestCanonicalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{` { "a" : [ 1 , true , null ] } `, `{"a":[1,true,null]}`},
		{`{"a":1,"a":2,"b":3,"a":4}`, `{"a":4,"b":3}`},
		{`{"b":1,"10":2,"2":3,"a":4,"4294967295":5,"4294967294":6,"01":7}`,
			`{"2":3,"10":2,"4294967294":6,"b":1,"a":4,"4294967295":5,"01":7}`},
		{`["\u0041\/\b\f\n\r\t\u0000\u001F\"\\"]`, `["A/\b\f\n\r\t\u0000\u001f\"\\"]`},
		{`["\uD83D\uDE00","\ud800","\udc00\ud800","\ud800\ud800\udc00","\u2028"]`,
			"[\"😀\",\"\\ud800\",\"\\udc00\\ud800\",\"\\ud800\U00010000\",\"\u2028\"]"},
		{`[1.0,1e2,1E+2,-0,0.0,1e400,-1e400,1e-400,0.1e1,12345678901234567890]`,
			`[1,100,100,0,0,null,null,0,1,12345678901234567000]`},
		{`{"\u0061":1,"a":2}`, `{"a":2}`},
		{`{}`, `{}`},
		{` [ ] `, `[]`},
	}
	for _, tt := range tests {
		got := canonicalize([]byte(tt.in))
		assert.Equal(t, tt.want, string(got), tt.in)
		d := &document{data: got}
		require.NoError(t, d.parse())
		assert.True(t, d.canon, "canonical output must be recognised: %s", got)
	}
}

func TestCanonicalDetection(t *testing.T) {
	canonical := []string{
		`{}`, `[]`, `{"a":[1,2,{"b":null}]}`, `{"1":1,"2":2,"a":3,"4294967295":4,"01":5}`,
		`["\u0000\u001f\b\f\n\r\t\"\\"]`, `["\ud800","\udc00","\udbff\ud800"]`, `[0.1,-5e-324,1e+21,1e-7,-1]`,
		`["/","é","😀"," "]`, `{"b":1,"a":2}`,
	}
	for _, s := range canonical {
		d := &document{data: []byte(s)}
		require.NoError(t, d.parse(), s)
		assert.True(t, d.canon, s)
	}
	notCanonical := []string{
		` {}`, `{ }`, `{"a":1 }`, `[1, 2]`, `{"a":1,"a":1}`, `{"2":1,"1":2}`, `{"a":1,"1":2}`,
		`["\/"]`, `["\u0041"]`, `["\u001F"]`, `["\u000a"]`, `["\uD800"]`, `["\ud83d\ude00"]`, `["\u00e9"]`,
		`[1.0]`, `[-0]`, `[1e2]`, `[1E+21]`, `[0.10]`, `[1e400]`, `[12345678901234567890]`,
		`{"k0":0,"k1":0,"k2":0,"k3":0,"k4":0,"k5":0,"k6":0,"k7":0,"k8":0,"k3":0}`,
	}
	for _, s := range notCanonical {
		d := &document{data: []byte(s)}
		require.NoError(t, d.parse(), s)
		assert.False(t, d.canon, s)
	}
}

// utf16Less is the reference for compareKeys: JavaScript's default sort.
func utf16Cmp(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

func TestCompareKeysMatchesUTF16(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pool := []rune{'a', 'b', 'A', '\n', '"', '\\', '/', 0x7f, 0xe9, 0x4e00, 0xd7ff, 0xe000, 0xff01, 0xfffd, 0xffff,
		0x10000, 0x1f600, 0x1f601, 0x10ffff, 0x20000}
	str := func() string {
		var sb strings.Builder
		for n := r.IntN(4); n > 0; n-- {
			sb.WriteRune(pool[r.IntN(len(pool))])
		}
		return sb.String()
	}
	// The raw key content, as JSON.stringify would write it (escapes included).
	raw := func(s string) []byte {
		var q []byte
		q = append(q, '"')
		for _, c := range s {
			if c < 0x20 || c == '"' || c == '\\' {
				q = append(q, `\u00`...)
				q = append(q, hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				q = utf8.AppendRune(q, c)
			}
		}
		q = canonicalize(append(q, '"'))
		return q[1 : len(q)-1]
	}
	for i := 0; i < 20000; i++ {
		a, b := str(), str()
		want := utf16Cmp(a, b)
		assert.Equal(t, want, compareKeys(raw(a), raw(b)), "%q vs %q", a, b)
		assert.Equal(t, want, compareUTF8AsUTF16([]byte(a), []byte(b)), "%q vs %q", a, b)
	}
	// Lone surrogates only exist escaped.
	assert.Equal(t, -1, compareKeys([]byte(`\ud800`), []byte("\ue000")))
	assert.Equal(t, 1, compareKeys([]byte(`\udfff`), []byte("\U0001F600")))
	assert.Equal(t, -1, compareKeys([]byte(`\ud83d`), []byte("\U0001F600")))
	assert.Equal(t, 0, compareKeys([]byte(`\u001f`), []byte(`\u001f`)))
}
