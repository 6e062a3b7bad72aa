package service

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// Delegation records in the catalog files (issue 14 point 1, "UI, API and the catalog import formats";
// internal/catalogfile/delegations.go reads and writes them; internal/delegation/proposal.go says why they are
// proposals): an import matches each record against the catalog it comes into, within the importer's reach,
// and stores it as a proposal of its department, in the transaction that makes the import's items live; a
// record that does not match refuses the whole file, naming its row. The department confirms a proposal
// (the delegation is made by the path the form takes: prepareDelegation, tx.CreateDelegation, its audit) or
// refuses it with reasons. The export writes the delegations back, so that a catalog goes out and comes in
// with its 赋权清单.

// proposalDraft is a matched record before the import is written: its proposal, and the item of the file
// it names (an index into the file's items, -1 for an item already in the catalog).
type proposalDraft struct {
	p        delegation.Proposal
	fileItem int
}

// importMatcher matches records against the catalog, reading each department's items and townships once.
type importMatcher struct {
	s       *Service
	actor   access.Actor
	items   []catalog.Item // the file's
	depts   []org.Org      // the department of each of the file's items
	refused []bool         // the file's items refused (published guides: not imported)
	stored  map[string][]catalog.Item
	towns   map[string][]org.Org
	waiting map[string][]delegation.Proposal   // an item's proposals still waiting
	made    map[string][]delegation.Delegation // an item's delegations
}

// already says whether a matched record asks again for what waits or is done (delegation.Proposal.AlreadyIn):
// a proposal still waiting or an active delegation of a catalog item, or an earlier record of the same file.
func (m *importMatcher) already(ctx context.Context, d proposalDraft, earlier []proposalDraft) (delegation.Already, string, error) {
	for _, e := range earlier {
		if e.fileItem == d.fileItem && d.p.Same(e.p) {
			return delegation.AlreadyProposed, "", nil
		}
	}
	if d.fileItem >= 0 {
		return "", "", nil // an item the file brings is new: nothing can wait for it yet
	}
	id := d.p.ItemID
	if _, ok := m.waiting[id]; !ok {
		list, err := m.s.DB.Proposals(ctx, store.ProposalQuery{Dept: d.p.DeptPath, State: delegation.Proposed, Item: id, Limit: 1000})
		if err != nil {
			return "", "", err
		}
		dels, err := m.s.DB.DelegationsOfItem(ctx, id)
		if err != nil {
			return "", "", err
		}
		m.waiting[id], m.made[id] = list, dels
	}
	why, at := d.p.AlreadyIn(m.waiting[id], m.made[id])
	return why, at, nil
}

// department finds a record's department by name (as the items' are found) or by its code, within the
// importer's catalog.
func (m *importMatcher) department(ctx context.Context, rec delegation.Record) (org.Org, *errs.Error) {
	at := rec.At("upward_department")
	name := strings.TrimSpace(rec.Department)
	d, err := m.s.department(ctx, m.actor, name)
	if err != nil {
		if e := errs.All(err); len(e) == 1 && e[0].Key == "err.department.ambiguous" {
			return d, errs.Field(at, "err.deleg2.import_ambiguous").With("name", name)
		}
		o, cerr := m.s.DB.OrgByCode(ctx, name)
		if cerr != nil || o.Kind != org.Department {
			return d, errs.Field(at, "err.deleg2.import_unmatched").With("name", name)
		}
		d = o
	}
	if !m.actor.System && !m.actor.Can(access.CatalogEdit, d.Path) {
		return d, errs.Field(at, "err.deleg2.import_scope").With("name", name)
	}
	return d, nil
}

func names(it catalog.Item, v string) bool {
	return it.NameZh == v || (it.ImplCode != "" && it.ImplCode == v)
}

// item finds a record's item of dept by name or 实施编码: among the file's own items first (a catalog and its
// delegations imported together), then among the department's items already in the catalog.
func (m *importMatcher) item(ctx context.Context, rec delegation.Record, dept org.Org) (string, string, int, *errs.Error) {
	at, v := rec.At("item_id"), strings.TrimSpace(rec.Item)
	var in []int
	for i, it := range m.items {
		if !m.refused[i] && m.depts[i].ID == dept.ID && names(it, v) {
			in = append(in, i)
		}
	}
	switch len(in) {
	case 1:
		return "", m.items[in[0]].NameZh, in[0], nil
	case 0:
	default:
		return "", "", -1, errs.Field(at, "err.deleg2.import_ambiguous").With("name", v)
	}
	list, ok := m.stored[dept.ID]
	if !ok {
		all, err := m.s.DB.ItemsIn(ctx, dept.Path)
		if err != nil {
			return "", "", -1, errs.All(errs.Wrap(err, "items of a department"))[0]
		}
		for _, it := range all {
			if it.Department == dept.NameZh && it.Status != catalog.Retired {
				list = append(list, it)
			}
		}
		m.stored[dept.ID] = list
	}
	var found []catalog.Item
	for _, it := range list {
		if names(it, v) {
			found = append(found, it)
		}
	}
	switch len(found) {
	case 0:
		return "", "", -1, errs.Field(at, "err.deleg2.import_unmatched").With("name", v)
	case 1:
		return found[0].ID, found[0].NameZh, -1, nil
	}
	return "", "", -1, errs.Field(at, "err.deleg2.import_ambiguous").With("name", v)
}

// townships finds a record's townships by name or division code among the townships of the department's
// banner (the one a department delegates to).
func (m *importMatcher) townships(ctx context.Context, rec delegation.Record, dept org.Org) ([]delegation.ProposalTown, []*errs.Error) {
	at := rec.At("deleg_townships")
	list, ok := m.towns[dept.ID]
	if !ok {
		root := dept.Path
		if p, err := m.s.org(ctx, dept.ParentID); err == nil {
			root = p.Path
		}
		all, err := m.s.DB.Subtree(ctx, root, org.Township)
		if err != nil {
			return nil, errs.All(errs.Wrap(err, "townships of a banner"))
		}
		list, m.towns[dept.ID] = all, all
	}
	var out []delegation.ProposalTown
	var bad []*errs.Error
	for _, name := range rec.Townships {
		name = strings.TrimSpace(name)
		var found []org.Org
		for _, t := range list {
			if t.NameZh == name || t.Code == name {
				found = append(found, t)
			}
		}
		switch {
		case len(found) == 0:
			bad = append(bad, errs.Field(at, "err.deleg2.import_unmatched").With("name", name))
		case len(found) > 1:
			bad = append(bad, errs.Field(at, "err.deleg2.import_ambiguous").With("name", name))
		case slices.ContainsFunc(out, func(p delegation.ProposalTown) bool { return p.OrgID == found[0].ID }):
			bad = append(bad, errs.Field(at, "err.deleg2.import_twice").With("name", name))
		default:
			out = append(out, delegation.ProposalTown{OrgID: found[0].ID, Name: found[0].NameZh})
		}
	}
	return out, bad
}

// matchDelegations matches the records of a file (source names it) against the catalog and the file's own
// items; every record that does not match is refused, named by its row and field, all of them at once. A
// record that asks again for a delegation waiting or made is no error: it proposes nothing and is listed
// among the already.
func (s *Service) matchDelegations(ctx context.Context, actor access.Actor, recs []delegation.Record, source string, items []catalog.Item, depts []org.Org,
	refused []bool) ([]proposalDraft, []ImportAlready, errs.List) {
	var l errs.List
	if len(recs) == 0 {
		return nil, nil, nil
	}
	if len([]rune(source)) > 200 {
		source = string([]rune(source)[:200])
	}
	recs = slices.Clone(recs)
	if err := delegation.CheckRecords(recs); err != nil {
		return nil, nil, errs.All(err)
	}
	m := &importMatcher{s: s, actor: actor, items: items, depts: depts, refused: refused, stored: map[string][]catalog.Item{}, towns: map[string][]org.Org{},
		waiting: map[string][]delegation.Proposal{}, made: map[string][]delegation.Delegation{}}
	var out []proposalDraft
	var already []ImportAlready
	for _, rec := range recs {
		dept, e := m.department(ctx, rec)
		if e != nil {
			l.Add(e)
			continue
		}
		itemID, itemName, fileItem, e := m.item(ctx, rec, dept)
		if e != nil && e.Code == errs.Internal {
			return nil, nil, errs.List{e}
		}
		l.Add(e)
		towns, bad := m.townships(ctx, rec, dept)
		for _, b := range bad {
			if b.Code == errs.Internal {
				return nil, nil, errs.List{b}
			}
			l.Add(b)
		}
		if e != nil || len(bad) > 0 {
			continue
		}
		d := proposalDraft{fileItem: fileItem, p: delegation.Proposal{DeptID: dept.ID, DeptPath: dept.Path, DeptName: dept.NameZh, ItemID: itemID,
			ItemName: itemName, Scope: delegation.Scope(rec.Scope), Townships: towns, DocNo: strings.TrimSpace(rec.DocNo), DocDate: strings.TrimSpace(rec.DocDate),
			Start: strings.TrimSpace(rec.Start), Note: rec.Note, Source: strings.TrimSpace(source + " " + rec.Position)}}
		why, id, err := m.already(ctx, d, out)
		if err != nil {
			return nil, nil, errs.All(err)
		}
		if why != "" {
			already = append(already, ImportAlready{Position: rec.Position, Item: itemName, Why: why, ID: id})
			continue
		}
		out = append(out, d)
	}
	return out, already, l
}

// ImportAlready is a record of an imported file that proposed nothing: the same delegation (department,
// item, scope, townships, document number) already waits as a proposal (Why proposed; ID the proposal, or
// empty for an earlier record of the same file) or is made and active (Why delegated; ID the delegation).
type ImportAlready struct {
	Position string             `json:"position"` // where the record stands in its file: "赋权!3", "delegations[0]"
	Item     string             `json:"item"`
	Why      delegation.Already `json:"why"`
	ID       string             `json:"id,omitempty"`
}

// DelegationProposals lists the proposals of the actor's departments (a department's own; a banner's
// administrator or supervisor reads the banner's) matching text, in one state or any, newest first, a page at
// a time from after.
func (s *Service) DelegationProposals(ctx context.Context, actor access.Actor, text, state, after string) (ListPage[delegation.Proposal], error) {
	var none ListPage[delegation.Proposal]
	if !actor.Role.Has(access.DelegationRead) && !actor.System {
		return none, forbidden(access.DelegationRead)
	}
	if err := textLimits(limit("q", text, 100), limit("cursor", after, cases.MaxWord), limit("state", state, cases.MaxWord)); err != nil {
		return none, err
	}
	if state != "" && !slices.Contains(delegation.ProposalStates, delegation.ProposalState(state)) {
		return none, errs.Field("state", "err.find.choice")
	}
	q := store.ProposalQuery{Dept: actor.OrgPath, All: actor.System, State: delegation.ProposalState(state), Text: strings.TrimSpace(text), After: after, Limit: listPageSize + 1}
	list, err := s.DB.Proposals(ctx, q)
	page, err := pageOf(list, err, func(p delegation.Proposal) string { return p.ID })
	if err != nil || len(page.List) == 0 {
		return page, err
	}
	// where each item stands: a proposal of an item not yet published waits for its publishing
	ids := make([]string, len(page.List))
	for i, p := range page.List {
		ids[i] = p.ItemID
	}
	st, err := s.DB.ItemStatuses(ctx, slices.Compact(slices.Sorted(slices.Values(ids))))
	if err != nil {
		return none, err
	}
	for i := range page.List {
		page.List[i].ItemStatus = st[page.List[i].ItemID]
	}
	return page, nil
}

// mayDecide reads a proposal for someone who may delegate for its department (the permission of a
// delegation typed by hand), at the version they read, still undecided.
func (s *Service) mayDecide(ctx context.Context, actor access.Actor, id string, version int) (delegation.Proposal, error) {
	p, err := s.DB.Proposal(ctx, id)
	if err != nil {
		return p, err
	}
	if !actor.System && (!actor.Role.Has(access.DelegationManage) || !actor.Can(access.DelegationManage, p.DeptPath)) {
		return delegation.Proposal{}, forbidden(access.DelegationManage)
	}
	if p.State != delegation.Proposed {
		return p, errs.New(errs.Conflict, "err.deleg2.proposal_decided")
	}
	if p.Version != version {
		return p, errs.New(errs.Conflict, "err.conflict")
	}
	return p, nil
}

// ConfirmProposal makes the delegation a proposal asks for, by its department, exactly as CreateDelegation
// does (the same checks against today, the same store write and audit entry), and marks the proposal
// confirmed in the same transaction under the version read: a second confirmation, however it comes, is a
// conflict and makes no second delegation.
func (s *Service) ConfirmProposal(ctx context.Context, actor access.Actor, id string, version int) (delegation.Delegation, error) {
	p, err := s.mayDecide(ctx, actor, id, version)
	if err != nil {
		return delegation.Delegation{}, err
	}
	d, paths, err := s.prepareDelegation(ctx, actor, p.Input())
	if err != nil {
		return delegation.Delegation{}, err
	}
	if d.DeptID != p.DeptID {
		return delegation.Delegation{}, forbidden(access.DelegationManage) // the item moved to another department since
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDelegation(actor, &d, paths); err != nil {
			return err
		}
		after := p
		if err := after.Confirm(d.ID, actor.ID, actor.Name, tx.Now()); err != nil {
			return err
		}
		_, err := tx.SaveProposal(actor, p, after, "delegation.proposal.confirm")
		return err
	})
	if err != nil {
		return delegation.Delegation{}, err
	}
	return s.DB.Delegation(ctx, d.ID)
}

// RefuseProposal refuses a proposal with reasons, by its department.
func (s *Service) RefuseProposal(ctx context.Context, actor access.Actor, id string, version int, reason string) (delegation.Proposal, error) {
	p, err := s.mayDecide(ctx, actor, id, version)
	if err != nil {
		return p, err
	}
	after := p
	if err := after.Refuse(strings.TrimSpace(reason), actor.ID, actor.Name, s.DB.Now()); err != nil {
		return p, err
	}
	var out delegation.Proposal
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.SaveProposal(actor, p, after, "delegation.proposal.refuse")
		return err
	})
	return out, err
}

// CatalogExport is what a catalog export writes: the latest version of the items the actor keeps (Items)
// and the delegations of their departments still in force or planned (active: a paused or revoked one would
// come back in as a proposal to delegate), as the catalog files' records, which an import reads back. A
// record names the item by its 实施编码 and the townships by their division codes where they have them (the
// reader takes a name or a code alike): a department's two items of one name, or two townships of one name,
// come back as themselves; names only where there is no code.
func (s *Service) CatalogExport(ctx context.Context, actor access.Actor) ([]catalog.Item, []delegation.Record, error) {
	items, err := s.Items(ctx, actor)
	if err != nil {
		return nil, nil, err
	}
	root := actor.OrgPath
	if actor.System {
		root = "/"
	}
	dels, err := s.DB.Delegations(ctx, store.DelegationQuery{Dept: root, Limit: 100000})
	if err != nil {
		return nil, nil, err
	}
	codes := make(map[string]string, len(items)) // an item's 实施编码
	for _, it := range items {
		codes[it.ID] = it.ImplCode
	}
	var out []delegation.Record
	for _, d := range slices.Backward(dels) { // oldest first, as they were made
		if d.State != delegation.Active {
			continue
		}
		dept, err := s.org(ctx, d.DeptID)
		if err != nil {
			return nil, nil, err
		}
		rec := delegation.Record{Department: dept.NameZh, Item: cmp.Or(codes[d.ItemID], d.ItemName), Scope: string(d.Scope), DocNo: d.DocNo, DocDate: d.DocDate.String(),
			Start: d.Start().String()}
		for _, t := range d.Townships {
			o, err := s.org(ctx, t.OrgID)
			if err != nil {
				return nil, nil, err
			}
			rec.Townships = append(rec.Townships, cmp.Or(o.Code, o.NameZh))
		}
		out = append(out, rec)
	}
	return items, out, nil
}
