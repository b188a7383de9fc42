package synth

import (
	"bytes"
	"compress/gzip"
	"os"
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

// TestDescriptionsCompressLikeRealOnes checks that synthetic descriptions
// carry as much information as the real ones of the sample in web/data:
// the same number of them gzip to about as many bytes. (The sample has no
// topics to measure.)
func TestDescriptionsCompressLikeRealOnes(t *testing.T) {
	ptr, err := os.ReadFile("../../../web/data/" + snapshot.PointerName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := snapshot.DecodePointer(bytes.NewReader(ptr))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../../web/data/" + p.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sample, err := snapshot.DecodeIndex(f)
	if err != nil {
		t.Fatal(err)
	}
	n := len(sample.Projects)
	real := descriptionBytes(sample.Projects)
	synthetic := descriptionBytes(Index(10000, 1).Projects[5000 : 5000+n])
	t.Logf("%d descriptions gzip to %d bytes each in the sample, %d synthetic", n, real/n, synthetic/n)
	if synthetic < real*3/4 || synthetic > real*5/4 {
		t.Errorf("%d synthetic descriptions gzip to %d bytes, the sample's to %d: want within 25%%", n, synthetic, real)
	}
}

// descriptionBytes is the gzipped size of the projects' descriptions.
func descriptionBytes(ps []snapshot.Project) int {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	for _, p := range ps {
		w.Write([]byte(p.Description + "\n"))
	}
	w.Close()
	return gz.Len()
}
