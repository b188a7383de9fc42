//go:build !unix

package store

import (
	"errors"
	"os"
)

// tryLock is not available here: conditional writes to a folder need a
// unix system.
func tryLock(f *os.File) (bool, error) {
	return false, errors.New("folder locking needs a unix system")
}
