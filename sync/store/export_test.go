package store

import "versus/sync/snapshot"

// SetEncodeBin makes Publish write binary indexes with f, until restore.
func SetEncodeBin(f func(*snapshot.Index) []byte) (restore func()) {
	old := encodeBin
	encodeBin = f
	return func() { encodeBin = old }
}
