package main

import (
	"errors"
	"math"
	"strings"

	"rupt-actions-wasm/action/mapping"
)

// The @liquid date filters ask the JavaScript runtime for what only it
// knows (mapping.DateHost): in the browser, through the WebAssembly import
// rupt.date (dates_wasm.go), which jsbridge/src/dates.js answers. Both
// ways the message is binary, read with a DataView on the JS side (no
// number-to-text conversions on either):
//
//	request: flags (1 now, 2 text, 4 zone, 8 offset, 16 english), 7 bytes
//	         of padding, the time in ms and the offset as float64
//	         little-endian, the zone's length (uint32 LE) and bytes, then
//	         the text to parse up to the end;
//	answer:  nothing for an invalid date; 1 and an error message; or 0,
//	         ten float64 LE (the time, the offset, year, month, day, hours,
//	         minutes, seconds, milliseconds, weekday) and eight texts
//	         joined by NUL bytes (the short and long weekday and month
//	         names, the locale's date and time, date and time texts, and
//	         the zone's name).

// Request flags.
const (
	dateNow = 1 << iota
	dateText
	dateZone
	dateOffset
	dateEnglish
)

// dateRequest writes in as dates.js reads it. ok is false when the date is
// invalid whatever the runtime (a time that is not finite or past
// JavaScript's ±8.64e15 ms, or an offset that is not finite): the filters
// then print their input, and the runtime is not asked.
func dateRequest(in mapping.DateInput) (req []byte, ok bool) {
	var flags byte
	switch {
	case in.Now:
		flags = dateNow
	case in.IsText:
		flags = dateText
	case !(math.Abs(in.Millis) <= 8.64e15):
		return nil, false
	}
	if in.HasZone {
		flags |= dateZone
	} else if in.HasOffset {
		if math.IsInf(in.Offset, 0) || math.IsNaN(in.Offset) {
			return nil, false
		}
		flags |= dateOffset
	}
	if in.English {
		flags |= dateEnglish
	}
	b := make([]byte, 8, 28+len(in.Zone)+len(in.Text))
	b[0] = flags
	b = appendFloat(appendFloat(b, in.Millis), in.Offset)
	n := len(in.Zone)
	b = append(b, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	return append(append(b, in.Zone...), in.Text...), true
}

func appendFloat(b []byte, f float64) []byte {
	u := math.Float64bits(f)
	for i := 0; i < 8; i++ {
		b = append(b, byte(u>>(8*i)))
	}
	return b
}

// dateParts reads dates.js's answer.
func dateParts(a []byte) (mapping.DateParts, error) {
	var p mapping.DateParts
	switch {
	case len(a) == 0:
		return p, nil
	case a[0] == 1:
		return p, errors.New(string(a[1:]))
	case len(a) < 81:
		return p, errors.New("the date host's answer is too short")
	}
	var f [10]float64
	for i := range f {
		var u uint64
		for j := 7; j >= 0; j-- {
			u = u<<8 | uint64(a[1+8*i+j])
		}
		f[i] = math.Float64frombits(u)
	}
	t := strings.Split(string(a[81:]), "\x00")
	if len(t) != 8 {
		return p, errors.New("the date host's answer does not have eight texts")
	}
	p.Value, p.Offset = f[0], f[1]
	p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second, p.Milli, p.Weekday = int(f[2]), int(f[3]), int(f[4]), int(f[5]), int(f[6]), int(f[7]), int(f[8]), int(f[9])
	p.ShortWeekday, p.LongWeekday, p.ShortMonth, p.LongMonth = t[0], t[1], t[2], t[3]
	p.Locale, p.LocaleDate, p.LocaleTime, p.ZoneName = t[4], t[5], t[6], t[7]
	p.Valid = true
	return p, nil
}
