package chart

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStylesheetPalette holds the series colours of web/app.css against
// Palette (light theme) and DarkPalette (dark theme), so that a project has
// the same colour on the page as in its exported card.
func TestStylesheetPalette(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("..", "..", "web", "app.css"))
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`--s([0-9]+):\s*(#[0-9a-fA-F]{6})`)
	var stack []string // the selectors of the open blocks
	seen := map[bool]int{}
	start := 0
	for i, ch := range string(css) {
		switch ch {
		case '{':
			stack = append(stack, string(css[start:i]))
			start = i + 1
		case '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			start = i + 1
		case ';':
			stmt := string(css[start:i])
			start = i + 1
			m := decl.FindStringSubmatch(stmt)
			if m == nil {
				continue
			}
			dark := strings.Contains(strings.Join(stack, " "), "dark")
			want := Palette
			if dark {
				want = DarkPalette
			}
			n := int(m[1][0] - '0')
			if len(m[1]) != 1 || n >= len(want) {
				t.Errorf("app.css declares --s%s, beyond the palette of %d colours", m[1], len(want))
				continue
			}
			if got := strings.ToLower(m[2]); got != want[n] {
				t.Errorf("app.css in %q: --s%d is %s, want %s (dark %v)", strings.TrimSpace(strings.Join(stack, " ")), n, got, want[n], dark)
			}
			seen[dark]++
		}
	}
	// The light default, the light choice, the dark default, the dark choice.
	if diff := cmp.Diff(map[bool]int{false: 2 * len(Palette), true: 2 * len(DarkPalette)}, seen); diff != "" {
		t.Errorf("series colours declared (-want +got):\n%s", diff)
	}
}

func TestColor(t *testing.T) {
	for _, tc := range []struct {
		i    int
		want string
	}{{0, Palette[0]}, {5, Palette[5]}, {6, Palette[0]}, {-1, Palette[5]}} {
		if got := Color(tc.i); got != tc.want {
			t.Errorf("Color(%d) = %s, want %s", tc.i, got, tc.want)
		}
	}
}
