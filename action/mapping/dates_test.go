package mapping

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zones the date filters' tests name
)

// utcDates is the DateHost of the native tests: JavaScript's Date in a
// runtime whose zone is UTC and whose locale is en-US (as the corpus's
// generator runs liquidjs), for the date texts the corpus has. The
// browser's host is the shim's (jsbridge/src/dates.js).
type utcDates struct{ now time.Time }

// utcLayouts are the date texts V8 parses that the corpus uses; local
// means UTC here.
var utcLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02", "2006-01", "2006",
	"Mon, 02 Jan 2006 15:04:05 GMT", "2006/01/02 15:04", "2006/01/02 15:04:05", "2006/01/02", "January 2, 2006", "Jan 2, 2006",
}

func (h utcDates) Date(in DateInput) (DateParts, error) {
	ms := in.Millis
	switch {
	case in.Now:
		ms = float64(h.now.UnixMilli())
	case in.IsText:
		ms = math.NaN()
		for _, l := range utcLayouts {
			if t, err := time.Parse(l, strings.TrimSpace(in.Text)); err == nil {
				ms = float64(t.UnixMilli())
				break
			}
		}
		// V8's fallback reads "3.9" as March 9 of 2001, its default year.
		if m, d, ok := strings.Cut(in.Text, "."); ok && math.IsNaN(ms) {
			mi, err1 := strconv.Atoi(m)
			di, err2 := strconv.Atoi(d)
			if err1 == nil && err2 == nil && mi >= 1 && mi <= 12 && di >= 1 && di <= 31 {
				ms = float64(time.Date(2001, time.Month(mi), di, 0, 0, 0, 0, time.UTC).UnixMilli())
			}
		}
	}
	// new Date(ms): NaN beyond ±8.64e15, and the time is truncated.
	if math.IsNaN(ms) || math.Abs(ms) > 8.64e15 {
		return DateParts{}, nil
	}
	ms = math.Trunc(ms) + 0 // -0 is 0
	offset := 0.0           // the runtime's own (UTC)
	zone := "UTC"
	switch {
	case in.HasZone:
		loc, err := time.LoadLocation(in.Zone)
		if err != nil || in.Zone == "" || strings.EqualFold(in.Zone, "local") {
			return DateParts{}, errors.New("Invalid time zone specified: " + in.Zone)
		}
		_, secs := time.UnixMilli(int64(ms)).In(loc).Zone()
		offset, zone = -float64(secs)/60, in.Zone
	case in.HasOffset:
		offset, zone = in.Offset, ""
	}
	display := ms + (0-offset)*60000
	if math.IsNaN(display) || math.Abs(display) > 8.64e15 {
		return DateParts{}, nil
	}
	t := time.UnixMilli(int64(display)).UTC()
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	ampm := "AM"
	if t.Hour() >= 12 {
		ampm = "PM"
	}
	day := strconv.Itoa(int(t.Month())) + "/" + strconv.Itoa(t.Day()) + "/" + strconv.Itoa(t.Year())
	clock := strconv.Itoa(h12) + ":" + t.Format("04:05") + " " + ampm
	return DateParts{
		Valid: true, Value: ms, Offset: offset,
		Year: t.Year(), Month: int(t.Month()) - 1, Day: t.Day(), Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(),
		Milli: t.Nanosecond() / 1e6, Weekday: int(t.Weekday()),
		ShortWeekday: t.Format("Mon"), LongWeekday: t.Format("Monday"), ShortMonth: t.Format("Jan"), LongMonth: t.Format("January"),
		Locale: day + ", " + clock, LocaleDate: day, LocaleTime: clock, ZoneName: zone,
	}, nil
}

func init() { Dates = utcDates{now: time.Now()} }
