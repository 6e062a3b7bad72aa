package store

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Number blocks (PostgreSQL, -number-blocks): under load, an instance takes a case or notice series' numbers
// from its counter several at a time and gives them out from memory, so that most intakes and notices take
// their numbers without a round trip (each take was its own statement and commit, four of a lifecycle's
// sixteen transactions). What a block costs, and why it is bounded so:
//
//   - Order. Numbers of one instance come in order; two instances' blocks interleave, so a number may be
//     given a little after a higher one of the other instance. A number found out of time order reads as
//     one slipped in (插号), so a block's numbers are given for blockKeep at most: past it, what is left of
//     the block is not given, and the disorder across instances stays within that.
//   - Gaps. What is left of a block past blockKeep, or when the instance stops, is never given: a gap, like
//     the number of a failed transaction (the gap policy, numbers.go), at most the block's size less one.
//   - Quiet townships. A block grows only when its series is taken faster than one number per blockGrow
//     (doubling from one up to the setting's size, halving when the takes slow), so a township taking a
//     number every few minutes takes each by itself, in order and without gaps, as with the setting off.
//
// Off (size 1, the default) every number is taken by its own statement as before. SQLite takes numbers in
// the transaction that uses them, in the process, and never uses blocks.
const (
	blockKeep = 2 * time.Second
	blockGrow = time.Second
	// MaxNumberBlock bounds the setting: a block larger than a busy township takes in blockKeep is only gaps.
	MaxNumberBlock = 64
)

// numberBlocks are the blocks of the series this instance takes numbers of.
type numberBlocks struct {
	size int64 // the setting: the largest block (≤1: none)
	// clock is the wall clock the blocks keep and grow by (not DB.Now, which tests set to a business day);
	// nil: time.Now.
	clock func() time.Time
	mu    sync.Mutex
	m     map[string]*numberBlock
}

// numberBlock is what an instance holds of one series: the serials next..last not given yet.
type numberBlock struct {
	mu         sync.Mutex // held through a refill's statement: the series' other takers wait for its numbers
	next, last int64
	size       int64     // how many the last refill took
	filled     time.Time // when
}

// SetNumberBlocks sets the largest block of numbers an instance takes of a series at once (README,
// "Configuration"); 0 or 1: every number by its own statement. Where numbers are taken inside their
// transactions (SQLite) it changes nothing.
func (db *DB) SetNumberBlocks(n int) {
	if db.d.numbersApart {
		db.blocks.size = int64(min(max(n, 1), MaxNumberBlock))
	}
}

func (b *numberBlocks) on() bool { return b.size > 1 }

func (b *numberBlocks) now() time.Time {
	if b.clock != nil {
		return b.clock()
	}
	return time.Now()
}

func (b *numberBlocks) of(scope string) *numberBlock {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]*numberBlock{}
	}
	nb := b.m[scope]
	if nb == nil {
		nb = &numberBlock{}
		b.m[scope] = nb
	}
	return nb
}

// drop forgets what is left of a series' block (its counter was found behind the numbers in use: the rest
// may be taken too).
func (b *numberBlocks) drop(scope string) {
	b.mu.Lock()
	delete(b.m, scope)
	b.mu.Unlock()
}

// take gives one number of each of the scopes (sorted, distinct), from their blocks where these hold one
// still in time, refilling the others by one call of refill with the counts to take of each (in the
// scopes' order; it returns each counter's new value). The blocks are locked in the scopes' order, so that
// two takes never wait for each other's blocks.
func (b *numberBlocks) take(ctx context.Context, scopes []string,
	refill func(ctx context.Context, scopes []string, counts []int64) (map[string]int64, error)) (map[string]int64, error) {
	now := b.now()
	blocks := make([]*numberBlock, len(scopes))
	for i, sc := range scopes {
		blocks[i] = b.of(sc)
		blocks[i].mu.Lock()
		defer blocks[i].mu.Unlock()
	}
	got := make(map[string]int64, len(scopes))
	var need []string
	var counts []int64
	for i, nb := range blocks {
		if nb.next <= nb.last && now.Sub(nb.filled) < blockKeep {
			got[scopes[i]] = nb.next
			nb.next++
			continue
		}
		// a block used up within blockGrow of its refill doubles; one that lasted longer halves; one left past
		// blockKeep (its rest a gap) starts again at one
		size := int64(1)
		if !nb.filled.IsZero() && now.Sub(nb.filled) < blockGrow {
			size = min(nb.size*2, b.size)
		} else if now.Sub(nb.filled) < blockKeep {
			size = max(nb.size/2, 1)
		}
		nb.size = size
		need = append(need, scopes[i])
		counts = append(counts, size)
	}
	if len(need) == 0 {
		return got, nil
	}
	values, err := refill(ctx, need, counts)
	if err != nil {
		return nil, err
	}
	for i, sc := range need {
		nb := blocks[slices.Index(scopes, sc)]
		v := values[sc]
		first := v - counts[i] + 1
		got[sc] = first
		nb.next, nb.last, nb.filled = first+1, v, now
	}
	return got, nil
}
