package service

import (
	"context"
	"slices"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// 通办 paper originals (FACTS.md §5.2, 异地代收代办): a case received in one township and handled by
// another sends the originals the window saw after it. The receiving township's front desk lists them by
// handling township, prints the list (移交清单) and marks it sent; the handling township's front desk marks
// it received. Both marks are hand-off records: audited, in one transaction, made once.

// TransferGroup is what waits to go to one handling township.
type TransferGroup struct {
	To    org.Org
	Cases []store.HandoffCase
}

// Originals counts the papers of the group.
func (g TransferGroup) Originals() int { return store.Handoff{Cases: g.Cases}.Originals() }

// TransferBoard is a township's transfer page: what waits to be sent, by handling township; the lists it
// sent; the lists sent to it.
type TransferBoard struct {
	Township org.Org
	Pending  []TransferGroup
	Sent     []store.Handoff
	Incoming []store.Handoff
	// the cursors of the next page of each list ("" on the last)
	SentNext, IncomingNext string
}

// transferPage is how many lists of each kind the page shows at a time.
const transferPage = 20

// TransferCursors are where the page's two lists of lists start: "" for their first page.
type TransferCursors struct{ Sent, Incoming string }

// transferDesk finds the township whose front desk the actor works (clerks and directors of a township):
// only they send and receive originals.
func (s *Service) transferDesk(ctx context.Context, actor access.Actor) (org.Org, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", "transfer")
	if actor.System || (actor.Role != access.Clerk && actor.Role != access.Director) {
		return org.Org{}, forbidden
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return org.Org{}, err
	}
	t, err := s.township(ctx, home)
	if err != nil || !frontDesk(actor, t) {
		return org.Org{}, forbidden
	}
	return t, nil
}

// listed turns pending cases into list rows, keeping those with originals to send.
func listed(list []cases.Case) []store.HandoffCase {
	var out []store.HandoffCase
	for _, c := range list {
		if o := c.Originals(); len(o) > 0 {
			out = append(out, store.HandoffCase{CaseID: c.ID, No: c.No, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn, Originals: o})
		}
	}
	return out
}

// Transfers is the actor's township's transfer page.
func (s *Service) Transfers(ctx context.Context, actor access.Actor, at TransferCursors) (TransferBoard, error) {
	t, err := s.transferDesk(ctx, actor)
	if err != nil {
		return TransferBoard{}, err
	}
	b := TransferBoard{Township: t}
	pending, err := s.DB.PendingOriginals(ctx, t.Path, t.ID, "")
	if err != nil {
		return b, err
	}
	byTo := map[string][]cases.Case{}
	var order []string
	for _, c := range pending {
		if _, ok := byTo[c.Handling]; !ok {
			order = append(order, c.Handling)
		}
		byTo[c.Handling] = append(byTo[c.Handling], c)
	}
	for _, id := range order {
		rows := listed(byTo[id])
		if len(rows) == 0 {
			continue
		}
		to, err := s.DB.Org(ctx, id)
		if err != nil {
			return b, err
		}
		b.Pending = append(b.Pending, TransferGroup{To: to, Cases: rows})
	}
	slices.SortFunc(b.Pending, func(x, y TransferGroup) int {
		if x.To.Code < y.To.Code {
			return -1
		}
		if x.To.Code > y.To.Code {
			return 1
		}
		return 0
	})
	page := func(incoming bool, after string) ([]store.Handoff, string, error) {
		if len(after) > 64 {
			return nil, "", errs.Field("cursor", "err.find.cursor")
		}
		list, err := s.DB.Handoffs(ctx, t.ID, incoming, after, transferPage+1)
		if err != nil || len(list) <= transferPage {
			return list, "", err
		}
		return list[:transferPage], list[transferPage-1].ID, nil
	}
	if b.Sent, b.SentNext, err = page(false, at.Sent); err != nil {
		return b, err
	}
	b.Incoming, b.IncomingNext, err = page(true, at.Incoming)
	return b, err
}

// SendTransfer puts every case whose originals wait to go to a handling township on one list and marks it
// sent by the actor, now. key makes it idempotent: the same submission again returns the same list. With
// nothing (more) to send, it is refused.
func (s *Service) SendTransfer(ctx context.Context, actor access.Actor, toID, key string) (store.Handoff, error) {
	from, err := s.transferDesk(ctx, actor)
	if err != nil {
		return store.Handoff{}, err
	}
	to, err := s.DB.Org(ctx, toID)
	if err != nil || to.Kind != org.Township || to.ID == from.ID {
		return store.Handoff{}, errs.Field("to", "err.not_found").With("what", "org")
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "handoff", actor.ID, fingerprint(toID), func() (string, error) {
			pending, err := tx.PendingOriginals(from.Path, from.ID, to.ID)
			if err != nil {
				return "", err
			}
			h := store.Handoff{From: from.ID, To: to.ID, Cases: listed(pending)}
			if len(h.Cases) == 0 {
				return "", errs.Field("to", "err.transfer.nothing")
			}
			if err := tx.CreateHandoff(actor, &h, numberPrefix(from), localYear(tx.Now())); err != nil {
				return "", err
			}
			return h.ID, nil
		})
		return err
	})
	if err != nil {
		return store.Handoff{}, err
	}
	return s.DB.Handoff(ctx, id)
}

// ReceiveTransfer marks a list received by the handling township's front desk. A list already received is
// returned as it is: the first mark stands.
func (s *Service) ReceiveTransfer(ctx context.Context, actor access.Actor, id string) (store.Handoff, error) {
	t, err := s.transferDesk(ctx, actor)
	if err != nil {
		return store.Handoff{}, err
	}
	h, err := s.DB.Handoff(ctx, id)
	if err != nil {
		return h, err
	}
	if h.To != t.ID {
		return store.Handoff{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "transfer")
	}
	if !h.Received.IsZero() {
		return h, nil
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		h, _, err = tx.ReceiveHandoff(actor, h)
		return err
	})
	if err != nil {
		return store.Handoff{}, err
	}
	return s.DB.Handoff(ctx, id)
}

// Transfer reads one list for the front desk of either township.
func (s *Service) Transfer(ctx context.Context, actor access.Actor, id string) (store.Handoff, error) {
	t, err := s.transferDesk(ctx, actor)
	if err != nil {
		return store.Handoff{}, err
	}
	h, err := s.DB.Handoff(ctx, id)
	if err != nil {
		return h, err
	}
	if h.From != t.ID && h.To != t.ID {
		return store.Handoff{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "transfer")
	}
	return h, nil
}
