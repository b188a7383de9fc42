package gh_test

import (
	"testing"
	"time"

	"versus/sync/gh"
)

// TestCacheFile checks that a cache reads the JSON layout it has always
// written and writes it back the same, though it keeps bodies deflated,
// and that entries unused for 30 days are left out.
func TestCacheFile(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	const entry = `"https://api.github.com/repos/o/r":{"etag":"W/\"1\"","link":"\u003chttps://api.github.com/repos/o/r?page=2\u003e; rel=\"next\"","body":{"full_name":"o/r","topics":["a","b"],"html":"\u003cb\u003e"},"used":"2026-02-20T00:00:00Z"}`
	const old = `"https://api.github.com/repos/o/x":{"etag":"W/\"2\"","body":[],"used":"2026-01-01T00:00:00Z"}`
	c, err := gh.LoadCache([]byte(`{"version":1,"entries":{`+entry+`,`+old+`}}`), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	b, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"version":1,"entries":{` + entry + `}}`; string(b) != want {
		t.Errorf("Marshal = %s\nwant %s", b, want)
	}
	for _, bad := range []string{`{"version":1,"entries":[]}`, `{"version":1,"entries":{}} x`, `{`} {
		if _, err := gh.LoadCache([]byte(bad), time.Now); err == nil {
			t.Errorf("LoadCache(%s) = nil error", bad)
		}
	}
	if c, err := gh.LoadCache([]byte(`{"version":2,"entries":{`+entry+`}}`), time.Now); err != nil || c.Len() != 0 {
		t.Errorf("LoadCache of version 2 = %v, %v; want an empty cache", c.Len(), err)
	}
}
