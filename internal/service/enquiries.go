package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/enquiry"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// The enquiry register (issue 10, item 5): 首问负责 and 一次告知 (internal/enquiry). Any front desk records what it
// is asked; the first person asked owns the enquiry until it is answered or handed over.

// EnquiryInput is an enquiry as typed at the window.
type EnquiryInput struct {
	ItemID     string `json:"item_id,omitempty"`
	AskerName  string `json:"asker_name,omitempty"`
	AskerPhone string `json:"asker_phone,omitempty"`
	IDNumber   string `json:"id_number,omitempty"` // finds a registered applicant, when given
	Question   string `json:"question"`
	Told       string `json:"told,omitempty"` // answered at once
}

// enquiryDesk is the organisation where the actor records enquiries: their own, a township or a village (or
// a window or center under a township).
func (s *Service) enquiryDesk(ctx context.Context, actor access.Actor) (org.Org, org.Org, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.EnquiryWrite))
	if actor.System || !actor.Role.Has(access.EnquiryWrite) {
		return org.Org{}, org.Org{}, forbidden
	}
	at, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return at, at, err
	}
	if at.Kind == org.Village || at.Kind == org.Station {
		return at, s.orgTownship(ctx, at), nil
	}
	t, err := s.township(ctx, at)
	if err != nil {
		return at, t, forbidden
	}
	return at, t, nil
}

// orgTownship is the township above an organisation ("" kind when there is none).
func (s *Service) orgTownship(ctx context.Context, o org.Org) org.Org {
	t, err := s.township(ctx, o)
	if err != nil {
		return org.Org{}
	}
	return t
}

// RecordEnquiry records an enquiry at the actor's desk; the actor owns it (首问). key makes it idempotent.
func (s *Service) RecordEnquiry(ctx context.Context, actor access.Actor, in EnquiryInput, key string) (enquiry.Enquiry, error) {
	at, t, err := s.enquiryDesk(ctx, actor)
	if err != nil {
		return enquiry.Enquiry{}, err
	}
	if err := textLimits(limit("item_id", in.ItemID, 64), limit("id_number", in.IDNumber, 64)); err != nil {
		return enquiry.Enquiry{}, err
	}
	now := s.DB.Now()
	e := enquiry.Enquiry{ID: ids.New(), Org: at.ID, Township: t.ID, AskerName: in.AskerName, AskerPhone: in.AskerPhone,
		Question: in.Question, Told: in.Told, Owner: actor.ID, OwnerName: actor.Name, State: enquiry.Open, Asked: now, Version: 1}
	var l errs.List
	if err := e.Check(); err != nil {
		for _, x := range errs.All(err) {
			l.Add(x)
		}
	}
	if in.ItemID != "" {
		it, err := s.publishedItem(ctx, in.ItemID)
		if err != nil {
			l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
		}
		e.ItemID, e.ItemName, e.ItemNameMn = it.ID, it.NameZh, it.NameMn
	}
	if in.IDNumber != "" {
		if bad := people.CheckIDNumber("id_number", in.IDNumber); bad != nil {
			l.Add(bad)
		} else if a, err := s.DB.ApplicantOfIDNumber(ctx, people.NormalizeIDNumber(in.IDNumber)); err == nil {
			e.ApplicantID = a.ID
		}
	}
	if err := l.Err(); err != nil {
		return enquiry.Enquiry{}, err
	}
	if e.Told != "" { // answered at once, as most are
		e.State, e.AnsweredAt = enquiry.Answered, now
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "enquiry", actor.ID, fingerprint(in), func() (string, error) {
			return e.ID, tx.CreateEnquiry(actor, e)
		})
		return err
	})
	if err != nil {
		return enquiry.Enquiry{}, err
	}
	return s.DB.Enquiry(ctx, id)
}

// enquiryFor reads an enquiry the actor may act on (act) where it was asked.
func (s *Service) enquiryFor(ctx context.Context, actor access.Actor, id string, act access.Action) (enquiry.Enquiry, error) {
	e, err := s.DB.Enquiry(ctx, id)
	if err != nil {
		return e, err
	}
	o, err := s.DB.Org(ctx, e.Org)
	if err != nil {
		return e, err
	}
	t, err := s.DB.Org(ctx, e.Township)
	if err != nil {
		return e, err
	}
	// the township's front desk reaches what its villages were asked; the village what it was asked
	if actor.Check(act, o.Path) != nil && actor.Check(act, t.Path) != nil {
		return e, errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
	}
	return e, nil
}

// Enquiry reads one enquiry.
func (s *Service) Enquiry(ctx context.Context, actor access.Actor, id string) (enquiry.Enquiry, error) {
	return s.enquiryFor(ctx, actor, id, access.EnquiryRead)
}

// AnswerEnquiry records what its owner told the asker.
func (s *Service) AnswerEnquiry(ctx context.Context, actor access.Actor, id string, version int, told string) (enquiry.Enquiry, error) {
	e, err := s.enquiryFor(ctx, actor, id, access.EnquiryWrite)
	if err != nil {
		return e, err
	}
	if e.Version != version {
		return e, errs.New(errs.Conflict, "err.conflict")
	}
	after, err := e.Answer(actor.ID, told, s.DB.Now())
	if err != nil {
		return e, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveEnquiry(actor, "enquiry.answer", e, after) })
}

// Colleagues are the front-desk staff an enquiry may be handed to: those of its township and its villages.
func (s *Service) Colleagues(ctx context.Context, actor access.Actor, e enquiry.Enquiry) ([]people.Staff, error) {
	t, err := s.DB.Org(ctx, e.Township)
	if err != nil {
		return nil, err
	}
	all, err := s.DB.StaffIn(ctx, t.Path)
	if err != nil {
		return nil, err
	}
	var out []people.Staff
	for _, p := range all {
		if p.Active && p.ID != actor.ID && p.Role.Has(access.EnquiryWrite) {
			p.Phone = ""
			out = append(out, p)
		}
	}
	return out, nil
}

// HandOverEnquiry passes the 首问 duty to a colleague of the enquiry's township, with the reason recorded.
func (s *Service) HandOverEnquiry(ctx context.Context, actor access.Actor, id string, version int, to, note string) (enquiry.Enquiry, error) {
	e, err := s.enquiryFor(ctx, actor, id, access.EnquiryWrite)
	if err != nil {
		return e, err
	}
	if e.Version != version {
		return e, errs.New(errs.Conflict, "err.conflict")
	}
	t, err := s.DB.Org(ctx, e.Township)
	if err != nil {
		return e, err
	}
	toName := ""
	if p, err := s.DB.Staff(ctx, to); err == nil && p.Active && p.Role.Has(access.EnquiryWrite) && org.InSubtree(t.Path, p.OrgPath) {
		toName = p.Name
	} else if to != "" {
		return e, errs.Field("to", "err.enquiry.handover_to")
	}
	after, err := e.HandOver(actor.ID, actor.Name, to, toName, note, s.DB.Now())
	if err != nil {
		return e, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveEnquiry(actor, "enquiry.handover", e, after) })
}

// LinkEnquiryCase records the case an enquiry became: a case the actor's subtree received or handles, of
// the same applicant when the enquiry knows one.
func (s *Service) LinkEnquiryCase(ctx context.Context, actor access.Actor, id string, version int, caseNo string) (enquiry.Enquiry, error) {
	e, err := s.enquiryFor(ctx, actor, id, access.EnquiryWrite)
	if err != nil {
		return e, err
	}
	if e.Version != version {
		return e, errs.New(errs.Conflict, "err.conflict")
	}
	if err := textLimits(limit("case_no", caseNo, 64)); err != nil {
		return e, err
	}
	c, err := s.DB.CaseByNo(ctx, caseNo)
	if err != nil {
		return e, errs.Field("case_no", "err.not_found").With("what", "case")
	}
	in := false
	for _, oid := range []string{c.Receiving, c.Handling} {
		if o, err := s.DB.Org(ctx, oid); err == nil && actor.Can(access.ApplicantRead, o.Path) {
			in = true
		}
	}
	if !in || (e.ApplicantID != "" && e.ApplicantID != c.ApplicantID) {
		return e, errs.Field("case_no", "err.enquiry.case")
	}
	after, err := e.Link(c.ID, c.No, s.DB.Now())
	if err != nil {
		return e, err
	}
	if after.ApplicantID == "" {
		after.ApplicantID = c.ApplicantID
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveEnquiry(actor, "enquiry.link", e, after) })
}

// EnquiryFind asks for a page of the register.
type EnquiryFind struct {
	Q      string `json:"q,omitempty"`
	Open   bool   `json:"open,omitempty"`
	Mine   bool   `json:"mine,omitempty"`
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// FindEnquiries lists the register of the actor's subtree, newest first, a page at a time; askers' phones
// are masked.
func (s *Service) FindEnquiries(ctx context.Context, actor access.Actor, f EnquiryFind) (store.EnquiryPage, error) {
	if err := actor.Check(access.EnquiryRead, actor.OrgPath); err != nil {
		return store.EnquiryPage{}, err
	}
	if err := textLimits(limit("q", f.Q, 50), limit("cursor", f.Cursor, 200)); err != nil {
		return store.EnquiryPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	q := store.EnquiryQuery{Path: actor.OrgPath, Q: f.Q, Open: f.Open, After: f.Cursor, Limit: f.Limit}
	if f.Mine {
		q.Owner = actor.ID
	}
	page, err := s.DB.SearchEnquiries(ctx, q)
	for i := range page.List {
		page.List[i].AskerPhone = people.MaskPhone(page.List[i].AskerPhone)
	}
	return page, err
}

// OpenEnquiriesOf lists a known applicant's open enquiries for the intake page, where the actor may read them.
func (s *Service) OpenEnquiriesOf(ctx context.Context, actor access.Actor, applicantID string) ([]enquiry.Enquiry, error) {
	if applicantID == "" || !actor.Role.Has(access.EnquiryRead) {
		return nil, nil
	}
	list, err := s.DB.OpenEnquiriesOf(ctx, applicantID, 20)
	if err != nil {
		return nil, err
	}
	var out []enquiry.Enquiry
	for _, e := range list {
		if _, err := s.enquiryFor(ctx, actor, e.ID, access.EnquiryRead); err == nil {
			e.AskerPhone = people.MaskPhone(e.AskerPhone)
			out = append(out, e)
		}
	}
	return out, nil
}

// TellOnce is what a 一次性告知单 prints: the enquiry, the item's published guide (its materials), and the
// township in whose name it is given.
type TellOnce struct {
	Enquiry  enquiry.Enquiry
	Item     catalog.Item
	Township org.Org
	At       org.Org
}

// EnquiryNotice gathers the 一次性告知单 of an enquiry about an item (DB50/T 957.1-2019 附录A 一次性告知书).
func (s *Service) EnquiryNotice(ctx context.Context, actor access.Actor, id string) (TellOnce, error) {
	e, err := s.Enquiry(ctx, actor, id)
	if err != nil {
		return TellOnce{}, err
	}
	if e.ItemID == "" {
		return TellOnce{}, errs.Field("item_id", "err.enquiry.no_item")
	}
	it, err := s.publishedItem(ctx, e.ItemID)
	if err != nil {
		return TellOnce{}, err
	}
	t, err := s.DB.Org(ctx, e.Township)
	if err != nil {
		return TellOnce{}, err
	}
	at, err := s.DB.Org(ctx, e.Org)
	if err != nil {
		return TellOnce{}, err
	}
	e.AskerPhone = people.MaskPhone(e.AskerPhone)
	return TellOnce{Enquiry: e, Item: it, Township: t, At: at}, nil
}
