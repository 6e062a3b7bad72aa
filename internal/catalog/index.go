package catalog

import (
	"sync"
)

// Index is the search index of the published catalog, held in memory: a posting list per term. A banner's
// or a region's catalog (thousands of items, a few hundred terms each) fits in tens of megabytes, and a
// query is answered in well under a millisecond, on any database. It is rebuilt from the published items
// when the catalog changes.
type Index struct {
	cards []Card
	post  map[string][]posting
	pool  sync.Pool
}

type posting struct {
	item   int32
	weight int32
}

// Result is a found item with its score.
type Result struct {
	Card  Card
	Score int
}

// NewIndex builds an index of items.
func NewIndex(items []Item) *Index {
	ix := &Index{post: map[string][]posting{}}
	for _, it := range items {
		n := int32(len(ix.cards))
		ix.cards = append(ix.cards, it.Card())
		for t, w := range Terms(it) {
			ix.post[t] = append(ix.post[t], posting{n, int32(w)})
		}
	}
	return ix
}

// Cards are the items indexed, in the order they were given; shared, not to be changed.
func (ix *Index) Cards() []Card { return ix.cards }

// Len is the number of items indexed.
func (ix *Index) Len() int { return len(ix.cards) }

// scratch holds per-item counters for one search, reused across searches.
type scratch struct {
	score   []int32
	groups  []int16
	best    []int32 // best weight of the item in the current group
	stamp   []int32 // which group best belongs to
	touched []int32 // items with a non-zero counter, to reset them afterwards
	members []int32 // items of the current group
}

func (ix *Index) scratch() *scratch {
	if sc, ok := ix.pool.Get().(*scratch); ok {
		return sc
	}
	n := len(ix.cards)
	return &scratch{score: make([]int32, n), groups: make([]int16, n), best: make([]int32, n), stamp: make([]int32, n)}
}

// Search finds items for what a person typed, best first: an item must match every group of the query
// (every pair of Chinese characters, every pinyin word, every Mongolian word); a name or alias spelled
// exactly as typed (in characters, full pinyin or initials) ranks first, then the sum of the weights of the
// places the terms occur (name, alias, topic, material, text). When some pair of characters occurs nowhere
// ("残疾人补贴" against "残疾人生活补贴"), items matching two thirds of the groups are taken instead.
func (ix *Index) Search(q string, limit int) []Result {
	groups := Query(q)
	if len(groups) == 0 || limit <= 0 {
		return nil
	}
	sc := ix.scratch()
	defer func() {
		for _, it := range sc.touched {
			sc.score[it], sc.groups[it] = 0, 0
		}
		sc.touched = sc.touched[:0]
		for i := range sc.stamp {
			sc.stamp[i] = 0
		}
		ix.pool.Put(sc)
	}()
	live := 0
	for gi, g := range groups {
		stamp := int32(gi + 1)
		sc.members = sc.members[:0]
		for _, t := range g {
			for _, p := range ix.post[t] {
				if sc.stamp[p.item] != stamp {
					sc.stamp[p.item], sc.best[p.item] = stamp, p.weight
					sc.members = append(sc.members, p.item)
				} else if p.weight > sc.best[p.item] {
					sc.best[p.item] = p.weight
				}
			}
		}
		if len(sc.members) > 0 {
			live++
		}
		for _, it := range sc.members {
			if sc.groups[it] == 0 {
				sc.touched = append(sc.touched, it)
			}
			sc.score[it] += sc.best[it]
			sc.groups[it]++
		}
	}
	need := int16(len(groups))
	if live < len(groups) {
		if len(groups) <= 2 {
			return nil
		}
		need = int16((2*len(groups) + 2) / 3)
	}
	for _, p := range ix.post[Exact(q)] {
		if sc.groups[p.item] > 0 {
			sc.score[p.item] += p.weight
		}
	}
	// Keep the best `limit` in order, by insertion: limit is small, the candidates many.
	top := make([]Result, 0, limit)
	better := func(a, b Result) bool {
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Card.NameZh < b.Card.NameZh
	}
	for _, it := range sc.touched {
		if sc.groups[it] < need {
			continue
		}
		r := Result{Card: ix.cards[it], Score: int(sc.score[it]) + 1000*int(sc.groups[it])}
		if len(top) == limit && !better(r, top[limit-1]) {
			continue
		}
		if len(top) < limit {
			top = append(top, r)
		} else {
			top[limit-1] = r
		}
		for i := len(top) - 1; i > 0 && better(top[i], top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return top
}
