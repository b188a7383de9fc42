package jsonobj

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    map[string]int
		wantErr string
	}{
		{in: `{"a":1,"b":2}`, want: map[string]int{"a": 1, "b": 2}},
		{in: `{}`, want: map[string]int{}},
		{in: `[1]`, wantErr: "[ where an object was expected"},
		{in: `{"a":1`, wantErr: "EOF"},
		{in: `{"a":"x"}`, wantErr: "cannot unmarshal"},
	} {
		got := map[string]int{}
		dec := json.NewDecoder(strings.NewReader(tc.in))
		err := Read(dec, func(key string) error {
			var v int
			err := dec.Decode(&v)
			got[key] = v
			return err
		})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Read(%s) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Read(%s): %v", tc.in, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Read(%s) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}
