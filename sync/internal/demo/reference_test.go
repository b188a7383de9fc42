package demo

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"versus/sync/snapshot"
)

func TestReferenceApply(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	ref := reference{Source: "test", Projects: map[string]referenceEntry{
		"o/known": {Activity: f(9.6), Mentions: i(70)},
		"o/bare":  {Mentions: i(5)},
	}}
	tests := []struct {
		name    string
		p, want snapshot.Project
		used    []string
	}{
		{"fills unknowns", snapshot.Project{Repo: "O/Known"},
			snapshot.Project{Repo: "O/Known", Activity: f(9.6), Mentions: i(70)}, []string{"activity 9.6", "mentions 70"}},
		{"own activity stays; fewer mentions give way", snapshot.Project{Repo: "o/known", Activity: f(1.2), Mentions: i(9)},
			snapshot.Project{Repo: "o/known", Activity: f(1.2), Mentions: i(70)}, []string{"mentions 70"}},
		{"more mentions of our own stay", snapshot.Project{Repo: "o/bare", Mentions: i(8)},
			snapshot.Project{Repo: "o/bare", Mentions: i(8)}, nil},
		{"not in the reference", snapshot.Project{Repo: "o/other"}, snapshot.Project{Repo: "o/other"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			used := ref.apply(&p)
			if diff := cmp.Diff(tt.want, p); diff != "" {
				t.Errorf("apply() project mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.used, used); diff != "" {
				t.Errorf("apply() used mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
