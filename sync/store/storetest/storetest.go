// Package storetest provides what tests of the store and of its users need:
// fake-gcs-server in process, with or without a listener, and small valid
// snapshots.
package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"versus/sync/snapshot"
	"versus/sync/store"
)

// Bucket is the bucket the fake servers create.
const Bucket = "versus-test"

// GCS returns a store under prefix in a fake GCS server that runs in process
// without a listener, and the server.
func GCS(t testing.TB, prefix string) (*store.GCS, *fakestorage.Server) {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{NoListener: true})
	if err != nil {
		t.Fatalf("start fake gcs: %v", err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: Bucket})
	client := srv.Client()
	t.Cleanup(func() { client.Close() })
	return store.NewGCS(client, Bucket, prefix), srv
}

// Emulator starts a fake GCS server on a 127.0.0.1 listener, as production
// clients reach it, and returns the value for STORAGE_EMULATOR_HOST
// ("http://127.0.0.1:PORT") and the server. Set the variable with t.Setenv
// (or in a child's environment) before store.Open("gs://"+Bucket+"/...").
func Emulator(t testing.TB) (host string, srv *fakestorage.Server) {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme:     "http",
		Host:       "127.0.0.1",
		PublicHost: "127.0.0.1", // reads go through the XML API here
	})
	if err != nil {
		t.Fatalf("start fake gcs: %v", err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: Bucket})
	return srv.URL(), srv
}

// Snapshot returns a valid snapshot generated at t with n projects
// ("owner<i>/repo<i>"), each with details.
func Snapshot(t time.Time, n int) store.Snapshot {
	t = t.UTC().Truncate(time.Second)
	id := snapshot.NewID(t)
	x := &snapshot.Index{
		SchemaVersion: snapshot.SchemaVersion,
		ID:            id,
		GeneratedAt:   t,
		Categories:    []snapshot.Category{{Slug: "test", Name: "Test", Description: "Projects of a test."}},
	}
	var details []*snapshot.Detail
	for i := range n {
		owner, name := fmt.Sprintf("owner%d", i), fmt.Sprintf("repo%d", i)
		stars := 1000 + i
		x.Projects = append(x.Projects, snapshot.Project{
			Repo: owner + "/" + name, Slug: strings.ToLower(name), Name: name, Owner: owner,
			Description: "Project " + name + " of snapshot " + id,
			Categories:  []string{"test"}, Stars: &stars,
		})
		details = append(details, &snapshot.Detail{
			SchemaVersion: snapshot.SchemaVersion,
			Repo:          owner + "/" + name,
			StarHistory:   []snapshot.StarPoint{{Date: t, Stars: stars}},
		})
	}
	return store.Snapshot{Index: x, Details: details}
}
