// Package raster paints a card's export.Scene into a PNG with fogleman/gg and
// Go's own fonts (gofont, embedded), for the server's link-preview cards: the
// same layout as the SVG card, drawn without a browser. It is for the server
// only: nothing the wasm build compiles imports it.
//
// Go's fonts cover Latin, Greek and Cyrillic; other scripts (CJK, Arabic,
// emoji) are drawn as the font's fallback glyph, and RTL text left to right.
package raster

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"versus/app/export"
)

// Painter draws scenes. Its fonts are parsed once; a Painter is safe for
// concurrent use (each drawing makes its own faces).
type Painter struct {
	regular, bold *opentype.Font
}

// New parses the embedded fonts.
func New() (*Painter, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse Go Bold: %w", err)
	}
	return &Painter{regular: regular, bold: bold}, nil
}

// PNG writes sc as a PNG of sc.Width × sc.Height pixels.
func (p *Painter) PNG(w io.Writer, sc export.Scene) error {
	img, err := p.Image(sc)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(bw, img); err != nil {
		return fmt.Errorf("encode card: %w", err)
	}
	return bw.Flush()
}

// Image draws sc, shape by shape, in its order.
func (p *Painter) Image(sc export.Scene) (image.Image, error) {
	if sc.Width <= 0 || sc.Height <= 0 || sc.Width > 4096 || sc.Height > 8192 {
		return nil, fmt.Errorf("card of %d×%d px: out of bounds", sc.Width, sc.Height)
	}
	dc := gg.NewContext(sc.Width, sc.Height)
	faces := &faces{p: p, m: map[faceKey]font.Face{}}
	defer faces.close()
	for _, s := range sc.Shapes {
		switch s := s.(type) {
		case export.Rect:
			if s.R > 0 {
				dc.DrawRoundedRectangle(s.X, s.Y, s.W, s.H, s.R)
			} else {
				dc.DrawRectangle(s.X, s.Y, s.W, s.H)
			}
			dc.SetColor(parse(s.Fill))
			if s.Stroke == "" {
				dc.Fill()
				continue
			}
			dc.FillPreserve()
			dc.SetColor(parse(s.Stroke))
			dc.SetLineWidth(1)
			dc.Stroke()
		case export.Line:
			dc.DrawLine(s.X1, s.Y1, s.X2, s.Y2)
			dc.SetColor(parse(s.Stroke))
			dc.SetLineWidth(1)
			dc.Stroke()
		case export.Circle:
			dc.DrawCircle(s.X, s.Y, s.R)
			dc.SetColor(parse(s.Fill))
			dc.Fill()
		case export.Polyline:
			for i, pt := range s.Points {
				if i == 0 {
					dc.MoveTo(pt.X, pt.Y)
				} else {
					dc.LineTo(pt.X, pt.Y)
				}
			}
			dc.SetColor(parse(s.Stroke))
			dc.SetLineWidth(s.Width)
			dc.SetLineCap(gg.LineCapRound)
			dc.SetLineJoin(gg.LineJoinRound)
			dc.Stroke()
		case export.Text:
			text(dc, faces, s)
		}
	}
	return dc.Image(), nil
}

// text draws the runs of t one after the other, placed by its anchor.
func text(dc *gg.Context, fs *faces, t export.Text) {
	widths := make([]float64, len(t.Spans))
	total := 0.0
	for i, s := range t.Spans {
		dc.SetFontFace(fs.get(t.Size, s.Bold))
		widths[i], _ = dc.MeasureString(s.Text)
		total += widths[i]
	}
	x := t.X
	switch t.Anchor {
	case export.Middle:
		x -= total / 2
	case export.End:
		x -= total
	}
	for i, s := range t.Spans {
		dc.SetFontFace(fs.get(t.Size, s.Bold))
		dc.SetColor(parse(s.Fill))
		dc.DrawString(s.Text, x, t.Y)
		x += widths[i]
	}
}

type faceKey struct {
	size float64
	bold bool
}

// faces makes each size and weight's face once per drawing: a face is not
// safe for concurrent use.
type faces struct {
	p *Painter
	m map[faceKey]font.Face
}

func (fs *faces) get(size float64, bold bool) font.Face {
	k := faceKey{size, bold}
	if f, ok := fs.m[k]; ok {
		return f
	}
	f := fs.p.regular
	if bold {
		f = fs.p.bold
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// Only a size opentype refuses gets here: draw with a fixed face
		// rather than fail the card.
		return basicfont.Face7x13
	}
	fs.m[k] = face
	return face
}

func (fs *faces) close() {
	for _, f := range fs.m {
		f.Close()
	}
}

// parse reads "#rrggbb"; anything else is drawn black.
func parse(s string) color.Color {
	if len(s) != 7 || s[0] != '#' {
		return color.Black
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.Black
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}
