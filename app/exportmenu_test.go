//go:build !(js && wasm)

package main

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"versus/app/compare"
	"versus/app/dataset"
	"versus/app/export/exporttest"
)

// When the clipboard refuses (here: no browser at all), the menu says why
// and shows the text to copy by hand.
func TestExportMenuClipboardFallback(t *testing.T) {
	cmpn, err := compare.New(dataset.New(exporttest.Index()), []string{"quote", "nihongo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newExportMenu(cmpn)
	disp := app.NewClientTester(m)
	defer disp.Close()
	m.copy(disp.Context(), "the text", "Copied.")
	disp.Consume()
	if m.state != "error" || !strings.Contains(m.status, "copy the text below") || m.manual != "the text" || m.busy {
		t.Errorf("after a refused copy: state %q, status %q, manual %q, busy %v", m.state, m.status, m.manual, m.busy)
	}
	if m.seq != 1 {
		t.Errorf("seq = %d, want 1", m.seq)
	}
	// The next export clears the manual text.
	m.csv(disp.Context(), app.Event{})
	disp.Consume()
	if m.manual != "" || m.state != "error" || !strings.Contains(m.status, "exports need a browser") {
		t.Errorf("after a CSV outside a browser: state %q, status %q, manual %q", m.state, m.status, m.manual)
	}
}
