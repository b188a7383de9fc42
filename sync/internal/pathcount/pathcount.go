// Package pathcount counts the requests a fake API serves, by URL path.
package pathcount

import (
	"sync"
	"sync/atomic"
)

// Counts is safe for concurrent use; the zero value is ready.
type Counts struct {
	m sync.Map // path → *atomic.Int64
}

// Add counts one request for path.
func (c *Counts) Add(path string) {
	v, _ := c.m.LoadOrStore(path, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// Of returns the number of requests for path.
func (c *Counts) Of(path string) int64 {
	if v, ok := c.m.Load(path); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// Reset zeroes every count.
func (c *Counts) Reset() { c.m.Clear() }
