package service

import (
	"context"
	"io"
	"strings"
	"sync"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// Org reads one organisation the actor may see.
func (s *Service) Org(ctx context.Context, actor access.Actor, id string) (org.Org, error) {
	o, err := s.DB.Org(ctx, id)
	if err != nil {
		return o, err
	}
	if !actor.Can(access.OrgRead, o.Path) {
		// Outside the subtree an organisation is reported as forbidden, not hidden: names of public bodies
		// are public, but their pages inside Bianmin are not.
		return org.Org{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgRead))
	}
	return o, nil
}

// Home is the actor's own organisation.
func (s *Service) Home(ctx context.Context, actor access.Actor) (org.Org, error) {
	return s.DB.Org(ctx, actor.OrgID)
}

// Children lists the direct children of an organisation the actor may see.
func (s *Service) Children(ctx context.Context, actor access.Actor, id string) ([]org.Org, error) {
	if _, err := s.Org(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.DB.Children(ctx, id)
}

// Visible lists the actor's subtree, optionally of some kinds only.
func (s *Service) Visible(ctx context.Context, actor access.Actor, kinds ...org.Kind) ([]org.Org, error) {
	if !actor.Role.Has(access.OrgRead) && !actor.System {
		return nil, errs.New(errs.Forbidden, "err.forbidden")
	}
	return s.DB.Subtree(ctx, actor.OrgPath, kinds...)
}

// OrgInput creates an organisation under a parent.
type OrgInput struct {
	ParentID string `json:"parent_id"`
	Kind     string `json:"kind"`
	Code     string `json:"code,omitempty"`
	Subtype  string `json:"subtype,omitempty"`
	NameZh   string `json:"name_zh"`
	NameMn   string `json:"name_mn,omitempty"`
	Abbr     string `json:"abbr,omitempty"`
	Desk     string `json:"desk,omitempty"`
	General  bool   `json:"general,omitempty"`
}

// CreateOrg adds an organisation under a parent in the actor's subtree.
func (s *Service) CreateOrg(ctx context.Context, actor access.Actor, in OrgInput) (org.Org, error) {
	o := org.Org{ParentID: in.ParentID, Kind: org.Kind(in.Kind), Code: strings.TrimSpace(in.Code), Subtype: in.Subtype,
		NameZh: strings.TrimSpace(in.NameZh), NameMn: strings.TrimSpace(in.NameMn), MnReview: in.NameMn != "",
		Abbr: in.Abbr, Desk: org.Desk(in.Desk), General: in.General}
	if in.ParentID == "" {
		if !actor.System {
			return o, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgEdit))
		}
	} else {
		p, err := s.DB.Org(ctx, in.ParentID)
		if err != nil {
			return o, errs.Field("parent", "err.not_found").With("what", "org")
		}
		if err := actor.Check(access.OrgEdit, p.Path); err != nil {
			return o, err
		}
		// Administrative units and departments are the administrators' to make; a director adds windows.
		if (o.Kind.Administrative() || o.Kind == org.Department) && !actor.Can(access.OrgImport, p.Path) {
			return o, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgImport))
		}
	}
	err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(actor, &o) })
	return o, err
}

// RenameInput corrects the names of an organisation.
type RenameInput struct {
	Version  int    `json:"version"`
	NameZh   string `json:"name_zh"`
	NameMn   string `json:"name_mn"`
	Abbr     string `json:"abbr"`
	MnReview bool   `json:"mn_review"`
}

// RenameOrg corrects names under optimistic locking.
func (s *Service) RenameOrg(ctx context.Context, actor access.Actor, id string, in RenameInput) (org.Org, error) {
	o, err := s.DB.Org(ctx, id)
	if err != nil {
		return o, err
	}
	if err := actor.Check(access.OrgEdit, o.Path); err != nil {
		return o, err
	}
	var out org.Org
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.UpdateOrgNames(actor, id, in.Version, in.NameZh, in.NameMn, in.Abbr, in.MnReview)
		return err
	})
	return out, err
}

// ImportResult reports an import.
type ImportResult struct {
	Created   int `json:"created"`
	Townships int `json:"townships"`
	Villages  int `json:"villages"`
}

// ImportDivisions reads a division file and creates what it lists, all or nothing. The actor must hold the
// import permission over the banner the file describes (or be at the top of the tree for a new banner).
func (s *Service) ImportDivisions(ctx context.Context, actor access.Actor, r io.Reader) (ImportResult, error) {
	var res ImportResult
	if !actor.System && !actor.Role.Has(access.OrgImport) {
		return res, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgImport))
	}
	plan, err := org.ParseDivisions(r)
	if err != nil {
		return res, err
	}
	// The deepest existing administrative unit of the file decides whose import it is.
	allowed := actor.System
	for i := len(plan.Orgs) - 1; i >= 0 && !allowed; i-- {
		o := plan.Orgs[i]
		if o.Kind != org.Banner && o.Kind != org.City && o.Kind != org.Region {
			continue
		}
		if have, err := s.DB.OrgByCode(ctx, o.Code); err == nil {
			allowed = actor.Can(access.OrgImport, have.Path)
			break
		}
	}
	if !allowed {
		return res, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgImport))
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		res.Created, err = tx.ImportPlan(actor, plan)
		return err
	})
	res.Townships, res.Villages = plan.Count(org.Township), plan.Count(org.Village)
	return res, err
}

// orgMemo keeps the organisations read while one page is made: a queue of fifty cases asks for the same
// handful of townships and departments a hundred times (who receives, who handles, who decides), each a
// query; within one request they do not change. Outside a memo, org reads the database.
type orgMemo struct {
	mu sync.Mutex
	m  map[string]org.Org
}

type orgMemoKey struct{}

// withOrgMemo gives a request's work its memo of organisations.
func withOrgMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(orgMemoKey{}).(*orgMemo); ok {
		return ctx
	}
	return context.WithValue(ctx, orgMemoKey{}, &orgMemo{m: map[string]org.Org{}})
}

// org reads an organisation, once per request where the request has a memo.
func (s *Service) org(ctx context.Context, id string) (org.Org, error) {
	memo, ok := ctx.Value(orgMemoKey{}).(*orgMemo)
	if !ok {
		return s.DB.Org(ctx, id)
	}
	memo.mu.Lock()
	o, hit := memo.m[id]
	memo.mu.Unlock()
	if hit {
		return o, nil
	}
	o, err := s.DB.Org(ctx, id)
	if err == nil {
		memo.mu.Lock()
		memo.m[id] = o
		memo.mu.Unlock()
	}
	return o, err
}
