// Package schedule runs a job periodically, one run at a time, until its
// context ends: what `go run ./sync -every 6h` does.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Every calls run now and then once per period, never two calls at once,
// until ctx is done. A run that takes longer than the period delays the
// next one to the next period boundary after it ends (missed ticks are
// skipped, never queued). The error of a run goes to report and does not
// stop the schedule.
//
// When ctx ends (SIGINT or SIGTERM through signal.NotifyContext), the
// running call sees its context cancelled, Every waits for it to return and
// returns nil. A run cancelled halfway must leave the published data as it
// was, which store.Publish does.
func Every(ctx context.Context, period time.Duration, run func(context.Context) error, report func(error)) error {
	if period <= 0 {
		return fmt.Errorf("schedule: period %v, want more than 0", period)
	}
	start := time.Now()
	for n := 0; ; n++ {
		if err := run(ctx); err != nil && report != nil && !(ctx.Err() != nil && errors.Is(err, context.Canceled)) {
			report(err)
		}
		if ctx.Err() != nil {
			return nil
		}
		// The next boundary after now, counted from the start, so runs keep
		// their phase instead of drifting by their own length.
		next := start.Add(time.Duration(time.Since(start)/period+1) * period)
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
