package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlags(t *testing.T) {
	type got struct {
		Store, State, Catalog string
		Concurrency, Keep     int
		MaxFailed             float64
		Every                 time.Duration
	}
	tests := []struct {
		args    []string
		want    got
		wantErr string
	}{
		{nil, got{"web/data", "web/state", "sync/catalog.yaml", 4, 14, 0.2, 0}, ""},
		{[]string{"-store", "gs://b/data", "-every", "6h", "-keep", "3"}, got{"gs://b/data", "gs://b/state", "sync/catalog.yaml", 4, 3, 0.2, 6 * time.Hour}, ""},
		{[]string{"-store", "gs://site/data", "-state", "gs://site-state", "-concurrency", "2", "-max-failed", "0"}, got{"gs://site/data", "gs://site-state", "sync/catalog.yaml", 2, 14, 0, 0}, ""},
		{[]string{"-concurrency", "0"}, got{}, "-concurrency must be at least 1"},
		{[]string{"-max-failed", "2"}, got{}, "-max-failed must be between 0 and 1"},
		{[]string{"-star-reserve", "1.5"}, got{}, "-star-reserve must be between 0 and 1"},
		{[]string{"-keep", "0"}, got{}, "-keep must be at least 1"},
		{[]string{"-request-timeout", "0s"}, got{}, "-request-timeout must be positive"},
		{[]string{"extra"}, got{}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFlags(%q) = %v, want %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", tt.args, err)
			}
			g := got{f.store, f.state, f.cfg.Catalog, f.cfg.Concurrency, f.cfg.Keep, f.cfg.MaxFailed, f.every}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("parseFlags(%q) mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}
