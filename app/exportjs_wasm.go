//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"versus/app/export"
)

// The browser side of the export menu. A JS call that throws panics in Go,
// so every entry point recovers and reports an error instead.

// blob is a Blob of the browser.
type blob struct{ v js.Value }

func (b blob) size() int {
	if b.v.IsUndefined() || b.v.IsNull() {
		return 0
	}
	return b.v.Get("size").Int()
}

// caught turns a panic of a JS call into *err.
func caught(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("the browser refused: %v", r)
	}
}

// await calls done once the promise p settles, on its own goroutine so that
// done may block.
func await(p js.Value, done func(js.Value, error)) {
	var ok, fail js.Func
	release := func() { ok.Release(); fail.Release() }
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		go done(v, nil)
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		go done(js.Undefined(), jsError(args))
		return nil
	})
	p.Call("then", ok, fail)
}

// jsError describes the reason a promise was rejected with.
func jsError(args []js.Value) error {
	if len(args) == 0 || !args[0].Truthy() {
		return errors.New("unknown error")
	}
	r := args[0]
	if msg := r.Get("message"); msg.Type() == js.TypeString {
		if name := r.Get("name"); name.Type() == js.TypeString && name.String() != "Error" {
			return fmt.Errorf("%s: %s", name.String(), msg.String())
		}
		return errors.New(msg.String())
	}
	return errors.New(r.Call("toString").String())
}

// clipboardWrite puts text on the clipboard; done gets the outcome. The
// clipboard exists only in secure contexts (https, localhost, 127.0.0.1).
func clipboardWrite(text string, done func(error)) {
	err := func() (err error) {
		defer caught(&err)
		cb := js.Global().Get("navigator").Get("clipboard")
		if !cb.Truthy() {
			return errors.New("no clipboard access on a page that is not served over https")
		}
		await(cb.Call("writeText", text), func(_ js.Value, err error) { done(err) })
		return nil
	}()
	if err != nil {
		go done(err)
	}
}

// newBlob copies b into a Blob of the given type.
func newBlob(b []byte, mime string) js.Value {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	return js.Global().Get("Blob").New([]any{arr}, map[string]any{"type": mime})
}

// downloadBytes saves b as a file named name.
func downloadBytes(name, mime string, b []byte) (err error) {
	defer caught(&err)
	return downloadBlob(name, blob{newBlob(b, mime)})
}

// downloadBlob saves b as a file named name, through a link with the
// download attribute.
func downloadBlob(name string, b blob) (err error) {
	defer caught(&err)
	url := js.Global().Get("URL").Call("createObjectURL", b.v)
	doc := js.Global().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Set("rel", "noopener")
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// Revoking at once can cancel the download in some browsers.
	time.AfterFunc(time.Minute, func() { js.Global().Get("URL").Call("revokeObjectURL", url) })
	return nil
}

// renderPNG draws card onto a canvas scale times its size and encodes it as
// PNG: SVG Blob → object URL → Image → canvas.drawImage → toBlob. The SVG
// loads nothing, so the canvas is not tainted and toBlob is allowed.
func renderPNG(card export.Card, scale int, done func(blob, error)) {
	err := func() (err error) {
		defer caught(&err)
		g := js.Global()
		src := g.Get("URL").Call("createObjectURL", newBlob(card.SVG, "image/svg+xml;charset=utf-8"))
		img := g.Get("Image").New()
		var onload, onerror, onblob js.Func
		release := func() {
			onload.Release()
			onerror.Release()
			g.Get("URL").Call("revokeObjectURL", src)
		}
		fail := func(err error) { go done(blob{js.Undefined()}, err) }
		onblob = js.FuncOf(func(_ js.Value, args []js.Value) any {
			onblob.Release()
			if len(args) == 0 || !args[0].Truthy() {
				fail(errors.New("the canvas could not be encoded as PNG"))
				return nil
			}
			b := blob{args[0]}
			go done(b, nil)
			return nil
		})
		onload = js.FuncOf(func(js.Value, []js.Value) any {
			defer release()
			var err error
			func() {
				defer caught(&err)
				w, h := card.Width*scale, card.Height*scale
				canvas := g.Get("document").Call("createElement", "canvas")
				canvas.Set("width", w)
				canvas.Set("height", h)
				c2d := canvas.Call("getContext", "2d")
				if !c2d.Truthy() {
					err = errors.New("no 2D canvas in this browser")
					return
				}
				c2d.Call("drawImage", img, 0, 0, w, h)
				canvas.Call("toBlob", onblob, "image/png")
			}()
			if err != nil {
				onblob.Release()
				fail(err)
			}
			return nil
		})
		onerror = js.FuncOf(func(js.Value, []js.Value) any {
			release()
			onblob.Release()
			fail(errors.New("the card image could not be drawn"))
			return nil
		})
		img.Set("onload", onload)
		img.Set("onerror", onerror)
		img.Set("src", src)
		return nil
	}()
	if err != nil {
		go done(blob{js.Undefined()}, err)
	}
}

// pngFile makes a File of a PNG blob, as the Web Share API takes it.
func pngFile(name string, b blob) js.Value {
	return js.Global().Get("File").New([]any{b.v}, name, map[string]any{"type": "image/png"})
}

// canShareFiles reports whether the Web Share API can share a PNG file here.
func canShareFiles() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	nav := js.Global().Get("navigator")
	if !nav.Get("share").Truthy() || !nav.Get("canShare").Truthy() || !js.Global().Get("File").Truthy() {
		return false
	}
	probe := pngFile("card.png", blob{newBlob([]byte{}, "image/png")})
	return nav.Call("canShare", map[string]any{"files": []any{probe}}).Truthy()
}

// shareFile opens the system's share sheet with the PNG b, a title, a text
// and a link.
func shareFile(title, text, link, name string, b blob, done func(error)) {
	err := func() (err error) {
		defer caught(&err)
		data := js.Global().Get("Object").New()
		data.Set("title", title)
		data.Set("text", text)
		data.Set("url", link)
		data.Set("files", js.Global().Get("Array").Call("of", pngFile(name, b)))
		nav := js.Global().Get("navigator")
		if !nav.Get("share").Truthy() {
			return errors.New("this browser cannot share files")
		}
		await(nav.Call("share", data), func(_ js.Value, err error) { done(err) })
		return nil
	}()
	if err != nil {
		go done(err)
	}
}
