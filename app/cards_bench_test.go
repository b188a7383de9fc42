//go:build linux

package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"versus/app/export/exporttest"
)

// BenchmarkCards times drawing the link-preview card in Go (median of 20,
// on the hard-text snapshot with star histories, details already read) and
// prints its sizes: the PNG of /cards/….png and the SVG of /cards/….svg.
// Beside the wall time it prints the process's CPU time per card, which a
// machine shared with other work does not inflate.
func BenchmarkCards(b *testing.B) {
	data := b.TempDir()
	if err := exporttest.Write(data); err != nil {
		b.Fatal(err)
	}
	srv, err := newServer(context.Background(), testConfig(testWeb(b), data))
	if err != nil {
		b.Fatal(err)
	}
	set, err := srv.src.Load()
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		for _, slugs := range [][]string{{"quote", "nihongo"}, exporttest.Slugs} {
			canon, repos, err := resolve(set, slugs)
			if err != nil {
				b.Fatal(err)
			}
			for _, ext := range []string{"png", "svg"} {
				var ms []float64
				var size int
				cpu0 := cpuTime(b)
				for range 20 {
					t0 := time.Now()
					body, err := srv.cards.render(set, canon, repos, ext)
					if err != nil {
						b.Fatal(err)
					}
					ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
					size = len(body)
				}
				cpu := float64((cpuTime(b) - cpu0).Microseconds()) / 1000 / 20
				sort.Float64s(ms)
				what := fmt.Sprintf("card %s 1200×630, %d projects", strings.ToUpper(ext), len(slugs))
				row(what+", median of 20 (ms)", fmt.Sprintf("%.1f", ms[10]))
				row(what+", CPU, mean of 20 (ms)", fmt.Sprintf("%.1f", cpu))
				row(what+" (bytes)", fmt.Sprint(size))
				b.ReportMetric(ms[10], fmt.Sprintf("%s-%dp-ms", ext, len(slugs)))
			}
		}
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
