package main

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"rupt-actions-wasm/action"
	"rupt-actions-wasm/action/mapping"
)

// The @liquid date filters ask the JavaScript runtime for what only it
// knows (mapping.DateHost): in the browser, through the WebAssembly import
// rupt.date (dates_wasm.go), which jsbridge/src/dates.js answers. A
// request is JSON; the answer is the date's parts joined by NUL bytes, ""
// for an invalid date, or "\x01" and an error message.

// dateRequest writes in as the JSON dates.js reads: {"ms"|"now"|"text",
// "zone"|"offset", "english"}. ok is false when the date is invalid
// whatever the runtime (a time that is not finite or past JavaScript's
// ±8.64e15 ms, or an offset that is not finite): the filters then print
// their input, and the runtime is not asked.
func dateRequest(in mapping.DateInput) (req []byte, ok bool) {
	b := []byte{'{'}
	switch {
	case in.Now:
		b = append(b, `"now":true`...)
	case in.IsText:
		b = action.AppendQuote(append(b, `"text":`...), in.Text)
	default:
		if !(math.Abs(in.Millis) <= 8.64e15) {
			return nil, false
		}
		b = action.AppendNumber(append(b, `"ms":`...), in.Millis)
	}
	switch {
	case in.HasZone:
		b = action.AppendQuote(append(b, `,"zone":`...), in.Zone)
	case in.HasOffset:
		if math.IsInf(in.Offset, 0) || math.IsNaN(in.Offset) {
			return nil, false
		}
		b = action.AppendNumber(append(b, `,"offset":`...), in.Offset)
	}
	if in.English {
		b = append(b, `,"english":true`...)
	}
	return append(b, '}'), true
}

// dateParts reads dates.js's answer.
func dateParts(answer string) (mapping.DateParts, error) {
	var p mapping.DateParts
	if answer == "" {
		return p, nil
	}
	if msg, isErr := strings.CutPrefix(answer, "\x01"); isErr {
		return p, errors.New(msg)
	}
	f := strings.Split(answer, "\x00")
	if len(f) != 18 {
		return p, errors.New("the date host answered " + strconv.Itoa(len(f)) + " parts, not 18")
	}
	nums := [...]*int{&p.Year, &p.Month, &p.Day, &p.Hour, &p.Minute, &p.Second, &p.Milli, &p.Weekday}
	var err error
	num := func(s string) float64 {
		n := action.ParseNumber(s)
		if math.IsNaN(n) && err == nil {
			err = errors.New("the date host answered a part that is not a number: " + strconv.Quote(s))
		}
		return n
	}
	p.Value, p.Offset = num(f[0]), num(f[1])
	for i, dst := range nums {
		*dst = int(num(f[2+i]))
	}
	if err != nil {
		return mapping.DateParts{}, err
	}
	p.ShortWeekday, p.LongWeekday, p.ShortMonth, p.LongMonth = f[10], f[11], f[12], f[13]
	p.Locale, p.LocaleDate, p.LocaleTime, p.ZoneName = f[14], f[15], f[16], f[17]
	p.Valid = true
	return p, nil
}
