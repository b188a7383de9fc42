// Package safe vets third-party strings before the app puts them in a page:
// links must be http or https, and text is trimmed to a sane length.
package safe

import (
	"net/url"
	"strings"
	"unicode"
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

// Attr makes third-party text fit for an HTML attribute (title, aria-label,
// the page's meta description) and caps it at max runes. go-app writes
// attributes of prerendered pages with strconv.Quote, which does not escape
// for HTML: a '"' would end the attribute and let the rest become new
// attributes. Quotes become typographic ones; control and bidi-override
// characters, which strconv.Quote would spell out as \u escapes, are dropped.
func Attr(s string, max int) string {
	s = Text(s, max)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '”'
		case r == '\\':
			return '∖'
		case r < 0x20 || r == 0x7f:
			return ' '
		case !unicode.IsPrint(r) && r != ' ':
			return -1
		}
		return r
	}, s)
}
