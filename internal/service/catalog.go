package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// department finds the banner department an item belongs to, by name: the one inside the actor's reach
// when several banners have a department of that name. The caller checks the permission on it.
func (s *Service) department(ctx context.Context, actor access.Actor, name string) (org.Org, error) {
	list, err := s.DB.OrgsByName(ctx, org.Department, strings.TrimSpace(name))
	if err != nil {
		return org.Org{}, err
	}
	if len(list) == 0 {
		return org.Org{}, errs.Field("department", "err.not_found").With("what", "org")
	}
	var reach []org.Org
	for _, o := range list {
		if actor.System || org.InSubtree(actor.OrgPath, o.Path) {
			reach = append(reach, o)
		}
	}
	switch len(reach) {
	case 0:
		return list[0], nil // outside the actor's reach: the permission check refuses it
	case 1:
		return reach[0], nil
	}
	// Several banners within reach have a department of this name: which one is not a guess to make.
	return org.Org{}, errs.Field("department", "err.department.ambiguous").With("name", name)
}

// CreateItem adds an item as a draft of its department. Drafts may have gaps; what is present must be
// valid.
func (s *Service) CreateItem(ctx context.Context, actor access.Actor, it catalog.Item) (catalog.Item, error) {
	it.FoldPhones()
	if err := it.CheckDraft(); err != nil {
		return it, err
	}
	dept, err := s.department(ctx, actor, it.Department)
	if err != nil {
		return it, err
	}
	if err := actor.Check(access.CatalogEdit, dept.Path); err != nil {
		return it, err
	}
	it.Missing = catalog.Gaps(it)
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreateItem(actor, dept.ID, &it, catalog.Draft) })
	return it, err
}

// SaveItem stores an edit under optimistic locking; editing a published item makes a new draft version.
func (s *Service) SaveItem(ctx context.Context, actor access.Actor, it catalog.Item, rowVersion int) (catalog.Item, error) {
	row, err := s.DB.Item(ctx, it.ID)
	if err != nil {
		return it, err
	}
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	if err != nil {
		return it, err
	}
	if err := actor.Check(access.CatalogEdit, dept.Path); err != nil {
		return it, err
	}
	it.FoldPhones()
	if err := it.CheckDraft(); err != nil {
		return it, err
	}
	if err := s.checkJointNames(ctx, it, dept); err != nil {
		return it, err
	}
	it.Department = dept.NameZh
	it.Missing = catalog.Gaps(it)
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveItem(actor, &it, rowVersion) })
	return it, err
}

// Items lists the latest version of the items the actor keeps: those of the departments in their subtree.
func (s *Service) Items(ctx context.Context, actor access.Actor) ([]catalog.Item, error) {
	if !actor.System && !actor.Role.Has(access.CatalogEdit) {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
	}
	root := actor.OrgPath
	if actor.System {
		root = "/"
	}
	return s.DB.ItemsIn(ctx, root)
}

// ItemForEdit reads the latest version of an item the actor keeps, with its row version and all versions.
func (s *Service) ItemForEdit(ctx context.Context, actor access.Actor, id string) (catalog.Item, store.ItemRow, []catalog.Item, error) {
	row, err := s.DB.Item(ctx, id)
	if err != nil {
		return catalog.Item{}, row, nil, err
	}
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	if err != nil {
		return catalog.Item{}, row, nil, err
	}
	if err := actor.Check(access.CatalogEdit, dept.Path); err != nil {
		return catalog.Item{}, row, nil, err
	}
	it, err := s.DB.ItemVersion(ctx, id, row.Latest)
	if err != nil {
		return it, row, nil, err
	}
	versions, err := s.DB.ItemVersions(ctx, id)
	return it, row, versions, err
}

// SetItemStatus moves a version through draft, review, published and retired. Publishing needs the
// publish permission and an item without gaps that passes every consistency rule.
func (s *Service) SetItemStatus(ctx context.Context, actor access.Actor, id string, version int, to catalog.Status) error {
	row, err := s.DB.Item(ctx, id)
	if err != nil {
		return err
	}
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	if err != nil {
		return err
	}
	need := access.CatalogEdit
	if to == catalog.Published || to == catalog.Retired {
		need = access.CatalogPublish
	}
	if err := actor.Check(need, dept.Path); err != nil {
		return err
	}
	if to == catalog.Published { // an item imported or synced, never saved through the editor, is checked here
		it, err := s.DB.ItemVersion(ctx, id, version)
		if err != nil {
			return err
		}
		if err := s.checkJointNames(ctx, it, dept); err != nil {
			return err
		}
	}
	defer s.catalogChanged()
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetItemStatus(actor, id, version, to, tx.Now()) })
}

// SearchResult is an item found by a search, with its score.
type SearchResult = catalog.Result

// searchIndex is the in-memory index and the catalog generation it was built from.
type searchIndex struct {
	ix      *catalog.Index
	gen     int64
	checked time.Time
}

// indexRecheck is how long an instance trusts its index before asking the database whether the published
// catalog changed (another instance may have published).
const indexRecheck = time.Second

// searchIndex returns the search index. It asks the database at most once a second whether the published
// catalog changed; when it did, the index is rebuilt in the background while searches keep using the old
// one (a rebuild of 5,000 items takes about two seconds). Only the very first search waits for a build.
func (s *Service) searchIndex(ctx context.Context) (*catalog.Index, error) {
	cur := s.index.Load()
	if cur != nil && time.Since(cur.checked) < indexRecheck {
		return cur.ix, nil
	}
	if cur == nil || cur.ix.Len() == 0 {
		// Nothing to serve meanwhile: build now.
		s.indexMu.Lock()
		defer s.indexMu.Unlock()
		if now := s.index.Load(); now != cur && now != nil {
			return now.ix, nil
		}
		next, err := s.buildIndex(ctx)
		if err != nil {
			return nil, err
		}
		return next.ix, nil
	}
	gen, err := s.DB.CatalogGeneration(ctx)
	if err != nil {
		return nil, err
	}
	if gen == cur.gen {
		s.index.CompareAndSwap(cur, &searchIndex{ix: cur.ix, gen: gen, checked: time.Now()})
		return cur.ix, nil
	}
	// Until the rebuild is done, searches use the old index without asking the database again.
	s.index.CompareAndSwap(cur, &searchIndex{ix: cur.ix, gen: cur.gen, checked: time.Now()})
	if s.rebuilding.CompareAndSwap(false, true) {
		go func() {
			defer s.rebuilding.Store(false)
			bg, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			s.indexMu.Lock()
			defer s.indexMu.Unlock()
			if _, err := s.buildIndex(bg); err != nil {
				s.catalogChanged() // try again on a later search
			}
		}()
	}
	return cur.ix, nil
}

// buildIndex indexes the published catalog and installs the index. The generation is read first, so that a
// change during the build is noticed on a later search.
func (s *Service) buildIndex(ctx context.Context) (*searchIndex, error) {
	gen, err := s.DB.CatalogGeneration(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.DB.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	next := &searchIndex{ix: catalog.NewIndex(items), gen: gen, checked: time.Now()}
	s.index.Store(next)
	return next, nil
}

// RebuildSearchIndex builds the index now and waits: for start-up and for tests that change the catalog
// and search at once.
func (s *Service) RebuildSearchIndex(ctx context.Context) error {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	_, err := s.buildIndex(ctx)
	return err
}

// catalogChanged makes this instance look at the generation on its next search.
func (s *Service) catalogChanged() {
	for {
		cur := s.index.Load()
		if cur == nil || s.index.CompareAndSwap(cur, &searchIndex{ix: cur.ix, gen: cur.gen}) {
			return
		}
	}
}

// Search finds published items for what a resident typed, best first (see catalog.Index.Search).
func (s *Service) Search(ctx context.Context, q string, limit int) ([]SearchResult, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if len([]rune(q)) > 50 {
		return nil, errs.Field("q", "err.too_long").With("max", "50")
	}
	ix, err := s.searchIndex(ctx)
	if err != nil {
		return nil, err
	}
	return ix.Search(q, limit), nil
}

// ItemChoices are the published items as cards, in the catalog's order, for a form's or a filter's list of
// items: read from the search index, which is rebuilt when the catalog changes, instead of decoding every
// published item on each page of the desk.
func (s *Service) ItemChoices(ctx context.Context) ([]catalog.Item, error) {
	ix, err := s.searchIndex(ctx)
	if err != nil {
		return nil, err
	}
	cards := ix.Cards()
	out := make([]catalog.Item, len(cards))
	for i, c := range cards {
		out[i] = c.Item()
	}
	return out, nil
}

// ImportReport lists what an import did: how many items it published, left as drafts and refused, and why
// for each draft and refused one.
type ImportReport struct {
	Created   int `json:"created"`
	Unchanged int `json:"unchanged"` // items the catalog has already, with the same content
	Updated   int `json:"updated"`   // items the catalog has, saved with the file's content as their next draft version
	Published int `json:"published"`
	Drafts    int `json:"drafts"`
	Refused   int `json:"refused"`
	// Items has one outcome per item of the file, in its order.
	Items []ImportOutcome `json:"items"`
	// Gaps lists, per imported item, the elements its source lacked.
	Gaps map[string][]string `json:"gaps,omitempty"`
	// Proposals counts the file's delegation records stored as proposals for their departments to confirm.
	Proposals int `json:"proposals"`
	// Already lists the file's delegation records that proposed nothing, the same delegation already waiting
	// or made (a file imported again): not errors.
	Already []ImportAlready `json:"already,omitempty"`
}

// ImportOutcome is what became of one item of an imported file.
type ImportOutcome struct {
	Name   string         `json:"name"`
	ID     string         `json:"id,omitempty"`     // the item made; empty when refused or when the import failed
	Status catalog.Status `json:"status,omitempty"` // draft or published; empty when refused
	// Reasons say why a refused item was refused, or what a draft lacks or must settle before it is published.
	Reasons []*errs.Error `json:"-"`
}

// ImportOptions say how to import.
type ImportOptions struct {
	// Publish publishes at once each item that passes every rule and has no gaps.
	Publish bool
	// PerItem refuses only the items that are themselves invalid (a missing name, a value outside its code
	// set), importing the others; an item whose source contradicts itself (catalog.Conflicts) becomes a draft
	// with the contradiction among its reasons. For published guides, where one bad guide must not cost the
	// others. Without it the import is all or nothing.
	PerItem bool
	// AfterBatch, when set, is called after each staged batch is written (batch counts from 1 to of), before
	// the import goes live: for progress, and for tests that act between batches. An error abandons the import.
	AfterBatch func(batch, of int) error
	// Delegations are the file's delegation records (catalogfile.ReadDelegations): each is matched against
	// the catalog and the file's items and stored as a proposal of its department (delegation_import.go), with
	// the items, or the whole file is refused. Source names the file in the proposals.
	Delegations []delegation.Record
	Source      string
}

// ImportItems adds items all or nothing (written in short batches that go live together): each item's errors
// are reported under "items[i].field"; with publish, items without gaps that pass every rule are published at
// once.
func (s *Service) ImportItems(ctx context.Context, actor access.Actor, items []catalog.Item, publish bool) (ImportReport, error) {
	return s.ImportItemsWith(ctx, actor, items, ImportOptions{Publish: publish})
}

// ImportItemsWith adds items as the options say. Whatever the options, the import's items go live together
// or not at all: a failure, or the context's end, part way leaves none of them seen.
func (s *Service) ImportItemsWith(ctx context.Context, actor access.Actor, items []catalog.Item, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Gaps: map[string][]string{}, Items: make([]ImportOutcome, len(items))}
	if !actor.System && !actor.Role.Has(access.CatalogEdit) {
		return rep, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
	}
	var l errs.List
	depts := make([]org.Org, len(items))
	refused := make([]bool, len(items))
	inFile := map[string]int{}
	for i := range items {
		items[i].FoldPhones()
		it := items[i]
		rep.Items[i].Name = it.NameZh
		prefix := "items[" + strconv.Itoa(i) + "]."
		var own []*errs.Error // what makes this item invalid in itself
		for _, e := range errs.All(it.CheckDraft()) {
			if opt.PerItem && catalog.Conflicts[e.Key] {
				continue // a contradiction of the source: the draft carries it (below)
			}
			own = append(own, e)
		}
		d, err := s.department(ctx, actor, it.Department)
		if err != nil {
			own = append(own, errs.Field("department", "err.not_found").With("what", "org"))
		} else if !actor.Can(access.CatalogEdit, d.Path) || (opt.Publish && !actor.Can(access.CatalogPublish, d.Path)) {
			return rep, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
		}
		depts[i] = d
		if opt.PerItem && d.ID != "" && it.NameZh != "" {
			// one item once in a file: a second row of the same department, name and village is refused
			if first, dup := inFile[importKey(d.ID, it)]; dup {
				own = append(own, errs.Field("name_zh", "err.import.duplicate").With("other", items[first].NameZh))
			} else {
				inFile[importKey(d.ID, it)] = i
			}
		}
		if len(own) == 0 {
			continue
		}
		if opt.PerItem {
			refused[i], rep.Items[i].Reasons = true, own
			rep.Refused++
			continue
		}
		for _, e := range own {
			c := *e
			c.Field = prefix + e.Field
			l.Add(&c)
		}
	}
	drafts, already, bad := s.matchDelegations(ctx, actor, opt.Delegations, opt.Source, items, depts, refused)
	for _, e := range bad {
		if e.Code == errs.Internal {
			return rep, e
		}
		l.Add(e)
	}
	if err := l.Err(); err != nil {
		return rep, err
	}
	// Everything is prepared before the writer is asked for anything: ids, gaps, what stands between each
	// item and publishing, its document and topics. Then the items are written staged, ImportBatch at a time,
	// so that case intake goes on between the batches, and go live together in one short last transaction.
	// A published guide the catalog has already (the same department and 实施编码, or name and village: a
	// file imported again, a guide published anew) is not made a second time: the same content is reported
	// unchanged, other content is saved as that item's next draft version, to be reviewed and published as
	// any edit is. (A Bianmin catalog file makes its items as it always did: its own round trip, with the
	// delegations it carries, is another matter.)
	have := map[string]store.HeldItem{}
	if opt.PerItem {
		var err error
		if have, err = s.itemsOf(ctx, depts, refused); err != nil {
			return rep, err
		}
	}
	var updates []store.HeldItem
	updated := map[int]int{} // items[i] is updates[updated[i]]
	staged := make([]store.StagedItem, 0, len(items))
	at := make([]int, 0, len(items)) // staged[k] is items[at[k]]
	for i := range items {
		if refused[i] {
			continue
		}
		it := items[i]
		if old, ok := have[importKey(depts[i].ID, it)]; ok {
			// what the file gives over what the catalog holds: a field the file leaves empty keeps its value
			// (a translator's Mongolian, a result sample, a case kind a guide never states)
			it = mergeImported(old.Item, it)
			it.Missing = catalog.Gaps(it)
			rep.Items[i].ID, rep.Items[i].Reasons = old.Item.ID, errs.All(it.CheckPublish())
			switch {
			case sameItem(old.Item, it):
				rep.Items[i].Status = old.Item.Status
				rep.Unchanged++
			case old.Item.Status == catalog.Review:
				// a version under review is the reviewer's to decide, not a file's to change
				rep.Items[i].Status, rep.Items[i].Reasons = old.Item.Status, []*errs.Error{errs.Field("status", "err.import.in_review")}
				rep.Unchanged++
			default:
				it.Department = depts[i].NameZh
				updated[i] = len(updates)
				updates = append(updates, store.HeldItem{Item: it, RowVersion: old.RowVersion})
			}
			continue
		}
		it.Missing = catalog.Gaps(it)
		// Whatever stands between the item and publishing: its gaps, its contradictions, the online promise.
		why := errs.All(it.CheckPublish())
		staged = append(staged, store.PrepareItem(it, depts[i].ID, opt.Publish && len(why) == 0))
		at = append(at, i)
		rep.Items[i].Reasons = why
	}
	stagedAt := make(map[int]int, len(at)) // items[i] is staged[stagedAt[i]]
	for k, i := range at {
		stagedAt[i] = k
	}
	proposals := make([]delegation.Proposal, len(drafts))
	for k, d := range drafts {
		proposals[k] = d.p
		if d.fileItem >= 0 {
			if sk, ok := stagedAt[d.fileItem]; ok {
				proposals[k].ItemID = staged[sk].Item.ID
			} else {
				proposals[k].ItemID = rep.Items[d.fileItem].ID // an item the catalog had already
			}
		}
	}
	var live func(tx *store.Tx) error
	if len(proposals) > 0 || len(updates) > 0 {
		live = func(tx *store.Tx) error {
			for k := range updates { // with the new items, or not at all
				if err := tx.SaveItem(actor, &updates[k].Item, updates[k].RowVersion); err != nil {
					return err
				}
			}
			if len(proposals) == 0 {
				return nil
			}
			return tx.CreateProposals(actor, proposals)
		}
	}
	if err := s.writeImport(ctx, actor, staged, opt.AfterBatch, live); err != nil {
		for i := range rep.Items {
			rep.Items[i].ID, rep.Items[i].Status = "", ""
		}
		return rep, err
	}
	for k, st := range staged {
		i := at[k]
		rep.Created++
		rep.Items[i].ID = st.Item.ID
		if len(st.Item.Missing) > 0 {
			rep.Gaps[st.Item.NameZh] = st.Item.Missing
		}
		if st.Publish {
			rep.Items[i].Status = catalog.Published
			rep.Published++
		} else {
			rep.Items[i].Status = catalog.Draft
			rep.Drafts++
		}
	}
	for i, k := range updated {
		rep.Items[i].Status = updates[k].Item.Status
		rep.Updated++
	}
	rep.Proposals, rep.Already = len(proposals), already
	return rep, nil
}

// importKey is what makes an imported item the same as one the catalog has: its department and its 实施编码
// where it has one, else its name and village (a village's own item of the same name is another item).
func importKey(departmentID string, it catalog.Item) string {
	if c := strings.TrimSpace(it.ImplCode); c != "" {
		return departmentID + "\x00code\x00" + c
	}
	return departmentID + "\x00" + strings.TrimSpace(it.NameZh) + "\x00" + it.Village
}

// itemsOf reads the latest version of the items of the departments an import writes to, by importKey.
func (s *Service) itemsOf(ctx context.Context, depts []org.Org, refused []bool) (map[string]store.HeldItem, error) {
	out := map[string]store.HeldItem{}
	seen := map[string]bool{}
	for i, d := range depts {
		if refused[i] || d.ID == "" || seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		list, err := s.DB.ItemsOfDepartment(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		// a guide states no 实施编码 staff may have added since: it finds its item by name too, where that is
		// the department's only item of the name and village
		nameKey := func(it catalog.Item) string { it.ImplCode = ""; return importKey(d.ID, it) }
		named := map[string]int{}
		for _, h := range list {
			out[importKey(d.ID, h.Item)] = h
			named[nameKey(h.Item)]++
		}
		for _, h := range list {
			if k := nameKey(h.Item); h.Item.ImplCode != "" && named[k] == 1 {
				out[k] = h
			}
		}
	}
	return out, nil
}

// mergeImported lays what a file gives of an item over the item the catalog holds: each element the file
// states replaces the catalog's (a list, such as the materials, whole), and an element it leaves empty, or a
// number of visits it does not know (-1), keeps the catalog's.
func mergeImported(held, in catalog.Item) catalog.Item {
	var h, f map[string]json.RawMessage
	hb, _ := json.Marshal(held)
	fb, _ := json.Marshal(in)
	if json.Unmarshal(hb, &h) != nil || json.Unmarshal(fb, &f) != nil {
		return in
	}
	for k, v := range f {
		switch string(v) {
		case `""`, "null", "0", "false", "[]", "{}":
			continue
		case "-1":
			if k == "visits" {
				continue
			}
		}
		h[k] = v
	}
	b, _ := json.Marshal(h)
	var out catalog.Item
	if json.Unmarshal(b, &out) != nil {
		return in
	}
	out.ID, out.Version, out.Status = held.ID, held.Version, held.Status
	return out
}

// sameItem tells whether an import says nothing new of an item: the same content, whatever its id,
// version, status, department's spelling and computed gaps.
func sameItem(held, in catalog.Item) bool {
	norm := func(it catalog.Item) string {
		it.ID, it.Version, it.Status, it.EffectiveFrom, it.Missing, it.Department = "", 0, "", time.Time{}, nil, ""
		b, _ := json.Marshal(it)
		return string(b)
	}
	return norm(held) == norm(in)
}

// staleStaged is how old staged rows must be before an import takes them for the leftovers of an import
// that never finished (the process was killed between batches): far longer than any import runs.
const staleStaged = 6 * time.Hour

// writeImport writes prepared items staged, in batches, and makes them live together; on any failure, the
// context's end included, it removes what it staged, so that nothing of the import is seen. live, when set,
// writes what goes live with the items in their last transaction (the file's delegation proposals).
func (s *Service) writeImport(ctx context.Context, actor access.Actor, staged []store.StagedItem, after func(batch, of int) error, live func(tx *store.Tx) error) error {
	if len(staged) == 0 {
		if live == nil {
			return nil
		}
		return s.DB.Write(ctx, live)
	}
	if _, err := s.DB.DropStaleStaged(ctx, s.DB.Now().Add(-staleStaged)); err != nil {
		return err
	}
	importID := ids.New()
	of := (len(staged) + store.ImportBatch - 1) / store.ImportBatch
	// staged[:done] is written; staged[:tried] may be (a batch whose commit failed with the connection may
	// still have committed).
	done, tried := 0, 0
	err := func() error {
		for b := range of {
			batch := staged[done:min(done+store.ImportBatch, len(staged))]
			tried = done + len(batch)
			if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.StageItems(actor, batch) }); err != nil {
				return err
			}
			done += len(batch)
			if after != nil {
				if err := after(b+1, of); err != nil {
					return err
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		defer s.catalogChanged()
		return s.DB.Write(ctx, func(tx *store.Tx) error {
			if err := tx.GoLive(actor, importID, staged); err != nil || live == nil {
				return err
			}
			return live(tx)
		})
	}()
	if err != nil && tried > 0 {
		if derr := s.DB.DropStaged(ctx, actor, importID, staged[:tried], err); derr != nil {
			return errors.Join(err, derr)
		}
	}
	return err
}

// SetImplementation records where an item is implemented and its local details. The organisation's own
// editors (a township director for its hall) or the catalog's may do it.
func (s *Service) SetImplementation(ctx context.Context, actor access.Actor, im store.Implementation) error {
	o, err := s.DB.Org(ctx, im.OrgID)
	if err != nil {
		return errs.Field("org", "err.not_found").With("what", "org")
	}
	if !actor.Can(access.OrgEdit, o.Path) && !actor.Can(access.CatalogPublish, o.Path) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.OrgEdit))
	}
	if _, err := s.DB.Item(ctx, im.ItemID); err != nil {
		return err
	}
	var l errs.List
	for field, v := range map[string]string{"window": im.Window, "place": im.Place, "hours": im.Hours} {
		if len([]rune(v)) > 200 {
			l.Add(errs.Field(field, "err.too_long").With("max", "200"))
		}
	}
	for field, v := range map[string]string{"consult_phone": im.ConsultPhone, "complaint_phone": im.ComplaintPhone} {
		if v != "" && len(v) > 30 {
			l.Add(errs.Field(field, "err.too_long").With("max", "30"))
		}
	}
	if im.ConsultPhone != "" && im.ConsultPhone == im.ComplaintPhone {
		l.Add(errs.Field("complaint_phone", "err.item.same_phones"))
	}
	if err := l.Err(); err != nil {
		return err
	}
	// The delegation record is not the township's to change: keep what is stored.
	cur, err := s.DB.Implementations(ctx, im.ItemID)
	if err != nil {
		return err
	}
	for _, c := range cur {
		if c.OrgID == im.OrgID {
			im.DelegatedFrom, im.DelegatedAt, im.Basis = c.DelegatedFrom, c.DelegatedAt, c.Basis
		}
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetImplementation(actor, im) })
}

// PublicItem reads a version of an item that the public may see: the published one (version 0), or an
// earlier published one; drafts and versions in review are not found.
func (s *Service) PublicItem(ctx context.Context, id string, version int) (catalog.Item, error) {
	none := errs.New(errs.NotFound, "err.not_found").With("what", "item")
	row, err := s.DB.Item(ctx, id)
	if err != nil {
		return catalog.Item{}, err
	}
	if version <= 0 {
		version = row.Published
	}
	if version == 0 {
		return catalog.Item{}, none
	}
	it, err := s.DB.ItemVersion(ctx, id, version)
	if err != nil {
		return it, err
	}
	if !it.Status.Public() {
		return catalog.Item{}, none
	}
	return it, nil
}

// Guide is an item's guide as read at one organisation: its local details applied, and where the power came
// from when a department delegated it.
type Guide struct {
	Item           catalog.Item
	At             *org.Org
	Implementation *store.Implementation
	DelegatedFrom  *org.Org
}

// GuideAt reads an item's guide at an organisation ("" for the banner's defaults).
func (s *Service) GuideAt(ctx context.Context, it catalog.Item, orgID string) (Guide, error) {
	g := Guide{Item: it}
	if orgID == "" {
		return g, nil
	}
	ims, err := s.DB.Implementations(ctx, it.ID)
	if err != nil {
		return g, err
	}
	for i := range ims {
		if ims[i].OrgID != orgID {
			continue
		}
		g.Implementation = &ims[i]
		g.Item = Localize(it, ims[i])
		if o, err := s.DB.Org(ctx, orgID); err == nil {
			g.At = &o
		}
		if ims[i].DelegatedFrom != "" {
			if o, err := s.DB.Org(ctx, ims[i].DelegatedFrom); err == nil {
				g.DelegatedFrom = &o
			}
		}
	}
	return g, nil
}

// LocalItem is an item as implemented at one organisation.
type LocalItem struct {
	Item           catalog.Item
	Implementation store.Implementation
}

// ImplementationsAt lists the published items implemented at an organisation the actor may see, with their
// local details.
func (s *Service) ImplementationsAt(ctx context.Context, actor access.Actor, orgID string) ([]LocalItem, error) {
	o, err := s.DB.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := actor.Check(access.OrgRead, o.Path); err != nil {
		return nil, err
	}
	ims, err := s.DB.ImplementationsAt(ctx, orgID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ims))
	byItem := map[string]store.Implementation{}
	for i, im := range ims {
		ids[i], byItem[im.ItemID] = im.ItemID, im
	}
	items, err := s.DB.PublishedItems(ctx, store.ItemFilter{IDs: ids})
	out := make([]LocalItem, len(items))
	for i, it := range items {
		out[i] = LocalItem{Item: it, Implementation: byItem[it.ID]}
	}
	return out, err
}

// Localize applies an implementation's local details to an item: a township's window, place, hours and
// phones override the banner's defaults.
func Localize(it catalog.Item, im store.Implementation) catalog.Item {
	if im.Window != "" && im.Place == "" {
		it.Place = im.Window
	}
	for dst, src := range map[*string]string{&it.Place: im.Place, &it.Hours: im.Hours, &it.ConsultPhone: im.ConsultPhone, &it.ComplaintPhone: im.ComplaintPhone} {
		if src != "" {
			*dst = src
		}
	}
	return it
}

// CreateBundle stores a bundle whose items exist.
func (s *Service) CreateBundle(ctx context.Context, actor access.Actor, b catalog.Bundle) (catalog.Bundle, error) {
	if err := b.Check(); err != nil {
		return b, err
	}
	dept, err := s.department(ctx, actor, b.Lead)
	if err != nil {
		return b, errs.Field("lead", "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.CatalogPublish, dept.Path); err != nil {
		return b, err
	}
	for i, id := range b.ItemIDs {
		if _, err := s.DB.Item(ctx, id); err != nil {
			return b, errs.Field("item_ids["+strconv.Itoa(i)+"]", "err.not_found").With("what", "item")
		}
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveBundle(actor, &b) })
	return b, err
}
