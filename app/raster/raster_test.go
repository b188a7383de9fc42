package raster

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/app/chart"
	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export"
	"versus/app/export/exporttest"
	"versus/sync/snapshot"
)

// comparison compares projects of the hard-text snapshot, with their star
// histories; hostile makes the first project's text hostile.
func comparison(t testing.TB, hostile bool, slugs ...string) *compare.Comparison {
	t.Helper()
	idx := exporttest.Index()
	if hostile {
		p := &idx.Projects[0]
		p.Name = "\u202e<script>alert(1)</script>"
		p.Owner = "</text><svg onload=x>"
		p.Description = strings.Repeat("مكتبة 日本語 🚀 \u202e<b>&amp;</b> ", 100_000/40)
	}
	details := map[string]*snapshot.Detail{}
	for _, d := range exporttest.Details() {
		details[d.Repo] = d
	}
	newCmp := compare.New
	if len(slugs) == 1 {
		newCmp = func(s *dataset.Set, slugs []string, d map[string]*snapshot.Detail) (*compare.Comparison, error) {
			return compare.One(s, slugs[0], d)
		}
	}
	c, err := newCmp(dataset.New(idx), slugs, details)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPNG(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		cmp     *compare.Comparison
		size    export.Size
		hostile bool
	}{
		{name: "1 social (a project's card)", cmp: comparison(t, false, "quote"), size: export.Social},
		{name: "2 social", cmp: comparison(t, false, "quote", "nihongo"), size: export.Social},
		{name: "6 social", cmp: comparison(t, false, exporttest.Slugs...), size: export.Social},
		{name: "6 full", cmp: comparison(t, false, exporttest.Slugs...), size: export.Full},
		{name: "hostile social", cmp: comparison(t, true, exporttest.Slugs...), size: export.Social},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := export.Layout(tc.cmp, tc.size)
			var b bytes.Buffer
			if err := p.PNG(&b, sc); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got, want := img.Bounds(), image.Rect(0, 0, sc.Width, sc.Height); got != want {
				t.Errorf("PNG is %v, want %v", got, want)
			}
			if tc.size == export.Social && b.Len() > 300_000 {
				t.Errorf("PNG is %d bytes, want at most 300 kB", b.Len())
			}
			if sd := luminanceSD(img); sd < 10 {
				t.Errorf("PNG looks blank: luminance standard deviation %.1f", sd)
			}
			// The accent bar, then each project's colour bar over its column.
			if got := hexAt(img, 20, 4); got != "#4f46e5" {
				t.Errorf("pixel (20,4) is %s, want the accent bar #4f46e5", got)
			}
			var want, got []string
			for _, s := range sc.Shapes {
				if r, ok := s.(export.Rect); ok && r.H == 4 {
					want = append(want, chart.Color(len(want)))
					got = append(got, hexAt(img, int(r.X+r.W/2), int(r.Y+r.H/2)))
				}
			}
			if len(want) != len(tc.cmp.Projects) {
				t.Fatalf("%d colour bars, want %d", len(want), len(tc.cmp.Projects))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("colour bars mismatch (-want +got):\n%s", diff)
			}
			t.Logf("%s: %v, %d bytes", tc.name, img.Bounds().Size(), b.Len())
		})
	}
}

// TestStarLinesInTheirColours finds each star history line's colour in the
// chart's box of the social card.
func TestStarLinesInTheirColours(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	sc := export.Layout(comparison(t, false, "quote", "nihongo"), export.Social)
	img, err := p.Image(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sc.Shapes {
		l, ok := s.(export.Polyline)
		if !ok {
			continue
		}
		mid := l.Points[len(l.Points)/2]
		if got := hexAt(img, int(math.Round(mid.X)), int(math.Round(mid.Y))); got != l.Stroke {
			t.Errorf("line point %v is %s, want %s", mid, got, l.Stroke)
		}
	}
}

func TestImageRefusesHugeScenes(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []export.Scene{{Width: 0, Height: 630}, {Width: 100_000, Height: 630}} {
		if _, err := p.Image(sc); err == nil {
			t.Errorf("Image(%d×%d) = nil error", sc.Width, sc.Height)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"#4f46e5", "#4f46e5"}, {"#FFFFFF", "#ffffff"}, {"red", "#000000"}, {"#12345", "#000000"}, {"#zzzzzz", "#000000"},
	} {
		r, g, b, _ := parse(tc.in).RGBA()
		if got := fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8); got != tc.want {
			t.Errorf("parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// BenchmarkPNG draws and encodes the social card of six projects.
func BenchmarkPNG(b *testing.B) {
	p, err := New()
	if err != nil {
		b.Fatal(err)
	}
	sc := export.Layout(comparison(b, false, exporttest.Slugs...), export.Social)
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := p.PNG(&buf, sc); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n), "png-bytes")
}

func hexAt(img image.Image, x, y int) string {
	r, g, b, _ := img.At(x, y).RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

func luminanceSD(img image.Image) float64 {
	var sum, sum2, n float64
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 5 {
		for x := bd.Min.X; x < bd.Max.X; x += 5 {
			r, g, b, _ := img.At(x, y).RGBA()
			l := (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 257
			sum, sum2, n = sum+l, sum2+l*l, n+1
		}
	}
	return math.Sqrt(sum2/n - (sum/n)*(sum/n))
}

// TestNotInTheWasm checks that neither this package nor gg is compiled into
// the browser's app.wasm.
func TestNotInTheWasm(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "../")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./app for js/wasm: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "versus/app/raster" || strings.HasPrefix(dep, "github.com/fogleman/gg") || strings.HasPrefix(dep, "golang.org/x/image") {
			t.Errorf("the wasm build compiles %s", dep)
		}
	}
	if !strings.Contains(string(out), "versus/app/export") {
		t.Errorf("go list found no export package in the wasm's dependencies:\n%s", out)
	}
}
