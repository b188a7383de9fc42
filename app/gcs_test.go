//go:build !(js && wasm)

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"versus/sync/store"
	"versus/sync/store/storetest"
)

// TestServeFromGCS publishes snapshots to a GCS emulator, as the sync does
// with -store gs://…, and serves them with -data gs://….
func TestServeFromGCS(t *testing.T) {
	host, _ := storetest.Emulator(t)
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	ctx := context.Background()
	url := "gs://" + storetest.Bucket + "/data"
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	if _, err := store.Publish(ctx, st, storetest.Snapshot(first, 3), store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}

	srv, base, _ := serveConfig(t, testConfig(testWeb(t), url), "127.0.0.1:0")
	_, body := get(t, base+"/compare/repo0-vs-repo2")
	for _, want := range []string{"1,000", "1,002", "Project repo0 of snapshot 2026-11-25T06-00-00Z"} {
		if !strings.Contains(body, want) {
			t.Errorf("compare page served from GCS lacks %q", want)
		}
	}

	second := first.Add(6 * time.Hour)
	if _, err := store.Publish(ctx, st, storetest.Snapshot(second, 4), store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	// The server looks at the pointer again in the background; here at once.
	if err := srv.src.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, base+"/data/latest.json")
	if !strings.Contains(body, `"id":"2026-11-25T12-00-00Z"`) {
		t.Errorf("latest.json after a new publish = %s, want the new snapshot", body)
	}
	_, body = get(t, base+"/data/snapshots/2026-11-25T12-00-00Z/p/owner3/repo3.json")
	if !strings.Contains(body, `"repo":"owner3/repo3"`) {
		t.Errorf("details of the new snapshot = %s", body)
	}
}
