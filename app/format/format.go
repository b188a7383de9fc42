// Package format writes numbers and dates the way people read them:
// 13,967 stars, 3.8% growth, "6 days ago".
package format

import (
	"math"
	"strconv"
	"time"
)

// Unknown is shown where a figure is not known.
const Unknown = "–"

// Int writes n with thousands separators: 13967 → "13,967".
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// IntPtr writes *n like Int, or Unknown when n is nil.
func IntPtr(n *int) string {
	if n == nil {
		return Unknown
	}
	return Int(*n)
}

// Compact writes n briefly for tight places: 950, 13.9k, 1.2M.
func Compact(n int) string {
	switch a := math.Abs(float64(n)); {
	case a < 1000:
		return strconv.Itoa(n)
	case a < 999_950:
		return trimZero(strconv.FormatFloat(round1(float64(n)/1e3), 'f', 1, 64)) + "k"
	default:
		return trimZero(strconv.FormatFloat(round1(float64(n)/1e6), 'f', 1, 64)) + "M"
	}
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// Percent writes a percentage with one decimal: 3.8 → "3.8%".
func Percent(p *float64) string {
	if p == nil {
		return Unknown
	}
	return strconv.FormatFloat(round1(*p), 'f', 1, 64) + "%"
}

// Decimal writes x with one decimal: 9.6 → "9.6".
func Decimal(x *float64) string {
	if x == nil {
		return Unknown
	}
	return strconv.FormatFloat(round1(*x), 'f', 1, 64)
}

func round1(x float64) float64 {
	r := math.Round(x*10) / 10
	if r == 0 {
		return 0 // no "-0.0"
	}
	return r
}

// Age writes how long before now t was, in whole units, as people say it:
// "today", "1 day ago", "19 days ago", "3 months ago", "2 years ago".
func Age(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in the future"
	}
	days := int(d.Hours() / 24)
	switch {
	case days == 0:
		return "today"
	case days < 45:
		return plural(days, "day") + " ago"
	case days < 365:
		return plural(int(math.Round(float64(days)/30.44)), "month") + " ago"
	default:
		return plural(days/365, "year") + " ago"
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// Date writes a day as "13 Nov 2021", as the seed page does.
func Date(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// ISODate writes a day as "2021-11-13".
func ISODate(t time.Time) string { return t.UTC().Format("2006-01-02") }
