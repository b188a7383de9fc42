//go:build !(js && wasm)

package main

import (
	"errors"

	"versus/app/export"
)

// The export menu acts only in a browser; on the server (which prerenders
// the menu) and in native tests these stand in for exportjs_wasm.go.

var errNoBrowser = errors.New("exports need a browser")

type blob struct{}

func (blob) size() int { return 0 }

func clipboardWrite(_ string, done func(error))              { done(errNoBrowser) }
func downloadBytes(_, _ string, _ []byte) error              { return errNoBrowser }
func downloadBlob(_ string, _ blob) error                    { return errNoBrowser }
func renderPNG(_ export.Card, _ int, done func(blob, error)) { done(blob{}, errNoBrowser) }
func canShareFiles() bool                                    { return false }
func shareFile(_, _, _, _ string, _ blob, done func(error))  { done(errNoBrowser) }
