package mapping

import (
	"errors"
	"strings"
)

var (
	// ErrInvalid marks a mapping or event that Segment's mapping-kit
	// rejects too: a malformed directive, a wrong type at run time, an
	// event that is not a JSON object.
	ErrInvalid = errors.New("invalid mapping or event")

	// ErrUnsupported marks input that Segment's mapping-kit would evaluate
	// but this package deliberately refuses (see the package doc): @liquid
	// features not implemented yet (the date filters), paths into JavaScript built-ins,
	// "__proto__" keys, and size limits.
	ErrUnsupported = errors.New("unsupported by this mapping-kit implementation")
)

func protoKeyError() *Error {
	return unsupported(`the key "__proto__" is not supported: JavaScript gives it a special, prototype-changing meaning; rename the key`)
}

// Error explains why a mapping could not be compiled or applied. It wraps
// ErrInvalid or ErrUnsupported (use errors.Is).
type Error struct {
	// Path locates the problem in the mapping, as a JSON Pointer
	// ("/email/@if/then"); empty for the whole mapping or the event.
	Path string
	// Directive is the directive at fault ("@if"), if any.
	Directive string
	// Msg says what is wrong and how to fix it.
	Msg string

	kind error
	rev  []string // Path segments, innermost first, while unwinding
}

// Error implements error.
func (e *Error) Error() string {
	// One concatenation, not a strings.Builder: each inlined WriteString
	// costs the .wasm bytes, and this runs only on the way to an error.
	p := e.pointer()
	at, dir, limit := "", "", ""
	if p != "" {
		at = " at " + p
	}
	if e.Directive != "" && !strings.HasPrefix(e.Msg, e.Directive) && !strings.HasSuffix(p, "/"+e.Directive) {
		dir = e.Directive + ": "
	}
	if e.kind == ErrUnsupported {
		limit = " (a deliberate limit of this implementation)"
	}
	return "mapping" + at + ": " + dir + e.Msg + limit
}

// Unwrap returns ErrInvalid or ErrUnsupported.
func (e *Error) Unwrap() error { return e.kind }

func (e *Error) pointer() string {
	if e.Path != "" || len(e.rev) == 0 {
		return e.Path
	}
	p := ""
	for i := len(e.rev) - 1; i >= 0; i-- {
		p += "/" + strings.ReplaceAll(strings.ReplaceAll(e.rev[i], "~", "~0"), "/", "~1")
	}
	return p
}

// finish fixes Path once the error has reached the top.
func (e *Error) finish() *Error {
	e.Path = e.pointer()
	e.rev = nil
	return e
}

// Error constructors and other cold helpers are marked go:noinline: they
// run only on the way to an error, and inlining copies their bodies into
// every caller, which costs download bytes (about 8 KB brotli over the
// package), not speed.
//
//go:noinline
func invalid(msg string) *Error { return &Error{Msg: msg, kind: ErrInvalid} }

//go:noinline
func unsupported(msg string) *Error { return &Error{Msg: msg, kind: ErrUnsupported} }

//go:noinline
func dirErr(directive, msg string) *Error {
	return &Error{Directive: directive, Msg: msg, kind: ErrInvalid}
}

// at records that err happened under the mapping key seg.
//
//go:noinline
func at(err error, seg string) error {
	if e, ok := err.(*Error); ok && e.Path == "" {
		e.rev = append(e.rev, seg)
	}
	return err
}

// inDirective records the directive an error happened in, if none yet.
func inDirective(err error, directive string) error {
	if e, ok := err.(*Error); ok && e.Directive == "" {
		e.Directive = directive
	}
	return err
}
