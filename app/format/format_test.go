package format

import (
	"testing"
	"time"
)

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {3056, "3,056"},
		{13967, "13,967"}, {123456, "123,456"}, {1234567, "1,234,567"}, {-1234, "-1,234"},
	} {
		if got := Int(tc.n); got != tc.want {
			t.Errorf("Int(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestCompact(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{950, "950"}, {1000, "1k"}, {13967, "14k"}, {13867, "13.9k"}, {999_949, "999.9k"}, {999_950, "1M"}, {1_250_000, "1.3M"},
	} {
		if got := Compact(tc.n); got != tc.want {
			t.Errorf("Compact(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func f(x float64) *float64 { return &x }

func TestPercentDecimal(t *testing.T) {
	if got := Percent(f(3.8)); got != "3.8%" {
		t.Errorf("Percent(3.8) = %q", got)
	}
	if got := Percent(f(-0.04)); got != "0.0%" {
		t.Errorf("Percent(-0.04) = %q, want 0.0%%", got)
	}
	if got := Percent(nil); got != Unknown {
		t.Errorf("Percent(nil) = %q, want %q", got, Unknown)
	}
	if got := Decimal(f(9.6)); got != "9.6" {
		t.Errorf("Decimal(9.6) = %q", got)
	}
	if got := Decimal(f(10)); got != "10.0" {
		t.Errorf("Decimal(10) = %q", got)
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{day(2021, 11, 19), "6 days ago"},
		{day(2021, 11, 6), "19 days ago"},
		{day(2021, 11, 25), "today"},
		{day(2021, 11, 24), "1 day ago"},
		{day(2021, 9, 7), "3 months ago"}, {day(2021, 10, 1), "2 months ago"},
		{day(2020, 2, 14), "1 year ago"},
		{day(2018, 1, 1), "3 years ago"},
		{day(2021, 12, 1), "in the future"},
	} {
		if got := Age(tc.t, now); got != tc.want {
			t.Errorf("Age(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestDate(t *testing.T) {
	d := time.Date(2021, 11, 13, 0, 0, 0, 0, time.UTC)
	if got := Date(d); got != "13 Nov 2021" {
		t.Errorf("Date = %q", got)
	}
	if got := ISODate(d); got != "2021-11-13" {
		t.Errorf("ISODate = %q", got)
	}
}
