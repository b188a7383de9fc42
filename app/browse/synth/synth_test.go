package synth

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
)

func TestIndexIsValidAndStable(t *testing.T) {
	for _, n := range []int{1, 1000, 10000} {
		x := Index(n, 1)
		if len(x.Projects) != n {
			t.Fatalf("Index(%d) has %d projects", n, len(x.Projects))
		}
		if err := x.Validate(); err != nil {
			t.Fatalf("Index(%d) is invalid: %v", n, err)
		}
		var b bytes.Buffer
		if err := snapshot.Encode(&b, x); err != nil {
			t.Fatal(err)
		}
		back, err := snapshot.DecodeIndex(&b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(x, back); diff != "" {
			t.Errorf("Index(%d) does not survive a round trip (-want +got):\n%s", n, diff)
		}
	}
	if diff := cmp.Diff(Index(100, 7), Index(100, 7)); diff != "" {
		t.Errorf("Index is not deterministic:\n%s", diff)
	}
}
