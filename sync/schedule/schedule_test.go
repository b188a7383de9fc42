package schedule_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"versus/sync/schedule"
)

// The tests run in a synctest bubble: time is fake and advances only when
// every goroutine is blocked, so they take no wall-clock time.

func TestEvery(t *testing.T) {
	tests := []struct {
		name     string
		took     []time.Duration // how long each run takes (the last repeats)
		stopAt   time.Duration
		wantAt   []time.Duration // when each run starts
		wantErrs int
	}{
		{"on time", []time.Duration{time.Minute}, 20 * time.Hour, []time.Duration{0, 6 * time.Hour, 12 * time.Hour, 18 * time.Hour}, 0},
		{"overrun skips ticks", []time.Duration{7 * time.Hour, time.Minute}, 20 * time.Hour, []time.Duration{0, 12 * time.Hour, 18 * time.Hour}, 0},
		{"stop during a run", []time.Duration{time.Hour}, 6*time.Hour + 30*time.Minute, []time.Duration{0, 6 * time.Hour}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				start := time.Now()
				var at []time.Duration
				var running atomic.Int32
				run := func(ctx context.Context) error {
					if running.Add(1) > 1 {
						t.Error("two runs at once")
					}
					defer running.Add(-1)
					at = append(at, time.Since(start))
					took := tt.took[min(len(at), len(tt.took))-1]
					select {
					case <-time.After(took):
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				errs := 0
				done := make(chan error)
				go func() { done <- schedule.Every(ctx, 6*time.Hour, run, func(error) { errs++ }) }()
				time.Sleep(tt.stopAt)
				cancel()
				if err := <-done; err != nil {
					t.Errorf("Every = %v, want nil after a stop", err)
				}
				if diff := cmp.Diff(tt.wantAt, at); diff != "" {
					t.Errorf("run starts mismatch (-want +got):\n%s", diff)
				}
				if errs != tt.wantErrs {
					t.Errorf("%d errors reported, want %d", errs, tt.wantErrs)
				}
			})
		})
	}
}

func TestEveryReportsAndGoesOn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var got []string
		n := 0
		run := func(context.Context) error {
			n++
			if n == 3 {
				cancel()
			}
			return errors.New("github is down")
		}
		if err := schedule.Every(ctx, time.Hour, run, func(err error) { got = append(got, err.Error()) }); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"github is down", "github is down", "github is down"}, got); diff != "" {
			t.Errorf("reported mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestEveryRefusesZeroPeriod(t *testing.T) {
	if err := schedule.Every(context.Background(), 0, func(context.Context) error { return nil }, nil); err == nil {
		t.Error("Every(period 0) succeeded")
	}
}
