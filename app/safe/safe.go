// Package safe vets third-party strings before the app puts them in a page:
// links must be http or https, and text is trimmed to a sane length.
package safe

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxURL caps the length of a link we are willing to render.
const maxURL = 2048

// URL returns raw when it is an absolute http(s) URL with a host, and false
// otherwise (javascript:, data:, relative or garbage URLs).
func URL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURL || strings.ContainsAny(raw, "\x00\r\n\t<>\"'` ") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	return u.String(), true
}

// Text shortens s to at most max runes, ending with "…" when cut, and drops
// invalid UTF-8.
func Text(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimSpace(s[:i]) + "…"
		}
		n++
	}
	return s
}
