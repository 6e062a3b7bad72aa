package service

import (
	"context"
	"slices"
	"strconv"
	"unicode/utf8"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/joint"
	"bianmin/internal/org"
)

// 并联审批 and 会签 on cases (issue 19, items 1 and 2; the rules in internal/joint and internal/cases/joint.go):
// at intake the item's joint steps are resolved to organisations (the bodies and the signers' places); at a
// parallel step the back office is each body's department staff and head, at a countersign step the signers
// too; an opinion is given in the name of the actor's body, a signature in the place of the signer who is due.

// jointSet is an item's joint steps resolved for a case, by step.
type jointSet struct {
	parallel    map[int]*joint.Parallel
	countersign map[int]*joint.Countersign
}

// resolveJoint names the organisations of an item's joint steps for a case handled by a township: the
// departments of the township's banner by name, HandlingTownship the township itself. A name that no
// department of the banner has is refused (the item cannot be handled there as it stands).
func (s *Service) resolveJoint(ctx context.Context, it catalog.Item, handling org.Org) (jointSet, error) {
	set := jointSet{parallel: map[int]*joint.Parallel{}, countersign: map[int]*joint.Countersign{}}
	var depts []org.Org
	find := func(name string) (org.Org, error) {
		if name == catalog.HandlingTownship {
			return handling, nil
		}
		if depts == nil {
			banner, err := s.DB.Org(ctx, handling.ParentID)
			if err != nil {
				return org.Org{}, err
			}
			if depts, err = s.DB.Subtree(ctx, banner.Path, org.Department); err != nil {
				return org.Org{}, err
			}
		}
		for _, d := range depts {
			if d.NameZh == name {
				return d, nil
			}
		}
		return org.Org{}, errs.Field("item_id", "err.joint.no_body").With("name", name)
	}
	for i, st := range it.Steps {
		if p := st.Parallel; p != nil {
			out := &joint.Parallel{Rule: p.Rule}
			for _, name := range p.Bodies {
				d, err := find(name)
				if err != nil {
					return set, err
				}
				out.Bodies = append(out.Bodies, d.ID)
				if name == p.Lead {
					out.Lead = d.ID
				}
			}
			set.parallel[i] = out
		}
		if c := st.Countersign; c != nil {
			out := &joint.Countersign{Mode: c.Mode}
			for _, x := range c.Signers {
				o, err := find(x.Org)
				if err != nil {
					return set, err
				}
				out.Signers = append(out.Signers, joint.Signer{Title: x.Title, Role: x.Role, Org: o.ID})
			}
			set.countersign[i] = out
		}
	}
	return set, nil
}

// apply puts the resolved joint steps on a new case.
func (j jointSet) apply(c *cases.Case) {
	if len(j.parallel) == 0 && len(j.countersign) == 0 {
		return
	}
	c.Steps = slices.Clone(c.Steps)
	for i := range c.Steps {
		c.Steps[i].Parallel, c.Steps[i].Countersign = j.parallel[i], j.countersign[i]
	}
}

// bodyOf is the body of the current parallel step the actor works at (its department staff or head), if any.
func (s *Service) bodyOf(ctx context.Context, actor access.Actor, p *joint.Parallel) (org.Org, bool) {
	if p == nil || (actor.Role != access.Department && actor.Role != access.Director) {
		return org.Org{}, false
	}
	for _, id := range p.Bodies {
		if o, err := s.org(ctx, id); err == nil && org.InSubtree(o.Path, actor.OrgPath) {
			return o, true
		}
	}
	return org.Org{}, false
}

// signerOf is the countersigner the actor is, among those due now (-1 when none): the signer's role at the
// signer's organisation.
func (s *Service) signerOf(ctx context.Context, actor access.Actor, cs *joint.Countersign) int {
	if cs == nil {
		return -1
	}
	for _, i := range cs.Due() {
		x := cs.Signers[i]
		if o, err := s.org(ctx, x.Org); err == nil && string(actor.Role) == x.Role && org.InSubtree(o.Path, actor.OrgPath) {
			return i
		}
	}
	return -1
}

// jointDesk widens the back office at a joint step: at a parallel step it is the bodies (and only they); at a
// countersign step the signers who are due join the step's own reviewers.
func (s *Service) jointDesk(ctx context.Context, actor access.Actor, c cases.Case, out map[cases.Desk]bool) {
	if actor.System || c.Step >= len(c.Steps) {
		return
	}
	st := c.Steps[c.Step]
	if st.Parallel != nil {
		_, ok := s.bodyOf(ctx, actor, st.Parallel)
		out[cases.Back] = ok
	}
	if st.Countersign != nil && s.signerOf(ctx, actor, st.Countersign) >= 0 {
		out[cases.Back] = true
	}
}

// jointInput fills in who makes a joint move, from the actor, never from the form: the body an opinion is
// of, the signer a signature is in the place of. Only the signer who is due signs.
func (s *Service) jointInput(ctx context.Context, actor access.Actor, c cases.Case, a cases.Action, in *cases.Input) error {
	in.By, in.ByName, in.Body, in.BodyName, in.Signer = actor.ID, actor.Name, "", "", -1
	st := c.Steps[c.Step]
	switch a {
	case cases.Opinion, cases.LeadDecide:
		if actor.System {
			return nil
		}
		b, ok := s.bodyOf(ctx, actor, st.Parallel)
		if !ok {
			return errs.New(errs.Forbidden, "err.joint.parallel.not_body")
		}
		in.Body, in.BodyName = b.ID, b.NameZh
	case cases.Sign:
		if in.Signer = s.signerOf(ctx, actor, st.Countersign); in.Signer < 0 {
			return errs.New(errs.Forbidden, "err.joint.sign.not_signer")
		}
	}
	return nil
}

// jointReader reports whether the actor reads a case as one of its joint steps' bodies or signers (the bodies
// of a parallel step see the case and each other's opinions; a signer what they sign).
func (s *Service) jointReader(ctx context.Context, actor access.Actor, c cases.Case) bool {
	for _, st := range c.Steps {
		if _, ok := s.bodyOf(ctx, actor, st.Parallel); ok {
			return true
		}
		if cs := st.Countersign; cs != nil {
			for _, x := range cs.Signers {
				if o, err := s.org(ctx, x.Org); err == nil && string(actor.Role) == x.Role && org.InSubtree(o.Path, actor.OrgPath) {
					return true
				}
			}
		}
	}
	return false
}

// ReceiveLinked starts an ad-hoc 联合办理 at the window (seed 三.(一).3 "发起联合办理"): several related items for
// one applicant that are not a predefined bundle, taken in together as linked cases (each with its own item,
// steps, clock and organ); together says whether their results are issued together (held until all are
// decided, as a bundle's: cases.IssueTogether).
func (s *Service) ReceiveLinked(ctx context.Context, actor access.Actor, itemIDs []string, together bool, in ReceiveInput, key string) ([]cases.Case, error) {
	if actor.Role == access.Agent { // the township's general window starts it (seed 三.(一).3); a station applies item by item
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.receive")
	}
	members := make([]joint.Member, len(itemIDs))
	for i, id := range itemIDs {
		members[i] = joint.Member{ItemID: id, ApplicantID: in.ApplicantID}
	}
	if err := joint.CheckLinked(members); err != nil {
		return nil, err
	}
	in.linked, in.issueApart = true, !together
	return s.receive(ctx, actor, itemIDs, in, key, ids.New(), nil)
}

// LinkedCase is what a linked case's page shows of the others: number, item, state (no personal data).
type LinkedCase struct {
	ID, No, ItemName, ItemNameMn string
	State                        cases.State
}

// LinkedOf lists the other cases of a case's 联合办理 or bundle, for whoever reads the case (the reader was
// checked by CaseFor): every back office sees what else the applicant applied for with it.
func (s *Service) LinkedOf(ctx context.Context, c cases.Case) ([]LinkedCase, error) {
	if c.Bundle == "" {
		return nil, nil
	}
	sibs, err := s.DB.CasesOfBundle(ctx, c.Bundle)
	if err != nil {
		return nil, err
	}
	var out []LinkedCase
	for _, x := range sibs {
		if x.ID != c.ID {
			out = append(out, LinkedCase{ID: x.ID, No: x.No, ItemName: x.ItemName, ItemNameMn: x.ItemNameMn, State: x.State})
		}
	}
	return out, nil
}

// maxSignerTitle is the longest title of a countersigner (分管领导, 部门负责人 ...).
const maxSignerTitle = 50

// checkJointNames checks what an item's joint steps name against the banner of the item's department, as
// intake will resolve them (resolveJoint): every body, lead and signer's organisation a department of the
// banner by name (a signer may also be HandlingTownship), every signer's role a role of Bianmin. The errors
// name the step's field (steps[3].parallel.bodies ...), so that the editor shows where.
func (s *Service) checkJointNames(ctx context.Context, it catalog.Item, dept org.Org) error {
	known := map[string]bool{}
	loaded := false
	has := func(name string) (bool, error) {
		if !loaded {
			banner, err := s.DB.Org(ctx, dept.ParentID)
			if err != nil {
				return false, err
			}
			all, err := s.DB.Subtree(ctx, banner.Path, org.Department)
			if err != nil {
				return false, err
			}
			for _, d := range all {
				known[d.NameZh] = true
			}
			loaded = true
		}
		return known[name], nil
	}
	var l errs.List
	for i, st := range it.Steps {
		f := "steps[" + strconv.Itoa(i) + "]"
		if p := st.Parallel; p != nil {
			for _, b := range append(slices.Clone(p.Bodies), p.Lead) {
				if b == "" {
					continue
				}
				ok, err := has(b)
				if err != nil {
					return err
				}
				if !ok {
					l.Add(errs.Field(f+".parallel.bodies", "err.joint.no_body").With("name", b))
				}
			}
		}
		if c := st.Countersign; c != nil {
			for _, x := range c.Signers {
				if utf8.RuneCountInString(x.Title) > maxSignerTitle {
					l.Add(errs.Field(f+".countersign.signers", "err.too_long").With("max", strconv.Itoa(maxSignerTitle)))
				}
				if x.Role != "" && !access.Role(x.Role).Valid() {
					l.Add(errs.Field(f+".countersign.signers", "joint.gaps.err.role").With("name", x.Role))
				}
				if x.Org == "" || x.Org == catalog.HandlingTownship {
					continue
				}
				ok, err := has(x.Org)
				if err != nil {
					return err
				}
				if !ok {
					l.Add(errs.Field(f+".countersign.signers", "err.joint.no_body").With("name", x.Org))
				}
			}
		}
	}
	return l.Err()
}

// BannerDepartments names the departments of the banner an item's department belongs to, for the catalog
// editor's joint steps: who may edit the item may read them.
func (s *Service) BannerDepartments(ctx context.Context, actor access.Actor, itemID string) ([]string, error) {
	row, err := s.DB.Item(ctx, itemID)
	if err != nil {
		return nil, err
	}
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	if err != nil {
		return nil, err
	}
	if err := actor.Check(access.CatalogEdit, dept.Path); err != nil {
		return nil, err
	}
	banner, err := s.DB.Org(ctx, dept.ParentID)
	if err != nil {
		return nil, err
	}
	all, err := s.DB.Subtree(ctx, banner.Path, org.Department)
	out := make([]string, len(all))
	for i, d := range all {
		out[i] = d.NameZh
	}
	return out, err
}
