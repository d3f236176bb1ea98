package fingerprint

import (
	"errors"
	"strconv"

	"rupt-actions-wasm/action/internal/limits"
	"rupt-actions-wasm/action/internal/stable"
)

// DefaultLength is the hash length the SDK uses.
const DefaultLength = 2048

// MaxLength is the largest length FuzzyHash accepts. The SDK has no limit
// of its own below JavaScript's maximum string length; this one keeps a
// hostile length from exhausting memory.
const MaxLength = 1 << 24

// MaxInputSize is the largest signals text, in bytes, FuzzyHash accepts.
// Real signals are about 130 KB.
const MaxInputSize = 1 << 26

// MaxDepth is the deepest nesting of objects and arrays accepted (an empty
// [] or {} counts as a level): the limit on every JSON input of the
// destination, limits.MaxDepth. Real signals nest 4 levels deep.
const MaxDepth = limits.MaxDepth

var (
	// ErrInvalidJSON is wrapped by every *SyntaxError.
	ErrInvalidJSON = errors.New("fingerprint: invalid JSON")
	// ErrTooLarge is returned for input longer than MaxInputSize.
	ErrTooLarge = errors.New("fingerprint: signals larger than MaxInputSize")
	// ErrTooDeep is returned for input nested deeper than MaxDepth.
	ErrTooDeep = errors.New("fingerprint: signals nested deeper than MaxDepth")
	// ErrLength is returned for a length below 0 or above MaxLength.
	ErrLength = errors.New("fingerprint: length out of range [0, MaxLength]")
	// ErrNotObject is returned by FuzzyHash when the signals are not a JSON
	// object or array.
	ErrNotObject = errors.New("fingerprint: signals are not a JSON object or array")

	errInternal = errors.New("fingerprint: internal error: canonical form did not re-parse")
)

// SyntaxError reports invalid JSON (or invalid UTF-8) in the signals.
type SyntaxError struct {
	Offset int // byte offset of the error in the input
	msg    string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return "fingerprint: invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.msg
}

// Unwrap returns ErrInvalidJSON.
func (e *SyntaxError) Unwrap() error { return ErrInvalidJSON }

// FuzzyHash computes the fuzzy hash of the signals object (raw JSON text
// exactly as the browser's JSON.stringify produced it) with the given length.
//
// The result equals @ruptjs/fingerprint's getFuzzyHash(JSON.parse(signals),
// length). Input in JSON.stringify's form (compact, its escapes, its number
// format, no duplicate keys) is hashed as is; any other valid JSON is first
// rewritten into that form, which costs an extra pass and allocations. A
// top-level array is hashed as the SDK hashes it (its indices are the keys);
// other top-level values give ErrNotObject (the SDK would hash a number as
// zeros and a string by its characters; signals are never either). Invalid
// JSON or UTF-8 gives a *SyntaxError (wrapping ErrInvalidJSON), a length
// outside [0, MaxLength] ErrLength, input beyond MaxInputSize or MaxDepth
// ErrTooLarge or ErrTooDeep. It never panics.
func FuzzyHash(signals []byte, length int) (string, error) {
	if length < 0 || length > MaxLength {
		return "", ErrLength
	}
	d, err := load(signals)
	if err != nil {
		return "", err
	}
	if c := d.data[0]; c != '{' && c != '[' {
		return "", ErrNotObject
	}
	f := fuzzy{doc: d}
	return string(f.hash(0, length, make([]byte, 0, length))), nil
}

// member is one member of an object (or element of an array) in a document.
type member struct {
	ks, ke int32 // key content, between the quotes; for an array element ks is its index
	vs, ve int32 // value text
	child  int32 // index of the value's container, or -1 for a scalar
}

// members appends the members of container ci to dst.
func (d *document) members(ci int32, dst []member) []member {
	data := d.data
	c := d.ctrs[ci]
	obj := data[c.start] == '{'
	i := c.start + 1
	next := ci + 1
	for n := int32(0); n < c.count; n++ {
		m := member{ks: n, child: -1}
		if obj {
			m.ks = i + 1
			i = skipString(data, i)
			m.ke = i - 1
			i++ // ':'
		}
		m.vs = i
		switch data[i] {
		case '{', '[':
			m.child = next
			i = d.ctrs[next].end
			next = d.ctrs[next].next
		case '"':
			i = skipString(data, i)
		default:
			for i < int32(len(data)) && data[i] != ',' && data[i] != '}' && data[i] != ']' {
				i++
			}
		}
		m.ve = i
		dst = append(dst, m)
		i++ // ',' or the closing bracket
	}
	return dst
}

// skipString returns the offset after the (valid) string starting at data[i].
func skipString(data []byte, i int32) int32 {
	for i++; ; i++ {
		switch data[i] {
		case '"':
			return i + 1
		case '\\':
			i++
		}
	}
}

// fuzzy computes getFuzzyHash over a canonical document.
type fuzzy struct {
	doc *document
	mem []member // stack of the members of the containers being hashed
}

// hash appends getFuzzyHash(container ci, length) to out:
//
//  1. keys sorted by UTF-16 code units;
//  2. per = ceil(length / keys), surplus = keys*per - length;
//  3. each value that is a non-array object with per >= 2*(its key count)
//     is hashed recursively with length per; any other value gives the first
//     per characters of the hex SHA-256 of its JSON text;
//  4. the first surplus parts lose their last character (surplus < keys, so
//     each part loses at most one);
//  5. the parts are joined and right-padded with '0' to length.
//
// A recursive part is always exactly per characters long, so the result is
// exactly length characters long.
func (f *fuzzy) hash(ci int32, length int, out []byte) []byte {
	d := f.doc
	start := len(out)
	base := len(f.mem)
	f.mem = d.members(ci, f.mem)
	mem := f.mem[base:]
	defer func() { f.mem = f.mem[:base] }()
	if k := len(mem); k > 0 {
		if d.data[d.ctrs[ci].start] == '{' {
			stable.Sort(byKey{mem, d.data})
		} else {
			stable.Sort(byIndexString(mem))
		}
		per := (length + k - 1) / k
		surplus := k*per - length
		for j, m := range mem {
			ps := len(out)
			if m.child >= 0 && d.data[m.vs] == '{' && per >= 2*int(d.ctrs[m.child].count) {
				out = f.hash(m.child, per, out)
			} else {
				hx := hex256(d.data[m.vs:m.ve])
				out = append(out, hx[:min(per, 64)]...)
			}
			if j < surplus && len(out) > ps {
				out = out[:len(out)-1]
			}
		}
	}
	for len(out)-start < length {
		out = append(out, '0')
	}
	return out
}

// compareIndexStrings compares two array indices as the strings JavaScript
// sorts them as ("10" < "9").
func compareIndexStrings(a, b int32) int {
	var ba, bb [12]byte
	sa := strconv.AppendInt(ba[:0], int64(a), 10)
	sb := strconv.AppendInt(bb[:0], int64(b), 10)
	return compareUTF8AsUTF16(sa, sb)
}
