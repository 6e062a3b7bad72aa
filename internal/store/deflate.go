package store

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// A DEFLATE encoder for small packed values (packed.go), written because the standard library's costs most
// of its time, on a value of a few hundred bytes, before it reads the first byte: flate.Writer.Reset clears
// 640 KB of hash tables and hashes the whole preset dictionary again (about 20 µs of packing's 25; the
// dataset generator spent a quarter of its time there). Here the dictionary is hashed once, and a value
// starts from a copy of that table (32 KB) and of its chain links.
//
// What it writes is plain DEFLATE (RFC 1951) with the preset dictionary, one final block in the fixed
// Huffman codes (section 3.2.6): the standard library's reader unpacks it as it unpacks its own, so nothing
// about the stored format or its version changes. Fixed codes are what the standard library itself picks
// for most values this small (a dynamic block's code tables cost more than they save under about a
// kilobyte); larger values go to the standard library's writer (packLarge), which weighs all three kinds.

const (
	lzHashBits   = 13
	lzMinMatch   = 4 // what the hash covers; DEFLATE's own minimum is 3
	lzMaxMatch   = 258
	lzMaxDist    = 32768
	lzChainDepth = 48 // chain links followed for one position: enough for a dictionary of a few KB
	lzGoodEnough = 64 // a match this long is taken without looking further
	// packSmall is the largest value the fixed-code encoder takes (packJSON gives larger ones to the
	// standard library's writer).
	packSmall = 2048
)

// lzDict is a dictionary hashed once: the window's first bytes, the hash heads after them and the chain
// links of its positions.
type lzDict struct {
	b    []byte
	head [1 << lzHashBits]int32 // position+1 of the latest of each hash; 0 for none
	prev []int32                // position+1 of the one before with the same hash; 0 for none
}

func lzHash(b []byte) uint32 {
	return (binary.LittleEndian.Uint32(b) * 0x1e35a7bd) >> (32 - lzHashBits)
}

func newLZDict(d string) *lzDict {
	z := &lzDict{b: []byte(d), prev: make([]int32, len(d))}
	for i := 0; i+lzMinMatch <= len(z.b); i++ {
		h := lzHash(z.b[i:])
		z.prev[i] = z.head[h]
		z.head[h] = int32(i + 1)
	}
	return z
}

// lzState is one encoding's window (dictionary then value), its hash table and its output: pooled.
type lzState struct {
	win  []byte
	head [1 << lzHashBits]int32
	prev []int32
	out  []byte
	acc  uint64 // bits not yet written, the first in the lowest
	n    uint   // how many
}

var lzStates = sync.Pool{New: func() any { return &lzState{} }}

// deflateFixed packs s after the dictionary z, as a version byte ver and one final fixed-code block.
func deflateFixed(z *lzDict, ver byte, s string) []byte {
	st := lzStates.Get().(*lzState)
	defer lzStates.Put(st)
	st.win = append(append(st.win[:0], z.b...), s...)
	n := len(z.prev) + len(s)
	st.prev = slices.Grow(st.prev[:0], n)[:n]
	copy(st.prev, z.prev)
	clear(st.prev[len(z.prev):])
	st.head = z.head
	// the dictionary's last positions had no four bytes of their own to hash; with the value they do
	for j := max(len(z.b)-lzMinMatch+1, 0); j < len(z.b); j++ {
		st.insert(j)
	}
	st.out = append(st.out[:0], ver)
	st.acc, st.n = 0, 0

	st.bits(1, 1) // BFINAL
	st.bits(1, 2) // BTYPE 01: fixed codes
	w := st.win
	i := len(z.b)
	// one step of lazy matching: a match is held back a byte when the next position's is longer
	pendLen, pendDist := 0, 0
	for i < len(w) {
		l, d := st.match(i)
		if pendLen > 0 {
			if l > pendLen {
				st.literal(w[i-1])
				pendLen, pendDist = l, d
				st.insert(i)
				i++
				continue
			}
			st.copyOf(pendLen, pendDist)
			// the held match began at i-1 and its positions from i on go into the table
			for j := i; j < i-1+pendLen; j++ {
				st.insert(j)
			}
			i += pendLen - 1
			pendLen = 0
			continue
		}
		if l >= lzMinMatch {
			pendLen, pendDist = l, d
			st.insert(i)
			i++
			continue
		}
		st.literal(w[i])
		st.insert(i)
		i++
	}
	if pendLen > 0 {
		st.copyOf(pendLen, pendDist)
	}
	st.code(256) // end of block
	if st.n > 0 {
		st.out = append(st.out, byte(st.acc))
	}
	return append([]byte(nil), st.out...)
}

// insert puts position i into the hash table, when four bytes start there.
func (st *lzState) insert(i int) {
	if i+lzMinMatch > len(st.win) {
		return
	}
	h := lzHash(st.win[i:])
	st.prev[i] = st.head[h]
	st.head[h] = int32(i + 1)
}

// match finds the longest earlier match of position i (length 0 when none of lzMinMatch bytes).
func (st *lzState) match(i int) (length, dist int) {
	w := st.win
	if i+lzMinMatch > len(w) {
		return 0, 0
	}
	limit := min(len(w)-i, lzMaxMatch)
	p := int(st.head[lzHash(w[i:])]) - 1
	for depth := 0; p >= 0 && depth < lzChainDepth && i-p <= lzMaxDist; depth++ {
		if w[p+length] == w[i+length] || length == 0 {
			n := 0
			for n < limit && w[p+n] == w[i+n] {
				n++
			}
			if n > length {
				length, dist = n, i-p
				if n >= lzGoodEnough || n == limit {
					break
				}
			}
		}
		p = int(st.prev[p]) - 1
	}
	if length < lzMinMatch {
		return 0, 0
	}
	return length, dist
}

// bits writes the n lowest bits of v, the first bit lowest (RFC 1951 3.1.1).
func (st *lzState) bits(v uint64, n uint) {
	st.acc |= v << st.n
	st.n += n
	for st.n >= 8 {
		st.out = append(st.out, byte(st.acc))
		st.acc >>= 8
		st.n -= 8
	}
}

// code writes a literal/length symbol in the fixed codes (RFC 1951 3.2.6), its bits from the highest.
func (st *lzState) code(sym int) {
	var c, n uint
	switch {
	case sym < 144:
		c, n = 0x30+uint(sym), 8
	case sym < 256:
		c, n = 0x190+uint(sym-144), 9
	case sym < 280:
		c, n = uint(sym-256), 7
	default:
		c, n = 0xc0+uint(sym-280), 8
	}
	st.bits(uint64(bits.Reverse16(uint16(c))>>(16-n)), n)
}

func (st *lzState) literal(b byte) { st.code(int(b)) }

// The lengths' and distances' bases and extra bits (RFC 1951 3.2.5).
var (
	lenBase  = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	lenCode  = func() (t [lzMaxMatch + 1]uint8) {
		for c := range lenBase {
			for l := lenBase[c]; l <= lzMaxMatch && (c == len(lenBase)-1 || l < lenBase[c+1]); l++ {
				t[l] = uint8(c)
			}
		}
		return t
	}()
	distBase = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
)

// copyOf writes a match: its length's symbol and extra bits, its distance's code (five bits) and extra bits.
func (st *lzState) copyOf(length, dist int) {
	c := int(lenCode[length])
	st.code(257 + c)
	if lenExtra[c] > 0 {
		st.bits(uint64(length-lenBase[c]), lenExtra[c])
	}
	d := dist - 1
	var dc int
	if d < 4 {
		dc = d
	} else {
		top := bits.Len(uint(d)) - 1 // the highest bit; the one below it halves the range
		dc = 2*top + (d>>(top-1))&1
	}
	st.bits(uint64(bits.Reverse8(uint8(dc))>>3), 5)
	if extra := uint(max(dc/2-1, 0)); extra > 0 {
		st.bits(uint64(dist-distBase[dc]), extra)
	}
}
