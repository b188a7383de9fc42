package export

import (
	"strings"

	"versus/app/chart"
)

// Scene is a card laid out: shapes in px, in drawing order, each with its
// colour written out (an image cannot read the page's stylesheet). SVG writes
// a scene as a document; a raster drawer (the server's PNG cards) paints the
// same shapes, so both show the same card.
type Scene struct {
	Width, Height int
	Title, Desc   string // for screen readers: the SVG's <title> and <desc>
	Shapes        []Shape
}

// Shape is one of Rect, Line, Polyline, Circle and Text.
type Shape interface{ shape() }

// Rect is a box, with corners rounded by R; Stroke may be empty.
type Rect struct {
	X, Y, W, H, R float64
	Fill, Stroke  string
}

// Line is a one-pixel line.
type Line struct {
	X1, Y1, X2, Y2 float64
	Stroke         string
}

// Polyline is a chart's line, drawn with round joins and caps.
type Polyline struct {
	Points []chart.Point
	Stroke string
	Width  float64
}

// Circle is a filled dot.
type Circle struct {
	X, Y, R float64
	Fill    string
}

// Anchor is where a text's X is: its start, middle or end.
type Anchor int

// The anchors.
const (
	Start Anchor = iota
	Middle
	End
)

// Text is one line of text with its baseline at Y, made of runs (one run
// for plain text). Texts are already fitted to their room, by estimated
// widths (see textWidth).
type Text struct {
	X, Y, Size float64
	Anchor     Anchor
	Spans      []Span
}

// Span is a run of text in one colour and weight.
type Span struct {
	Text string
	Fill string
	Bold bool
}

func (Rect) shape()     {}
func (Line) shape()     {}
func (Polyline) shape() {}
func (Circle) shape()   {}
func (Text) shape()     {}

// add appends shapes to the scene.
func (s *Scene) add(shapes ...Shape) { s.Shapes = append(s.Shapes, shapes...) }

// text appends a one-run text.
func (s *Scene) text(x, y, size float64, bold bool, fill string, anchor Anchor, t string) {
	s.add(Text{X: x, Y: y, Size: size, Anchor: anchor, Spans: []Span{{Text: t, Fill: fill, Bold: bold}}})
}

// String is the plain text of t.
func (t Text) String() string {
	var b strings.Builder
	for _, s := range t.Spans {
		b.WriteString(s.Text)
	}
	return b.String()
}
