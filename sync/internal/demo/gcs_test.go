package demo

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
	"versus/sync/store"
	"versus/sync/store/storetest"
)

// TestSyncIntoGCS runs the sync into gs://… stores against fake-gcs-server
// reached as production reaches GCS (STORAGE_EMULATOR_HOST), then reads the
// snapshot back with store.ReadLatest as the app server does. On the sample
// world the GCS store must publish exactly the objects of web/data, and
// nothing else: the star history and the ETag cache are in the state store.
func TestSyncIntoGCS(t *testing.T) {
	ctx := context.Background()
	host, _ := storetest.Emulator(t)
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	url := "gs://" + storetest.Bucket + "/e2e"
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	state, err := store.Open(ctx, store.StateURL(url))
	if err != nil {
		t.Fatal(err)
	}
	defer state.Close()
	var stdout, stderr bytes.Buffer
	if err := Generate(ctx, testdata, st, state, &stdout, &stderr); err != nil {
		t.Fatalf("sync into %s: %v\n%s", url, err, stderr.String())
	}

	ptr, idx, err := store.ReadLatest(ctx, st)
	if err != nil {
		t.Fatalf("ReadLatest: %v", err)
	}
	if ptr.ID != "2021-11-25T12-00-00Z" || len(idx.Projects) != 14 {
		t.Errorf("ReadLatest = snapshot %s with %d projects, want 2021-11-25T12-00-00Z with 14", ptr.ID, len(idx.Projects))
	}
	d, err := store.ReadDetail(ctx, st, ptr, "tokio-rs/tokio")
	if err != nil {
		t.Fatalf("ReadDetail: %v", err)
	}
	if len(d.StarHistory) != 2 {
		t.Errorf("tokio's star history has %d points, want the seeded one and this run's", len(d.StarHistory))
	}
	stars, warning, err := store.LoadStars(ctx, state)
	if err != nil || warning != nil {
		t.Fatalf("LoadStars = %v, %v", warning, err)
	}
	if diff := cmp.Diff([]store.StarRecord{{Day: "2021-10-26", Stars: 13456}, {Day: "2021-11-25", Stars: 13967}}, stars["tokio-rs/tokio"]); diff != "" {
		t.Errorf("tokio's recorded stars in GCS mismatch (-want +got):\n%s", diff)
	}
	names, err := st.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name != snapshot.PointerName && !strings.HasPrefix(name, "snapshots/") {
			t.Errorf("%s: published to the public store, which holds only %s and snapshots/", name, snapshot.PointerName)
			continue
		}
		got, _, err := st.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(webData, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: published to GCS, not in web/data: %v", name, err)
			continue
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%s differs from web/data (-web/data +gcs):\n%s", name, cmp.Diff(string(want), string(got)))
		}
	}
	if got := len(names); got != 17 { // pointer, index, binary index, 14 details
		t.Errorf("the public store holds %d objects, want 17: %v", got, names)
	}
	for _, name := range []string{store.StarsName, store.CacheName} {
		if _, _, err := state.Get(ctx, name); err != nil {
			t.Errorf("state store: %v", err)
		}
	}
}
