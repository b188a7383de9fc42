package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Encode writes v (a *Pointer, *Index or *Detail) as compact JSON followed by
// a newline.
func Encode(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// DecodePointer reads a Pointer. It checks the schema version, not the rest:
// call Validate for that.
func DecodePointer(r io.Reader) (*Pointer, error) {
	var p Pointer
	if err := decode(r, "pointer", &p, &p.SchemaVersion); err != nil {
		return nil, err
	}
	return &p, nil
}

// DecodeIndex reads an Index. It checks the schema version, not the rest:
// call Validate for that.
func DecodeIndex(r io.Reader) (*Index, error) {
	var x Index
	if err := decode(r, "index", &x, &x.SchemaVersion); err != nil {
		return nil, err
	}
	return &x, nil
}

// DecodeDetail reads a Detail. It checks the schema version, not the rest:
// call Validate for that.
func DecodeDetail(r io.Reader) (*Detail, error) {
	var d Detail
	if err := decode(r, "detail", &d, &d.SchemaVersion); err != nil {
		return nil, err
	}
	return &d, nil
}

func decode(r io.Reader, what string, v any, version *int) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("decode %s: empty input", what)
		case errors.As(err, &syn):
			return fmt.Errorf("decode %s: invalid JSON at byte %d: %w", what, syn.Offset, err)
		case errors.As(err, &typ):
			return fmt.Errorf("decode %s: field %q at byte %d holds %s, want %s", what, typ.Field, typ.Offset, typ.Value, typ.Type)
		}
		return fmt.Errorf("decode %s: %w", what, err)
	}
	if dec.More() {
		return fmt.Errorf("decode %s: trailing data after the JSON value", what)
	}
	if *version != SchemaVersion {
		return fmt.Errorf("decode %s: schema_version %d, this reader knows only %d", what, *version, SchemaVersion)
	}
	return nil
}
