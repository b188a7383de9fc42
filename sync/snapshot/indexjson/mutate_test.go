package indexjson

import (
	"math/rand/v2"
	"testing"
)

// TestMutations checks small random damage to the sample: the fast path
// either reads it as encoding/json does or leaves it to encoding/json.
func TestMutations(t *testing.T) {
	base := sample(t)
	r := rand.New(rand.NewPCG(1, 2))
	bytes := []byte(`{}[]",:\u0123456789.eE+-ntfrl aZ` + "\x00\xff")
	for range 3000 {
		b := append([]byte(nil), base...)
		for range 1 + r.IntN(3) {
			i := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[i] = bytes[r.IntN(len(bytes))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]byte{bytes[r.IntN(len(bytes))]}, b[i:]...)...)
			}
		}
		same(t, b)
	}
}
