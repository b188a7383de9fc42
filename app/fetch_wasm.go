//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall/js"
)

// dataURL is where the server (or the bucket) serves snapshot objects.
const dataURL = "/data/"

// browserFetch reads a snapshot object with window.fetch, which keeps
// net/http out of the wasm.
func browserFetch(name string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	var onResponse, onBody, onError js.Func
	release := func() { onResponse.Release(); onBody.Release(); onError.Release() }
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "network error"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		arr := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		done <- result{b: b}
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resp := args[0]
		if status := resp.Get("status").Int(); !resp.Get("ok").Bool() {
			err := fmt.Errorf("%s: HTTP %d", name, status)
			if status == 404 {
				err = fmt.Errorf("%s: %w", name, fs.ErrNotExist)
			}
			done <- result{err: err}
			return nil
		}
		resp.Call("arrayBuffer").Call("then", onBody, onError)
		return nil
	})
	fetch := "fetch"
	if js.Global().Get("versusFetch").Type() == js.TypeFunction {
		fetch = "versusFetch" // lazy.js: it may have fetched it at idle
	}
	js.Global().Call(fetch, dataURL+name).Call("then", onResponse, onError)
	r := <-done
	release()
	if r.err != nil {
		return nil, fmt.Errorf("fetch %s: %w", name, r.err)
	}
	return r.b, nil
}
