package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/oversight"
	"bianmin/internal/store"
)

// Orders of supervision (督办, 催办; internal/oversight): a supervisor or a director orders action on a case,
// a window or a person by a due day; those it is addressed to see it in their queue and answer it once.

// OrderTarget is what an order is about: a case, or an organisation (a window, a station, a township), or
// one person; the first given counts.
type OrderTarget struct {
	CaseID  string `json:"case_id,omitempty"`
	OrgID   string `json:"org_id,omitempty"`
	StaffID string `json:"staff_id,omitempty"`
}

// OrderView is an order with its card today, and whether the viewer answers it.
type OrderView struct {
	oversight.Order
	Card       clock.Card
	Answerable bool
}

func forbiddenOrder() error {
	return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrderIssue))
}

// IssueOrder records an order addressed where the target lies: a case's handling organisation, the
// organisation named, or the person named (within their organisation). The issuer must hold the order
// action over that organisation (a supervisor over the banner, a director over the township). key makes it
// idempotent: the same submission again returns the same order.
func (s *Service) IssueOrder(ctx context.Context, actor access.Actor, t OrderTarget, in oversight.Input, key string) (oversight.Order, error) {
	if !actor.Role.Has(access.OrderIssue) && !actor.System {
		return oversight.Order{}, forbiddenOrder()
	}
	var o oversight.Order
	switch {
	case t.CaseID != "":
		c, err := s.DB.Case(ctx, t.CaseID)
		if err != nil {
			return o, err
		}
		h, err := s.DB.Org(ctx, c.Handling)
		if err != nil {
			return o, err
		}
		o.CaseID, o.CaseNo, o.OrgID, o.OrgPath = c.ID, c.No, h.ID, h.Path
	case t.StaffID != "":
		st, err := s.DB.Staff(ctx, t.StaffID)
		if err != nil {
			return o, err
		}
		o.StaffID, o.OrgID, o.OrgPath = st.ID, st.OrgID, st.OrgPath
	case t.OrgID != "":
		g, err := s.DB.Org(ctx, t.OrgID)
		if err != nil {
			return o, err
		}
		o.OrgID, o.OrgPath = g.ID, g.Path
	default:
		return o, errs.Field("target", "err.required")
	}
	if !actor.Can(access.OrderIssue, o.OrgPath) {
		return oversight.Order{}, forbiddenOrder()
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return o, err
	}
	if err := tooLong(in.Kind, in.Due); err != nil {
		return o, err
	}
	o.Kind, o.Due, err = in.Check(clk.Cal, clock.DateOf(s.DB.Now().In(clk.Rules.Location)))
	if err != nil {
		return oversight.Order{}, err
	}
	o.Content = in.Content
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "order", actor.ID, fingerprint(t.CaseID, t.OrgID, t.StaffID, in.Kind, in.Content, in.Due), func() (string, error) {
			if err := tx.CreateOrder(actor, &o); err != nil {
				return "", err
			}
			return o.ID, nil
		})
		return err
	})
	if err != nil {
		return oversight.Order{}, err
	}
	o, err = s.DB.Order(ctx, id)
	return o, err
}

// tooLong refuses the short fields of an order typed beyond any sensible length before they are parsed.
func tooLong(kind, due string) error {
	var l errs.List
	l.Add(oversightWord("kind", kind))
	l.Add(oversightWord("due", due))
	return l.Err()
}

func oversightWord(field, v string) *errs.Error {
	if len(v) > 64 {
		return errs.Field(field, "err.too_long").With("max", "64")
	}
	return nil
}

// mayAnswer reports whether the actor answers the order: the person it names, or, when it names nobody,
// whoever holds the answer action over the organisation it is addressed to; a director answers for the
// people of the organisation too.
func mayAnswer(actor access.Actor, o oversight.Order) bool {
	if o.StaffID != "" && o.StaffID == actor.ID {
		return true
	}
	if o.StaffID != "" && actor.Role != access.Director && !actor.System {
		return false
	}
	return actor.Can(access.OrderAnswer, o.OrgPath)
}

// AnswerOrder records the answer to an order, once.
func (s *Service) AnswerOrder(ctx context.Context, actor access.Actor, id, answer string) (oversight.Order, error) {
	o, err := s.DB.Order(ctx, id)
	if err != nil {
		return o, err
	}
	if !mayAnswer(actor, o) {
		return oversight.Order{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrderAnswer))
	}
	if e := oversight.Text("answer", answer, oversight.MaxAnswer); e != nil {
		return oversight.Order{}, e
	}
	if !o.Open() {
		return oversight.Order{}, errs.New(errs.Conflict, "err.order.answered")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		o, err = tx.AnswerOrder(actor, o, answer)
		return err
	})
	return o, err
}

// viewOrders gives each order its card today.
func (s *Service) viewOrders(ctx context.Context, actor access.Actor, list []oversight.Order) ([]OrderView, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	today := clock.DateOf(s.DB.Now().In(clk.Rules.Location))
	out := make([]OrderView, len(list))
	for i, o := range list {
		out[i] = OrderView{Order: o, Card: o.Card(clk, today), Answerable: o.Open() && mayAnswer(actor, o)}
	}
	return out, nil
}

// deskOrders is how many open orders the queue lists at most; the orders page lists them all.
const deskOrders = 50

// MayOrder reports whether the actor may issue an order addressed to the organisation at path.
func MayOrder(actor access.Actor, path string) bool { return actor.Can(access.OrderIssue, path) }

// DeskOrders are the open orders the actor answers, the nearest due first: those addressed to the actor,
// and those addressed within the actor's organisation where the actor may answer them.
func (s *Service) DeskOrders(ctx context.Context, actor access.Actor) ([]OrderView, error) {
	if !actor.Role.Has(access.OrderAnswer) {
		return nil, nil
	}
	list, err := s.DB.Orders(ctx, store.OrderQuery{Root: actor.OrgPath, Staff: actor.ID, Open: true, DueFirst: true, Limit: deskOrders})
	if err != nil {
		return nil, err
	}
	var mine []oversight.Order
	for _, o := range list {
		if o.StaffID == actor.ID || o.StaffID == "" || actor.Role == access.Director {
			mine = append(mine, o)
		}
	}
	return s.viewOrders(ctx, actor, mine)
}

// CaseOrders are the orders about a case, newest first, for its page (the caller has checked that the
// actor may read the case).
func (s *Service) CaseOrders(ctx context.Context, actor access.Actor, caseID string) ([]OrderView, error) {
	list, err := s.DB.Orders(ctx, store.OrderQuery{Case: caseID, Limit: MaxPage})
	if err != nil {
		return nil, err
	}
	return s.viewOrders(ctx, actor, list)
}

// OrderPage is a page of orders, newest first, with the cursor of the next.
type OrderPage struct {
	List []OrderView
	Next string
}

// OrderList is the orders page: every order addressed within the actor's subtree (and to the actor), newest
// first, a page at a time; open only when asked.
func (s *Service) OrderList(ctx context.Context, actor access.Actor, open bool, cursor string, limit int) (OrderPage, error) {
	var page OrderPage
	if !actor.Role.Has(access.OrderAnswer) && !actor.Role.Has(access.OrderIssue) {
		return page, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrderAnswer))
	}
	all, err := s.DB.WholeWorld(ctx, actor.OrgPath)
	if err != nil {
		return page, err
	}
	n := pageLimit(limit)
	list, err := s.DB.Orders(ctx, store.OrderQuery{Root: actor.OrgPath, All: all, Staff: actor.ID, Open: open, After: cursor, Limit: n + 1})
	if err != nil {
		return page, err
	}
	if len(list) > n {
		list = list[:n]
		page.Next = list[n-1].ID
	}
	page.List, err = s.viewOrders(ctx, actor, list)
	return page, err
}
