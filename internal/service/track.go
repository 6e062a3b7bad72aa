package service

import (
	"context"
	"strings"
	"unicode"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
)

// TrackQuery is what a resident types on the public tracking page: a case number (with or without its
// township's prefix: "天山2026000518" or "2026000518") or their ID number, and the last four digits of the
// phone they left at the window.
type TrackQuery struct {
	No, IDNumber, Phone4 string
}

// maxTracked caps how many of one applicant's cases the tracking page lists.
const maxTracked = 50

// TrackCases finds the cases a query names whose applicant's phone ends in the digits given. A wrong pair
// finds nothing, and says so the same way whether the number or the ID number exists or not.
func (s *Service) TrackCases(ctx context.Context, q TrackQuery, client string) ([]Tracking, error) {
	if err := textLimits(limit("no", q.No, cases.MaxCaseNo), limit("id_number", q.IDNumber, cases.MaxCaseNo), limit("phone4", q.Phone4, cases.MaxCaseNo)); err != nil {
		return nil, err
	}
	no, id, phone4 := strings.TrimSpace(q.No), people.NormalizeIDNumber(strings.TrimSpace(q.IDNumber)), strings.TrimSpace(q.Phone4)
	// Four digits are few: guessing is throttled per (case number or ID number, address) pair, so that one
	// hall or one proxy's public do not share a budget, with a higher ceiling per address for walking through
	// numbers. The pair is keyed on the number's digits, with or without its township prefix.
	now := s.DB.Now()
	target := strings.TrimLeftFunc(no, func(r rune) bool { return r < '0' || r > '9' })
	if no == "" {
		target = "id:" + id
	}
	if !s.limiter.allow("track:"+client, now) || !s.pairs.allow("track:"+target+"\x00"+client, now) {
		return nil, errs.New(errs.Locked, "err.track.throttled")
	}
	var l errs.List
	if no == "" && id == "" {
		l.Add(errs.Field("no", "err.track.no_or_id"))
	}
	if len(phone4) != 4 {
		l.Add(errs.Field("phone4", "err.case.phone4"))
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	notFound := errs.New(errs.NotFound, "err.case.track_not_found")
	var found []cases.Case
	phones := map[string]bool{} // applicant -> the phone's last four digits match
	if no != "" {
		nos, err := s.caseNoCandidates(ctx, no)
		if err != nil {
			return nil, err
		}
		if found, err = s.DB.CasesByNos(ctx, nos); err != nil {
			return nil, err
		}
	} else {
		a, err := s.DB.ApplicantByIDNumber(ctx, id)
		if err != nil {
			return nil, notFound
		}
		phones[a.ID] = len(a.Phone) >= 4 && a.Phone[len(a.Phone)-4:] == phone4 // read once, not again per case
		if found, err = s.DB.CasesOfApplicant(ctx, a.ID, maxTracked); err != nil {
			return nil, err
		}
	}
	var out []Tracking
	for _, c := range found {
		ok, seen := phones[c.ApplicantID]
		if !seen {
			a, err := s.DB.Applicant(ctx, c.ApplicantID)
			ok = err == nil && len(a.Phone) >= 4 && a.Phone[len(a.Phone)-4:] == phone4
			phones[c.ApplicantID] = ok
		}
		if !ok {
			continue
		}
		t, err := s.publicTimeline(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, notFound
	}
	return out, nil
}

// caseNoCandidates turns what was typed into the case numbers it may mean: a number typed whole is itself;
// the year and serial alone ("2026000518") are tried under every township's prefix, since each township
// numbers its own cases (store.CreateCase) and residents rarely type the Chinese prefix.
func (s *Service) caseNoCandidates(ctx context.Context, no string) ([]string, error) {
	no = strings.Join(strings.Fields(no), "")
	if no == "" || !allDigits(no) {
		return []string{no}, nil
	}
	towns, err := s.DB.Subtree(ctx, "/", org.Township)
	if err != nil {
		return nil, err
	}
	out := []string{no}
	seen := map[string]bool{no: true}
	for _, t := range towns {
		n := numberPrefix(t) + no
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return true
}
