package service

import (
	"context"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// NoticeView is a notice as it prints: what it said when issued, who issued it, and where the applicant may
// seek remedies (行政复议 at the banner's people's government, 行政诉讼 at the people's court).
type NoticeView struct {
	Notice    store.Notice
	Paper     cases.Paper
	Issuer    org.Org // the organ the notice is in the name of: the handling township, or the deciding organ
	Receiving org.Org // where the applicant handed the application in
	// ReceivedFor is the deciding organ for which the handling township received the application (受委托代收),
	// zero when the township decides itself: the intake notices say so.
	ReceivedFor org.Org
	Banner      org.Org    // the issuer's banner: its people's government reviews (复议), its court hears (诉讼)
	Current     cases.Case // the case now: a 送达回证 shows the delivery once it is recorded
}

// Notices lists a case's notices for someone who may read the case.
func (s *Service) Notices(ctx context.Context, actor access.Actor, caseID string) ([]store.Notice, error) {
	if _, _, err := s.CaseFor(ctx, actor, caseID); err != nil {
		return nil, err
	}
	return s.DB.NoticeList(ctx, caseID) // which notices exist; each one is read on its own
}

// Notice reads one notice of a case for printing, for someone who may read the case.
func (s *Service) Notice(ctx context.Context, actor access.Actor, caseID, noticeID string) (NoticeView, error) {
	w, _, err := s.CaseFor(ctx, actor, caseID)
	if err != nil {
		return NoticeView{}, err
	}
	n, err := s.DB.NoticeByID(ctx, noticeID)
	if err != nil || n.CaseID != caseID {
		return NoticeView{}, errs.New(errs.NotFound, "err.not_found").With("what", "notice")
	}
	v := NoticeView{Notice: n, Current: w.Case, Paper: cases.Paper{Case: w.Case}}
	if n.Doc != "" {
		if v.Paper, err = cases.ReadPaper(n.Kind, []byte(n.Doc), w.Case); err != nil {
			return NoticeView{}, errs.Wrap(err, "notice doc")
		}
		v.Paper.Case = s.withItemMn(ctx, v.Paper.Case)
	}
	if v.Issuer, err = s.DB.Org(ctx, v.Paper.IssuerID()); err != nil {
		return NoticeView{}, err
	}
	if id := v.Paper.Case.ReceivesFor(); id != "" && v.Paper.Issuer != "" && id != v.Issuer.ID {
		if v.ReceivedFor, err = s.DB.Org(ctx, id); err != nil {
			return NoticeView{}, err
		}
	}
	if v.Receiving, err = s.DB.Org(ctx, w.Case.Receiving); err != nil {
		return NoticeView{}, err
	}
	if v.Issuer.ParentID != "" {
		if v.Banner, err = s.DB.Org(ctx, v.Issuer.ParentID); err != nil {
			return NoticeView{}, err
		}
	}
	return v, nil
}

// LatestNotice finds the newest notice of a kind on a case (the correction notice the window just gave).
func (s *Service) LatestNotice(ctx context.Context, actor access.Actor, caseID, kind string) (store.Notice, error) {
	list, err := s.Notices(ctx, actor, caseID)
	if err != nil {
		return store.Notice{}, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Kind == kind {
			return list[i], nil
		}
	}
	return store.Notice{}, errs.New(errs.NotFound, "err.not_found").With("what", "notice")
}

// withItemMn fills in the Mongolian item name of a case taken in before cases kept it, from the item version
// the case is pinned to.
func (s *Service) withItemMn(ctx context.Context, c cases.Case) cases.Case {
	if c.ItemNameMn != "" {
		return c
	}
	key := c.ItemID + "/" + strconv.Itoa(c.ItemVersion)
	name, ok := s.itemMn.Load(key)
	if !ok {
		it, err := s.DB.ItemVersion(ctx, c.ItemID, c.ItemVersion)
		if err != nil {
			return c
		}
		name = it.NameMn
		s.itemMn.Store(key, name)
	}
	c.ItemNameMn = name.(string)
	return c
}
