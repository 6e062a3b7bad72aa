package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// The cards of hand-overs and complaints (issue 19): a hand-over unanswered in its 2 working days
// (joint.AnswerDays) and a complaint whose answer is late turn a card, by the domain's own rule
// (joint.Handover.Card, complaint.Complaint.Card). The sweep turns them as it turns a case's: stored
// (migration 064), audited, each turn to yellow or red told once by SMS to the directors of the body that
// must answer (as an order's card is, AlertOrders), counted in supervision. A card read again on the same day
// does not turn again; an answer, or a complaint's extension, takes a yellow card back (an answer given late
// keeps red: store.SaveHandover, SaveComplaint).

// cardSweep is who turns these cards in the audit trail.
var cardSweep = access.Actor{ID: "card-sweep", Name: "转办与投诉亮牌", System: true}

// JointCards counts the cards a sweep turned (to yellow or red; back to none is not counted).
type JointCards struct {
	Handovers, Complaints int
}

// turnTo is the card stored for a card computed on a day: green is no card.
func turnTo(c clock.Card) string {
	if c == clock.Yellow || c == clock.Red {
		return string(c)
	}
	return ""
}

// SweepJointCards turns the cards of the waiting hand-overs and open complaints that time has turned.
func (s *Service) SweepJointCards(ctx context.Context) (JointCards, error) {
	var n JointCards
	clk, err := s.Clock(ctx)
	if err != nil {
		return n, err
	}
	today := s.today(clk)
	hs, err := s.DB.PendingHandoverCards(ctx)
	if err != nil {
		return n, err
	}
	for _, h := range hs {
		to := turnTo(h.Handover.Card(today))
		if to == h.Card {
			continue
		}
		msgs, err := s.cardMessages(ctx, h.ToPath, h.CaseID, to, "joint.gaps.alert.handover."+to, h.CaseNo, h.DueOn)
		if err != nil {
			return n, err
		}
		if ok, err := s.turnCard(ctx, "handover", h.ID, h.To, h.Card, to, msgs); err != nil {
			return n, err
		} else if ok && to != "" {
			n.Handovers++
		}
	}
	cs, err := s.DB.OpenComplaintCards(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cs {
		to := turnTo(c.Complaint.Card(today))
		if to == c.Card {
			continue
		}
		what := c.CaseNo
		if what == "" {
			what = c.ResponsibleName
		}
		msgs, err := s.cardMessages(ctx, c.Path, c.CaseID, to, "joint.gaps.alert.complaint."+to, what, c.DueOn)
		if err != nil {
			return n, err
		}
		if ok, err := s.turnCard(ctx, "complaint", c.ID, c.Responsible, c.Card, to, msgs); err != nil {
			return n, err
		} else if ok && to != "" {
			n.Complaints++
		}
	}
	return n, nil
}

func (s *Service) turnCard(ctx context.Context, entity, id, orgID, from, to string, msgs []store.Message) (bool, error) {
	var ok bool
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		ok, err = tx.TurnCard(cardSweep, entity, id, orgID, from, to, msgs)
		return err
	})
	return ok, err
}

// cardMessages are the SMS telling a card to the directors of the body that answers (path), each in their
// language; none for a card taken back.
func (s *Service) cardMessages(ctx context.Context, path, caseID, card, key, what string, due clock.Date) ([]store.Message, error) {
	if card == "" {
		return nil, nil
	}
	to, err := s.answerers(ctx, path)
	if err != nil {
		return nil, err
	}
	var out []store.Message
	for _, st := range to {
		out = append(out, say(key, "what", what, "due", due.String()).message(caseID, st.Phone, st.Lang, key))
	}
	return out, nil
}

// answerers are the active directors, with a phone, of the body at path (its head, or its center's director:
// who answers a hand-over or a complaint for it).
func (s *Service) answerers(ctx context.Context, path string) ([]people.Staff, error) {
	all, err := s.DB.StaffIn(ctx, path)
	var out []people.Staff
	for _, st := range all {
		if st.Role == access.Director && st.Active && st.Phone != "" {
			out = append(out, st)
		}
	}
	return out, err
}

// JointCardsNow counts the yellow and red cards standing now on the hand-overs the actor's subtree was asked
// to take and on the complaints it answers (supervision).
func (s *Service) JointCardsNow(ctx context.Context, actor access.Actor) (map[string]int, error) {
	if !actor.System && !actor.Role.Has(access.SupervisionRead) && !actor.Role.Has(access.ComplaintRead) {
		return nil, nil
	}
	return s.DB.JointCardCounts(ctx, actor.OrgPath)
}
