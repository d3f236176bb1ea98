package mapping

import (
	"math"
	"strings"

	"rupt-actions-wasm/action/internal/jsnum"
)

// The @liquid date filters: date, date_to_xmlschema, date_to_rfc822,
// date_to_string and date_to_long_string, as liquidjs's browser build runs
// them. What depends on the JavaScript runtime (its Date parsing, the
// visitor's time zone and locale) comes from a DateHost; the rest
// (choosing what to parse, strftime, padding, the memory limit) is here.

// DateHost is the JavaScript runtime the date filters run against.
type DateHost interface {
	// Date describes the date in, as liquidjs's LiquidDate displays it.
	Date(in DateInput) (DateParts, error)
}

// DateInput is a date to describe: a time in milliseconds (Millis), the
// current time (Now) or a text for JavaScript's Date parsing (IsText),
// displayed in the visitor's time zone, in another (Zone, when HasZone:
// the filter's time zone name, which the host may refuse) or at a fixed
// offset (Offset, in minutes as getTimezoneOffset counts them, when
// HasOffset), with the visitor's locale's names or, when English,
// en-US's.
type DateInput struct {
	_         [0]func() // not comparable: no equality function in the download
	Millis    float64
	Now       bool
	Text      string
	IsText    bool
	Zone      string
	HasZone   bool
	Offset    float64
	HasOffset bool
	English   bool
}

// DateParts is a date as the filters print it: Valid is false for an
// invalid date (the filter then returns its input). Value is the time in
// milliseconds (for %s); Offset the display offset in minutes as
// getTimezoneOffset counts them (for %z); Year to Weekday the displayed
// date's local fields (Month 0 to 11, Weekday 0 for Sunday); the names
// and the locale's texts (%a %A %b %B %c %x %X); ZoneName for %Z ("" to
// print the offset).
type DateParts struct {
	_                                                      [0]func() // not comparable: no equality function in the download
	Valid                                                  bool
	Value, Offset                                          float64
	Year, Month, Day, Hour, Minute, Second, Milli, Weekday int
	ShortWeekday, LongWeekday, ShortMonth, LongMonth       string
	Locale, LocaleDate, LocaleTime, ZoneName               string
}

// Dates is the runtime the date filters use: set once, before any
// mapping runs, by the program (the browser's, in the WebAssembly
// build). Without one, the date filters fail with ErrUnsupported.
var Dates DateHost

// lqDefaultDateFormat is liquidjs's dateFormat option, which actions-core
// leaves as it is.
const lqDefaultDateFormat = "%A, %B %-e, %Y at %-l:%M %P %z"

// date runs one of the date filters on v with its arguments.
func (r *lqRenderer) date(id int, v value, args []value) (value, error) {
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return undef
	}
	var in DateInput
	format := lqDefaultDateFormat
	switch id {
	case lqFDate:
		// The memory of the input and of the time zone argument, as
		// liquidjs counts their lengths.
		tz := arg(1)
		if err := r.use(lqLength(v) + lqLength(tz)); err != nil {
			return undef, err
		}
		switch tz = toValue(tz); tz.k {
		case kUndef, kNull:
		case kStr:
			in.Zone, in.HasZone = tz.s, true
		default:
			in.Offset, in.HasOffset = toNumber(toPrimitive(tz)), true
		}
		if f := toValue(arg(0)); f.k != kUndef && f.k != kNull {
			format = lqString(f)
		}
	case lqFDateToXMLSchema:
		// date(v, format): the same memory counted.
		if err := r.use(lqLength(v)); err != nil {
			return undef, err
		}
		format = "%Y-%m-%dT%H:%M:%S%:z"
	case lqFDateToRFC822:
		format, in.English = "%a, %d %b %Y %H:%M:%S %z", true
	}
	p, ok, err := r.describe(v, in)
	if err != nil || !ok {
		return v, err
	}
	switch id {
	case lqFDate, lqFDateToXMLSchema:
		if err := r.use(utf16Len(format)); err != nil {
			return undef, err
		}
	case lqFDateToString, lqFDateToLongString:
		month := "%b"
		if id == lqFDateToLongString {
			month = "%B"
		}
		format = "%d " + month + " %Y"
		if t := toValue(arg(0)); t.k == kStr && t.s == "ordinal" {
			d := jsnum.String(float64(p.Day))
			if s := toValue(arg(1)); s.k == kStr && s.s == "US" {
				format = month + " " + d + "%q, %Y"
			} else {
				format = d + "%q " + month + " %Y"
			}
		}
	}
	s, err := r.strftime(&p, format)
	return str(s), err
}

// describe is liquidjs's parseDate: which date v stands for, described by
// Dates; ok is false when v is nil or not a valid date.
func (r *lqRenderer) describe(v value, in DateInput) (DateParts, bool, error) {
	switch v = toValue(v); v.k {
	case kUndef, kNull:
		return DateParts{}, false, nil
	case kNum:
		in.Millis = v.n * 1000
	case kStr:
		switch {
		case v.s == "now" || v.s == "today":
			in.Now = true
		case isDigits(v.s):
			in.Millis = jsnum.ToNumber(v.s) * 1000
		default:
			in.Text, in.IsText = v.s, true
		}
	case kBool:
		in.Millis = v.n // new Date(true) is 1 ms after the epoch
	default:
		// new Date(array or object) parses its string.
		in.Text, in.IsText = toString(v), true
	}
	if Dates == nil {
		return DateParts{}, false, lqUnsupported("the date filters need the browser's date and time zone (no date host)")
	}
	p, err := Dates.Date(in)
	if err != nil {
		return DateParts{}, false, lqInvalid(err.Error())
	}
	return p, p.Valid, nil
}

// isDigits reports whether s is one or more ASCII digits (/^\d+$/).
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lqLength is value?.length, 0 when it has none.
func lqLength(v value) int {
	switch v = toValue(v); v.k {
	case kStr:
		return utf16Len(v.s)
	case kArr:
		return len(v.c.vals)
	case kObj:
		if l, ok := v.c.get("length"); ok && l.k == kNum && l.n > 0 {
			if l.n > liquidMemoryLimit {
				return liquidMemoryLimit + 1
			}
			return int(l.n)
		}
	}
	return 0
}

// lqPadWidth is the default width of conversion c, 0 for none. (A table
// in a string: a map literal costs 7 KB of WebAssembly to build.)
func lqPadWidth(c byte) int {
	i := strings.IndexByte("CdeHIjklLmMSUWyY", c)
	if i < 0 {
		return 0
	}
	return int("2222232232222224"[i] - '0')
}

// strftime formats p as liquidjs's strftime does: each
// %[flags][width][E|O]conversion is replaced, an unknown conversion left
// as written.
func (r *lqRenderer) strftime(p *DateParts, format string) (string, error) {
	var b []byte
	for i := 0; i < len(format); {
		j := strings.IndexByte(format[i:], '%')
		if j < 0 {
			b = append(b, format[i:]...)
			break
		}
		b = append(b, format[i:i+j]...)
		i += j
		// Match %([-_0^#:]+)?(\d+)?([EO])?(.) at i; "." is any UTF-16
		// unit but a line terminator.
		k := i + 1
		flags := k
		for k < len(format) && strings.IndexByte("-_0^#:", format[k]) >= 0 {
			k++
		}
		flagStr := format[flags:k]
		wstart := k
		for k < len(format) && format[k] >= '0' && format[k] <= '9' {
			k++
		}
		width := format[wstart:k]
		if k < len(format) && (format[k] == 'E' || format[k] == 'O') && k+1 < len(format) && !lineTerminatorAt(format, k+1) {
			k++
		}
		if k >= len(format) || lineTerminatorAt(format, k) {
			// No match here: liquidjs's regular expression finds the next %.
			b = append(b, '%')
			i++
			continue
		}
		c := format[k]
		if c >= 0x80 {
			// A conversion that is not ASCII is unknown: written as is.
			b = append(b, format[i:k]...)
			i = k
			continue
		}
		k++
		s, known, err := r.convert(p, c, flagStr, width)
		if err != nil {
			return "", err
		}
		if !known {
			s = format[i:k]
		}
		b = append(b, s...)
		i = k
	}
	return string(b), nil
}

// lineTerminatorAt reports whether s[i:] starts with a character
// JavaScript's "." does not match.
//
//go:noinline
func lineTerminatorAt(s string, i int) bool {
	return s[i] == '\n' || s[i] == '\r' || strings.HasPrefix(s[i:], "\u2028") || strings.HasPrefix(s[i:], "\u2029")
}

// convert is one conversion c with its flags and width, padded; known is
// false for a conversion liquidjs does not have.
func (r *lqRenderer) convert(p *DateParts, c byte, flagStr, width string) (s string, known bool, err error) {
	// Most conversions print a number: x, written as String(x) does.
	x := math.NaN()
	h12 := float64((p.Hour+11)%12 + 1)
	switch c {
	case 'a', 'A', 'b', 'h', 'B', 'c', 'x', 'X':
		s = [...]string{p.ShortWeekday, p.LongWeekday, p.ShortMonth, p.ShortMonth, p.LongMonth, p.Locale, p.LocaleDate, p.LocaleTime}[strings.IndexByte("aAbhBcxX", c)]
	case 'C':
		x = math.Floor(float64(p.Year) / 100)
	case 'd', 'e':
		x = float64(p.Day)
	case 'H', 'k':
		x = float64(p.Hour)
	case 'I', 'l':
		x = h12
	case 'j':
		x = float64(dayOfYear(p))
	case 'L':
		x = float64(p.Milli)
	case 'm':
		x = float64(p.Month + 1)
	case 'M':
		x = float64(p.Minute)
	case 'N':
		// The milliseconds as nanoseconds, cut or filled to the width.
		w := int(jsnum.ToNumber(width))
		if w == 0 {
			w = 9
		}
		ms := jsnum.String(float64(1000 + p.Milli))[1:]
		ms = ms[:min(3, w)]
		if err := r.use(w - len(ms)); err != nil {
			return "", true, err
		}
		s = ms + strings.Repeat("0", w-len(ms))
	case 'p', 'P':
		s = "AM"
		if p.Hour >= 12 {
			s = "PM"
		}
		if c == 'P' {
			s = jsLower(s)
		}
	case 'q':
		s = ordinal(p.Day)
	case 's':
		x = math.Floor(p.Value / 1000)
	case 'S':
		x = float64(p.Second)
	case 'u':
		x = float64((p.Weekday+6)%7 + 1)
	case 'U', 'W':
		since := (p.Weekday - int(c-'U')/2 + 7) % 7 // W starts the week on Monday
		x = math.Floor(float64(dayOfYear(p)-1-since+7) / 7)
	case 'w':
		x = float64(p.Weekday)
	case 'y':
		x = float64((p.Year%100 + 100) % 100)
	case 'Y':
		x = float64(p.Year)
	case 'z', 'Z':
		s = p.ZoneName
		if c == 'z' || s == "" {
			s = offsetText(p.Offset, strings.IndexByte(flagStr, ':') >= 0)
		}
	case 't':
		s = "\t"
	case 'n':
		s = "\n"
	case '%':
		s = "%"
	default:
		return "", false, nil
	}
	if x == x {
		s = jsnum.String(x)
	}
	return r.pad(s, c, flagStr, width)
}

// pad applies a conversion's case flags (^ upper, # swap) and pads s to
// its width: the given one, or the conversion's own unless the - flag;
// with spaces or zeros (the _ and 0 flags choose), a zero-padded negative
// number keeping its sign in front.
func (r *lqRenderer) pad(s string, c byte, flagStr, width string) (string, bool, error) {
	has := func(f byte) bool { return strings.IndexByte(flagStr, f) >= 0 }
	padChar := "0"
	if strings.IndexByte("aAbBceklpP", c) >= 0 || has('_') {
		padChar = " "
	}
	if has('0') && !has('_') {
		padChar = "0"
	}
	w := int(jsnum.ToNumber(width))
	if w == 0 {
		w = lqPadWidth(c)
	}
	if has('^') || has('#') && strings.ContainsFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		s = jsUpper(s)
	} else if has('#') {
		s = jsLower(s)
	}
	if has('-') {
		w = 0
	}
	l := utf16Len(s)
	if err := r.use(w - l); err != nil {
		return "", true, err
	}
	if w <= l {
		return s, true, nil
	}
	fill := strings.Repeat(padChar, w-l)
	if padChar == "0" && s[0] == '-' {
		return "-" + fill + s[1:], true, nil
	}
	return fill + s, true, nil
}

// dayOfYear is liquidjs's getDayOfYear, with its leap-year test (which
// takes year 0 as common).
func dayOfYear(p *DateParts) int {
	y := p.Year
	feb := 28
	if y&3 == 0 && (y%100 != 0 || (y%400 == 0 && y != 0)) {
		feb = 29
	}
	days := [12]int{31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	d := p.Day
	for i := 0; i < p.Month && i < 12; i++ {
		d += days[i]
	}
	return d
}

// ordinal is the English suffix of day d: st, nd, rd or th.
func ordinal(d int) string {
	if d >= 11 && d <= 13 {
		return "th"
	}
	switch d % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// offsetText is an offset in minutes as getTimezoneOffset counts them,
// written as +hhmm (or +hh:mm).
func offsetText(off float64, colon bool) string {
	sign := "+"
	if off > 0 {
		sign = "-"
	}
	a := math.Abs(off)
	two := func(f float64) string {
		s := jsnum.String(f)
		if utf16Len(s) < 2 {
			s = "0" + s
		}
		return s
	}
	s := sign + two(math.Floor(a/60))
	if colon {
		s += ":"
	}
	return s + two(math.Mod(a, 60))
}
