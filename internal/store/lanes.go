package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"bianmin/internal/audit"
)

// Lanes this process holds, and the heads it last wrote there (issue 18).
//
// A move's transaction chains its entry after its lane's head. Read and locked in the database, that head
// cost the transaction a statement and a second round trip: the entry's hash needs the head, so the audit
// insert could not go before the head came back, and the case's row stayed locked meanwhile. Yet within one
// process the head of a lane is the one the process's last transaction on it wrote, whenever no other
// instance wrote there since. So a transaction takes one of its organisation's lanes for itself in the
// process (no two of the process's transactions on one lane at once), and when the process knows that
// lane's head it seals its entries after it without reading: the head's UPDATE names the head it expects
// (seq, hash, keyed_from) and the audit insert refuses to write when that UPDATE or any guarded write of
// the statement found nothing (guardedSeq). A refused statement is rolled back whole and the transaction
// runs again the ordinary way (Tx.plain), which locks and reads the head; a head written by another instance
// (or a hand) costs one run more, never a wrong chain. A move is then one statement in one round trip, with
// no BEGIN and COMMIT of its own (pgTx.commit).
//
// The process walks an organisation's lanes from a lane it drew for it, so that two instances serving the
// same township mostly write on lanes of their own; after a statement its guards refused (another instance's
// head, or a case's version moved), it draws again. When every lane of the organisation is taken in the
// process, the transaction waits for one to be given back: a lane taken with its head unread is not locked
// in the database, so a transaction that went there instead would make the one that holds it run again.

// laneSet is one organisation's lanes in this process.
type laneSet struct {
	taken []bool
	heads []AuditHead   // Chain "": not known
	start int           // where the walk begins
	freed chan struct{} // closed when a lane is given back
}

// lanePool is the process's lanes, by organisation chain.
type lanePool struct {
	mu      sync.Mutex
	orgs    map[string]*laneSet
	waiting atomic.Int64 // transactions waiting for a lane, for tests
}

// laneLease is one lane taken by a transaction: given back with what the transaction left as its head.
type laneLease struct {
	org  string
	lane int
	head AuditHead // the head the process knows (Chain "": none)
}

// take gives the transaction a lane of org among n that no other transaction of the process holds: one whose
// head the process knows first, else the first free one from the walk's start. When all are taken it waits
// for one; nil when ctx ends first.
func (p *lanePool) take(ctx context.Context, org string, n int) *laneLease {
	for {
		l, freed := p.tryTake(org, n)
		if l != nil {
			return l
		}
		p.waiting.Add(1)
		select {
		case <-freed:
			p.waiting.Add(-1)
		case <-ctx.Done():
			p.waiting.Add(-1)
			return nil
		}
	}
}

// tryTake is take without the wait: nil, and what to wait for, when every lane is taken.
func (p *lanePool) tryTake(org string, n int) (*laneLease, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.orgs == nil {
		p.orgs = map[string]*laneSet{}
	}
	s := p.orgs[org]
	if s == nil || len(s.taken) != n {
		s = &laneSet{taken: make([]bool, n), heads: make([]AuditHead, n), start: rand.IntN(n), freed: make(chan struct{})}
		p.orgs[org] = s
	}
	free := -1
	for i := range n {
		l := (s.start + i) % n
		if s.taken[l] {
			continue
		}
		if s.heads[l].Chain != "" {
			free = l
			break
		}
		if free < 0 {
			free = l
		}
	}
	if free < 0 {
		return nil, s.freed
	}
	s.taken[free] = true
	return &laneLease{org: org, lane: free, head: s.heads[free]}, nil
}

// give returns a lane with the head its transaction left there (Chain "": unknown from now on, after a
// transaction that failed or did not learn it); elsewhere says that another wrote there meanwhile.
func (p *lanePool) give(l *laneLease, head AuditHead, elsewhere bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.orgs[l.org]; s != nil && l.lane < len(s.taken) {
		s.taken[l.lane] = false
		s.heads[l.lane] = head
		if elsewhere {
			s.start = rand.IntN(len(s.taken))
		}
		close(s.freed)
		s.freed = make(chan struct{})
	}
}

// forget drops every head the process knows (its database was swapped: Reopen). Lanes taken stay taken until
// given back, and come back unknown.
func (p *lanePool) forget() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.orgs {
		clear(s.heads)
	}
}

// giveLane gives the transaction's lane back to the process, with the head it left there when it committed
// (leftHead: appendAudit), or with the one it had when it wrote nothing there; unknown otherwise. err is how
// the transaction ended (nil too when it panicked).
func (tx *Tx) giveLane(err error) {
	if tx.lease == nil {
		return
	}
	var h AuditHead
	switch {
	case !tx.committed:
	case tx.leftHead.Chain != "":
		h = tx.leftHead
	case tx.held != nil && tx.held.Chain == audit.LaneChain(tx.lease.org, tx.lease.lane):
		h = *tx.held
	}
	tx.db.lanes.give(tx.lease, h, errors.Is(err, errGuard))
	tx.lease = nil
}
