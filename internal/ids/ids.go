// Package ids makes identifiers that need no central sequence, so that rows made on different machines or
// shards never collide and still sort by creation time.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// alphabet is Crockford's base 32 in lower case: in ASCII order (so an id's text sorts as its bits do, on
// SQLite's BINARY and on any collation of letters and digits), no letters mistaken for digits, one case.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// New returns a 20-character id: a version of 1 in 4 bits, the millisecond it was made in 48 and 48 random
// bits, written in base 32. Ids were UUIDv7s of 36 characters before (RFC 9562): every id sits in its row and
// again in each index over it, and a case's lifecycle keeps about a hundred of them, so the 16 characters
// saved are about a fifth of what a case costs to keep (BENCHMARKS.md "Bytes stored per six-move lifecycle").
// The ids kept before stay valid: the version makes each new id start with "2", after every UUID of the next
// five centuries (which start with "0"), so lists ordered by id keep their order by age across the change.
// 48 random bits within one millisecond: a millisecond in which the region makes a hundred ids holds two
// alike with odds of 1 in 5·10^10, and a collision is refused by the primary key, never merged.
func New() string {
	var r [8]byte
	_, _ = rand.Read(r[2:])
	return Of(time.Now(), binary.BigEndian.Uint64(r[:]))
}

// Of makes the id of a moment with the lowest 48 bits of random: a generator's own (bianmin gen makes the
// same ids from the same seed).
func Of(t time.Time, random uint64) string {
	// the 100 bits as one 128-bit number in two words, written 5 bits a character from the lowest
	v := uint64(1)<<48 | uint64(t.UnixMilli())&(1<<48-1) // the version above the time: 52 bits
	hi, lo := v>>16, v<<48|random&(1<<48-1)
	var s [20]byte
	for i := 19; i >= 0; i-- {
		s[i] = alphabet[lo&31]
		lo = lo>>5 | (hi&31)<<59
		hi >>= 5
	}
	return string(s[:])
}

// Token returns n random bytes as hex: session tokens, idempotency keys, one-time codes.
func Token(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
