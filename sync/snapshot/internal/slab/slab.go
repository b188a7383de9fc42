// Package slab hands out the figures and lists of decoded projects from
// slabs, so that a project costs a few allocations instead of dozens. Only
// the values matter to a decoded index, not where they live. The fast index
// decoders (indexjson, indexbin) share it.
package slab

import (
	"time"

	"versus/sync/snapshot"
)

// size is how many values a slab holds.
const size = 4096

// Slabs is the zero value ready to use.
type Slabs struct {
	ints   []int
	floats []float64
	times  []time.Time
	strs   []string
	lics   []snapshot.License
	rels   []snapshot.Release
}

// next hands out the next zero value of a slab.
func next[T any](s *[]T) *T {
	if len(*s) == cap(*s) {
		*s = make([]T, 0, size)
	}
	var zero T
	*s = append(*s, zero)
	return &(*s)[len(*s)-1]
}

func (s *Slabs) Int() *int                  { return next(&s.ints) }
func (s *Slabs) Float() *float64            { return next(&s.floats) }
func (s *Slabs) Time() *time.Time           { return next(&s.times) }
func (s *Slabs) License() *snapshot.License { return next(&s.lics) }
func (s *Slabs) Release() *snapshot.Release { return next(&s.rels) }

// ListStart begins a list of strings at the end of the string slab: Add
// appends to it, and List returns it.
func (s *Slabs) ListStart() int {
	if len(s.strs) > size/2 {
		s.strs = make([]string, 0, size)
	}
	return len(s.strs)
}

// Add appends v to the list begun last.
func (s *Slabs) Add(v string) { s.strs = append(s.strs, v) }

// List returns the list begun at start, capped so that appending to it
// never writes over a neighbour: []string{} when it is empty, never nil.
func (s *Slabs) List(start int) []string {
	if len(s.strs) == start {
		return []string{}
	}
	return s.strs[start:len(s.strs):len(s.strs)]
}
