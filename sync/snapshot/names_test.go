package snapshot

import (
	"regexp"
	"strings"
	"testing"
)

// The rules as regular expressions: the hand-written checks must agree.
var (
	repoRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
	slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9._-]{0,100})$`)
	idRE   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z$`)
)

func checkNames(t *testing.T, s string) {
	t.Helper()
	if got, want := ValidRepo(s), repoRE.MatchString(s) && !strings.HasSuffix(s, "/.") && !strings.HasSuffix(s, "/.."); got != want {
		t.Errorf("ValidRepo(%q) = %v, want %v", s, got, want)
	}
	if got, want := ValidSlug(s), slugRE.MatchString(s) && !strings.Contains(s, "-vs-"); got != want {
		t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
	}
	if got, want := validID(s), idRE.MatchString(s); got != want {
		t.Errorf("validID(%q) = %v, want %v", s, got, want)
	}
}

var nameSeeds = []string{
	"", "a", "a/b", "tokio-rs/tokio", "-a/b", "a-/b", "a/.", "a/..", "a/...", "a/.b", "a/b/c", "A/B", "a b/c",
	"a/" + strings.Repeat("x", 100), "a/" + strings.Repeat("x", 101), strings.Repeat("o", 39) + "/x", strings.Repeat("o", 40) + "/x",
	"tokio", "Tokio", "a-vs-b", "a.b_c-d", ".a", "_a", strings.Repeat("s", 101), strings.Repeat("s", 102), "é", "a/é",
	"2021-11-25T12-00-00Z", "2021-11-25T12:00:00Z", "2021-11-25T12-00-00", "20a1-11-25T12-00-00Z", "2021-11-25T12-00-00Zx",
}

func TestNamesAgreeWithTheirRules(t *testing.T) {
	for _, s := range nameSeeds {
		checkNames(t, s)
	}
}

func FuzzNames(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkNames(t, s) })
}
