package export

import (
	"encoding/xml"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An SVG has no text layout, and the card must not load fonts (a remote
// font would taint the canvas), so widths are estimated from the character
// classes of a typical sans-serif system font. The estimates err on the wide
// side so that text stays inside its box.

// textWidth estimates the width of s in px at font size px.
func textWidth(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	if bold {
		w *= 1.12
	}
	return w * size
}

// runeWidth is the advance of r in em.
func runeWidth(r rune) float64 {
	switch {
	case isWide(r):
		return 1.0
	case unicode.Is(unicode.Mn, r) || r == '\u200b' || r == '\u200d':
		return 0
	case strings.ContainsRune("il.,:;'|!`", r):
		return 0.3
	case strings.ContainsRune("fjtrI()[]{} ", r):
		return 0.38
	case strings.ContainsRune("mwMW@%", r):
		return 0.9
	case unicode.IsUpper(r):
		return 0.7
	case r > 0x2000:
		return 0.75 // symbols, arrows, emoji fallbacks
	default:
		return 0.61
	}
}

// isWide reports East Asian wide and full-width characters, and emoji.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0xff00 && r <= 0xff60 || r >= 0x3000 && r <= 0x303f || r >= 0x1f300 && r <= 0x1faff
}

// fit shortens s with an ellipsis so that it is at most width px wide.
func fit(s string, width, size float64, bold bool) string {
	s = oneLine(s)
	if textWidth(s, size, bold) <= width {
		return s
	}
	ell := textWidth("…", size, bold)
	w := 0.0
	for i, r := range s {
		rw := runeWidth(r) * size
		if bold {
			rw *= 1.12
		}
		if w+rw+ell > width {
			return strings.TrimRight(s[:i], " ") + "…"
		}
		w += rw
	}
	return s
}

// wrap breaks s into at most maxLines lines of at most width px, breaking at
// spaces, or anywhere in scripts written without them; the last line ends
// with an ellipsis when text is left over.
func wrap(s string, width, size float64, maxLines int) []string {
	s = oneLine(s)
	var lines []string
	for s != "" && len(lines) < maxLines {
		if textWidth(s, size, false) <= width {
			lines = append(lines, s)
			s = ""
			break
		}
		// cut ends the characters that fit; brk is the last place to break.
		cut, brk, w := 0, 0, 0.0
		for i, r := range s {
			rw := runeWidth(r) * size
			if w+rw > width {
				break
			}
			w += rw
			cut = i + utf8.RuneLen(r)
			if r == ' ' {
				brk = i
			} else if isWide(r) {
				brk = cut // scripts without spaces break after any character
			}
		}
		if brk > 0 {
			cut = brk
		}
		if cut == 0 { // a character wider than the line
			_, n := utf8.DecodeRuneInString(s)
			cut = n
		}
		lines = append(lines, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" && len(lines) > 0 {
		last := &lines[len(lines)-1]
		*last = fit(*last+" "+s, width, size, false)
	}
	return lines
}

// oneLine folds every run of white space, newlines included, into one space,
// and drops bidi controls.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Bidi_Control, r) {
			return -1 // an override would reorder the card's text (and spoof it)
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// esc escapes s for XML text and attribute values; characters XML forbids
// become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
