package exporttest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// SVG is what an SVG file holds, read back.
type SVG struct {
	Width, Height string // the root's attributes
	Text          string // the text of every text element, one a line
	Polylines     int
}

// ReadSVG parses b as XML and fails t unless it is one svg element in the
// SVG namespace.
func ReadSVG(t testing.TB, b []byte) SVG {
	t.Helper()
	var doc SVG
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth, inText := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse as XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element is %v, want svg in the SVG namespace", tok.Name)
				}
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "width":
						doc.Width = a.Value
					case "height":
						doc.Height = a.Value
					}
				}
			}
			depth++
			switch tok.Name.Local {
			case "text":
				inText++
				texts = append(texts, "")
			case "polyline":
				doc.Polylines++
			}
		case xml.EndElement:
			depth--
			if tok.Name.Local == "text" {
				inText--
			}
		case xml.CharData:
			if inText > 0 {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if depth != 0 {
		t.Fatal("SVG ends inside an element")
	}
	doc.Text = strings.Join(texts, "\n")
	return doc
}
