package snapshot

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ptr[T any](v T) *T { return &v }

// example is a small index using every field.
func example() *Index {
	day := func(d int) time.Time { return time.Date(2021, 11, d, 0, 0, 0, 0, time.UTC) }
	return &Index{
		SchemaVersion: SchemaVersion,
		ID:            "2021-11-25T12-00-00Z",
		GeneratedAt:   time.Date(2021, 11, 25, 12, 0, 0, 0, time.UTC),
		Note:          "sample",
		Categories:    []Category{{Slug: "async-runtime", Name: "Async runtimes", Description: "Executors."}},
		Projects: []Project{{
			Repo: "tokio-rs/tokio", Slug: "tokio", Name: "tokio", Owner: "tokio-rs",
			Description: "A runtime <for> Rust & more", Homepage: "https://tokio.rs", Language: "Rust",
			License: &License{SPDX: "MIT", Name: "MIT License"}, Topics: []string{"async"}, Categories: []string{"async-runtime"},
			Stars: ptr(13967), Growth: ptr(3.8), Stars7d: ptr(100), Stars30d: ptr(511), Activity: ptr(9.6),
			LastCommit: ptr(day(19)), Created: ptr(day(1)), Forks: ptr(1200), OpenIssues: ptr(300), Contributors: ptr(500),
			Release: &Release{Tag: "tokio-1.14.0", Date: day(16)}, Mentions: ptr(70), Alternatives: []string{"async-std"},
			FetchedAt: ptr(day(25)),
		}, {
			Repo: "async-rs/async-std", Slug: "async-std", Name: "async-std", Owner: "async-rs",
			Alternatives: []string{"tokio"}, Stale: true, StaleReason: StaleQuota,
		}},
	}
}

func TestIndexGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Encode(&b, example()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "index.golden.json")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("encoding mismatch (-want +got):\n%s", diff)
	}
	got, err := DecodeIndex(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(example(), got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil", err)
	}
}

// TestReadsSnapshotWithoutStaleReason reads an index written before
// stale_reason existed: a stale project without a reason is valid.
func TestReadsSnapshotWithoutStaleReason(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "index.no-stale-reason.json"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("stale_reason")) {
		t.Fatal("the old index holds stale_reason")
	}
	x, err := DecodeIndex(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil", err)
	}
	want := example()
	want.Projects[1].StaleReason = ""
	if diff := cmp.Diff(want, x); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestStaleMessages checks that every reason has a message and that an
// unknown one has none.
func TestStaleMessages(t *testing.T) {
	for _, r := range []string{StaleQuota, StaleRateLimit, StaleTimeout, StaleError, StaleInterrupted, StaleNotCollected} {
		if m, ok := StaleMessage(r); !ok || m == "" || strings.HasSuffix(m, ".") {
			t.Errorf("StaleMessage(%q) = %q, %v; want a message without a final stop", r, m, ok)
		}
	}
	if m, ok := StaleMessage("nope"); ok || m != "" {
		t.Errorf("StaleMessage(nope) = %q, %v; want none", m, ok)
	}
}

func TestSampleDataIsValid(t *testing.T) {
	dir := filepath.Join("..", "..", "web", "data")
	f, err := os.Open(filepath.Join(dir, PointerName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := DecodePointer(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, p.Index))
	if err != nil {
		t.Fatal(err)
	}
	x, err := DecodeIndex(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(x.Projects) != p.Projects {
		t.Errorf("pointer says %d projects, index has %d", p.Projects, len(x.Projects))
	}
	for _, pr := range x.Projects {
		b, err := os.ReadFile(filepath.Join(dir, DetailName(x.ID, pr.Repo)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeDetail(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", pr.Repo, err)
		}
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", pr.Repo, err)
		}
	}
}

func TestValidateNamesProjectAndField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(x *Index)
		want   []string
	}{
		{"negative stars", func(x *Index) { x.Projects[0].Stars = ptr(-1) }, []string{`project "tokio-rs/tokio": stars is -1`}},
		{"activity range", func(x *Index) { x.Projects[0].Activity = ptr(11.0) }, []string{`project "tokio-rs/tokio": activity 11 is outside 0–10`}},
		{"bad repo", func(x *Index) { x.Projects[1].Repo = "nope" }, []string{`project "nope": repo "nope" is not of the form owner/name`}},
		{"slug with -vs-", func(x *Index) { x.Projects[1].Slug = "a-vs-b"; x.Projects[0].Alternatives = nil }, []string{`project "async-rs/async-std": slug "a-vs-b"`}},
		{"duplicate slug", func(x *Index) { x.Projects[1].Slug = "tokio" }, []string{`slug "tokio" is used twice`}},
		{"unknown category", func(x *Index) { x.Projects[0].Categories = []string{"nope"} }, []string{`project "tokio-rs/tokio": categories: "nope"`}},
		{"unknown alternative", func(x *Index) { x.Projects[0].Alternatives = []string{"ghost"} }, []string{`project "tokio-rs/tokio": alternatives: "ghost"`}},
		{"self alternative", func(x *Index) { x.Projects[0].Alternatives = []string{"tokio"} }, []string{"lists the project itself"}},
		{"owner mismatch", func(x *Index) { x.Projects[0].Owner = "someone" }, []string{`owner "someone" and name "tokio" do not match`}},
		{"zero time", func(x *Index) { x.Projects[0].LastCommit = ptr(time.Time{}) }, []string{"last_commit is the zero time"}},
		{"created far ahead", func(x *Index) { x.Projects[0].Created = ptr(time.Unix(1<<40, 0)) },
			[]string{`project "tokio-rs/tokio": created 36812-02-20T00:36:16Z is outside the years 1970–2100`}},
		{"last commit before 1970", func(x *Index) { x.Projects[1].LastCommit = ptr(time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)) },
			[]string{`project "async-rs/async-std": last_commit 1969-12-31T23:00:00Z is outside`}},
		{"release after 2100", func(x *Index) { x.Projects[0].Release.Date = time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC) },
			[]string{`project "tokio-rs/tokio": release date 2101-01-01T00:00:00Z is outside`}},
		{"fetched in year 9999", func(x *Index) { x.Projects[0].FetchedAt = ptr(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) },
			[]string{`project "tokio-rs/tokio": fetched_at 9999-01-01T00:00:00Z is outside`}},
		{"generated far back", func(x *Index) { x.GeneratedAt = time.Unix(-1<<40, 0) }, []string{"index: generated_at -32873-"}},
		{"two problems", func(x *Index) { x.Projects[0].Forks = ptr(-2); x.Projects[1].Mentions = ptr(-3) }, []string{"forks is -2", "mentions is -3"}},
		{"schema", func(x *Index) { x.SchemaVersion = 2 }, []string{"schema_version is 2, want 1"}},
		{"unknown stale reason", func(x *Index) { x.Projects[1].StaleReason = "the dog ate it" },
			[]string{`project "async-rs/async-std": stale_reason "the dog ate it" is not one of the known reasons`}},
		{"long stale reason", func(x *Index) { x.Projects[1].StaleReason = strings.Repeat("x", 10000) },
			[]string{`stale_reason "` + strings.Repeat("x", 40) + `" is not one`}},
		{"stale reason when fresh", func(x *Index) { x.Projects[0].StaleReason = StaleTimeout },
			[]string{`project "tokio-rs/tokio": stale_reason "timeout" on a project that is not stale`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := example()
			tc.change(x)
			err := x.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to say %q", err, w)
				}
			}
		})
	}
}

func TestValidateCapsProblems(t *testing.T) {
	x := example()
	for i := range 50 {
		x.Projects = append(x.Projects, Project{Repo: "bad", Slug: "s" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
	}
	err := x.Validate()
	if err == nil || !strings.Contains(err.Error(), "more problems") {
		t.Fatalf("Validate() = %v, want a capped list", err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != maxProblems+1 {
		t.Errorf("Validate() gave %d lines, want %d", n, maxProblems+1)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty input"},
		{"{", "decode index"},
		{`{"schema_version":2}`, "schema_version 2, this reader knows only 1"},
		{`{"schema_version":1,"projects":[{"stars":"many"}]}`, `field "projects.stars"`},
		{`{"schema_version":1} {}`, "trailing data"},
	} {
		_, err := DecodeIndex(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeIndex(%q) error = %v, want it to say %q", tc.in, err, tc.want)
		}
	}
}

func TestPointerAndDetailValidate(t *testing.T) {
	p := &Pointer{SchemaVersion: 1, ID: "2021-11-25T12-00-00Z", GeneratedAt: time.Now(), Index: IndexName("2021-11-25T12-00-00Z"), Projects: 2}
	if err := p.Validate(); err != nil {
		t.Errorf("valid pointer: %v", err)
	}
	p.Index = "../../etc/passwd"
	if err := p.Validate(); err == nil {
		t.Errorf("pointer to %q validated", p.Index)
	}
	d := &Detail{SchemaVersion: 1, Repo: "a/b", Posts: []Post{{Title: "", Projects: 0, Mentions: []string{"a/b"}}},
		StarHistory: []StarPoint{{Date: time.Unix(10, 0), Stars: 1}, {Date: time.Unix(5, 0), Stars: 2}}}
	err := d.Validate()
	for _, w := range []string{"title is empty", "date is missing", "projects is 0, fewer than the 1", "dates are not increasing"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Detail.Validate() = %v, want it to say %q", err, w)
		}
	}
	d = &Detail{SchemaVersion: 1, Repo: "a/b",
		Posts:       []Post{{Title: "t", Date: time.Unix(1<<42, 0), Projects: 1}},
		Commits:     &Weekly{Start: time.Date(1900, 1, 7, 0, 0, 0, 0, time.UTC), Counts: []int{1}},
		StarHistory: []StarPoint{{Date: time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC), Stars: 1}}}
	err = d.Validate()
	for _, w := range []string{`detail "a/b": post 0: date 141338-`, `detail "a/b": commits: start 1900-01-07T00:00:00Z is outside`,
		`detail "a/b": star_history 0: date 2101-01-01T00:00:00Z is outside the years 1970–2100`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Detail.Validate() = %v, want it to say %q", err, w)
		}
	}
	p.Index, p.GeneratedAt = IndexName(p.ID), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "pointer: generated_at 2200-01-01T00:00:00Z is outside") {
		t.Errorf("Pointer.Validate() = %v, want generated_at outside the years", err)
	}
	if got, want := NewID(time.Date(2026, 11, 25, 6, 0, 0, 0, time.FixedZone("x", 3600))), "2026-11-25T05-00-00Z"; got != want {
		t.Errorf("NewID = %q, want %q", got, want)
	}
}

// FuzzDecode checks that no input makes decoding or validation panic.
func FuzzDecode(f *testing.F) {
	var b bytes.Buffer
	Encode(&b, example())
	f.Add(b.Bytes())
	f.Add([]byte(`{"schema_version":1,"id":"2021-11-25T12-00-00Z","index":"snapshots/2021-11-25T12-00-00Z/index.json"}`))
	f.Add([]byte(`{"schema_version":1,"repo":"a/b","posts":[{"title":"x","projects":-1}],"star_history":[{"stars":1}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if x, err := DecodeIndex(bytes.NewReader(in)); err == nil {
			x.Validate()
		}
		if p, err := DecodePointer(bytes.NewReader(in)); err == nil {
			p.Validate()
		}
		if d, err := DecodeDetail(bytes.NewReader(in)); err == nil {
			d.Validate()
		}
	})
}
