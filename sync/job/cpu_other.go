//go:build !unix

package job

import "time"

// processCPU is unknown here: zero.
func processCPU() time.Duration { return 0 }
