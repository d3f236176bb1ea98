package main

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rupt-actions-wasm/action/mapping"
)

// TestDateRequest: the request's layout (dates.go), and the dates that
// are invalid whatever the runtime, which are never sent.
func TestDateRequest(t *testing.T) {
	req, ok := dateRequest(mapping.DateInput{Millis: 1.5, Zone: "Asia/Tokyo", HasZone: true, English: true})
	require.True(t, ok)
	assert.Equal(t, byte(dateZone|dateEnglish), req[0])
	assert.Equal(t, appendFloat(nil, 1.5), req[8:16])
	assert.Equal(t, []byte{10, 0, 0, 0}, req[24:28])
	assert.Equal(t, "Asia/Tokyo", string(req[28:]))

	req, ok = dateRequest(mapping.DateInput{Text: "March 4, 2020", IsText: true, Offset: -90.5, HasOffset: true})
	require.True(t, ok)
	assert.Equal(t, byte(dateText|dateOffset), req[0])
	assert.Equal(t, appendFloat(nil, -90.5), req[16:24])
	assert.Equal(t, "March 4, 2020", string(req[28:]))

	for _, in := range []mapping.DateInput{
		{Millis: math.NaN()}, {Millis: math.Inf(1)}, {Millis: 8.64e15 + 1},
		{Millis: 0, Offset: math.NaN(), HasOffset: true}, {Now: true, Offset: math.Inf(-1), HasOffset: true},
	} {
		_, ok := dateRequest(in)
		assert.False(t, ok, "%+v", in)
	}
}

// TestDateParts: the answer's layout, and answers that are not one.
func TestDateParts(t *testing.T) {
	a := []byte{0}
	for _, f := range []float64{1e12, -60, 2001, 8, 9, 13, 14, 15, 16, 0} {
		a = appendFloat(a, f)
	}
	a = append(a, "Sun\x00Sunday\x00Sep\x00September\x00c\x00x\x00X\x00Europe/Paris"...)
	p, err := dateParts(a)
	require.NoError(t, err)
	assert.True(t, p.Valid)
	assert.Equal(t, []any{1e12, -60.0, 2001, 8, 9, 13, 14, 15, 16, 0}, []any{p.Value, p.Offset, p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second, p.Milli, p.Weekday})
	assert.Equal(t, []string{"Sun", "Sunday", "Sep", "September", "c", "x", "X", "Europe/Paris"},
		[]string{p.ShortWeekday, p.LongWeekday, p.ShortMonth, p.LongMonth, p.Locale, p.LocaleDate, p.LocaleTime, p.ZoneName})

	p, err = dateParts(nil)
	assert.NoError(t, err)
	assert.False(t, p.Valid, "no answer: an invalid date")
	_, err = dateParts([]byte("\x01Invalid time zone specified: X"))
	assert.EqualError(t, err, "Invalid time zone specified: X")
	_, err = dateParts(a[:50])
	assert.Error(t, err)
	_, err = dateParts(append(a, 0))
	assert.Error(t, err, "nine texts")
}
