// Package jsonobj reads a large JSON object one member at a time, so that
// a caller can decode each value into its own compact form instead of
// holding the whole object as Go values first.
package jsonobj

import (
	"encoding/json"
	"fmt"
)

// Read reads a JSON object from dec, calling field for each key with dec
// before its value; field reads the value.
func Read(dec *json.Decoder, field func(key string) error) error {
	if t, err := dec.Token(); err != nil {
		return err
	} else if t != json.Delim('{') {
		return fmt.Errorf("%v where an object was expected", t)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	_, err := dec.Token() // the closing brace
	return err
}
