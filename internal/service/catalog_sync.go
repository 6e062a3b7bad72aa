package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/upstream"
)

// The catalog comes down from the upper platform (issue 15 point 3; 三.(五): township and village items are
// fixed on the platform): its 实施清单 becomes drafts of new versions, each with its differences from the local
// version, for the department to review and publish (the catalog's own publishing: catalog.publish).

// SyncEntry is what became of one item of the platform's file.
type SyncEntry struct {
	TaskCode string                 `json:"task_code"`
	Name     string                 `json:"name"`
	ItemID   string                 `json:"item_id,omitempty"`
	Outcome  string                 `json:"outcome"`           // new, changed, unchanged, refused
	Version  int                    `json:"version,omitempty"` // the draft to review
	Changes  []catalog.Change       `json:"changes,omitempty"` // local version → the platform's
	Problems []upstream.CodeProblem `json:"problems,omitempty"`
	Errors   []*errs.Error          `json:"errors,omitempty"` // why the item could not be a draft
}

// SyncReport is a sync's outcome, item by item.
type SyncReport struct {
	Entries                          []SyncEntry `json:"entries"`
	New, Changed, Unchanged, Refused int
}

// SyncCatalog takes the upper platform's 实施清单: each item is matched with the local item of the same
// 实施编码, else of the same name in the actor's departments; what differs becomes a draft (a new version of
// a published item), and a new item a draft of the department (department, or the file's 实施主体). Items are
// taken one by one (Bianmin's choice, as for published guides: one bad row does not cost the others);
// nothing is published. Codes are checked against their layout (upstream.CheckCodes).
func (s *Service) SyncCatalog(ctx context.Context, actor access.Actor, f upstream.TaskFile, department string) (SyncReport, error) {
	var rep SyncReport
	if !actor.System && !actor.Role.Has(access.CatalogEdit) {
		return rep, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit))
	}
	local, err := s.Items(ctx, actor)
	if err != nil {
		return rep, err
	}
	byCode, byName := map[string]catalog.Item{}, map[string]catalog.Item{}
	for _, it := range local {
		if it.ImplCode != "" {
			byCode[it.ImplCode] = it
		}
		byName[it.NameZh] = it
	}
	for _, t := range f.Tasks() {
		e := SyncEntry{TaskCode: t.Basic.TaskCode, Name: t.Basic.TaskName, Problems: upstream.CheckCodes(t.Basic)}
		if upstream.Blocking(e.Problems) {
			e.Outcome = "refused"
			rep.Refused++
			rep.Entries = append(rep.Entries, e)
			continue
		}
		cur, ok := byCode[t.Basic.TaskCode]
		if !ok {
			cur, ok = byName[t.Basic.TaskName]
		}
		if ok {
			next := upstream.Overlay(cur, t)
			e.ItemID, e.Changes = cur.ID, catalog.Diff(cur, next)
			if len(e.Changes) == 0 {
				e.Outcome, e.Version = "unchanged", cur.Version
				rep.Unchanged++
				rep.Entries = append(rep.Entries, e)
				continue
			}
			row, err := s.DB.Item(ctx, cur.ID)
			if err == nil {
				next, err = s.SaveItem(ctx, actor, next, row.RowVersion)
			}
			if err := rep.add(e, next, err, "changed", &rep.Changed); err != nil {
				return rep, err
			}
			continue
		}
		dept := department
		if dept == "" {
			dept = t.Basic.DeptName
		}
		it := upstream.Overlay(catalog.Item{Department: dept, ExtensionUnit: catalog.WorkingDays}, t)
		e.Changes = catalog.Diff(catalog.Item{Department: dept, ExtensionUnit: catalog.WorkingDays}, it)
		created, err := s.CreateItem(ctx, actor, it)
		if err := rep.add(e, created, err, "new", &rep.New); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// add records what became of an item written as a draft: the outcome and its count, or a refusal with its
// reasons; a fault (not the item's) ends the sync.
func (rep *SyncReport) add(e SyncEntry, saved catalog.Item, err error, outcome string, count *int) error {
	switch {
	case errs.CodeOf(err) == errs.Internal:
		return err
	case err != nil:
		e.Outcome, e.Errors = "refused", errs.All(err)
		rep.Refused++
	default:
		e.Outcome, e.ItemID, e.Version = outcome, saved.ID, saved.Version
		*count++
	}
	rep.Entries = append(rep.Entries, e)
	return nil
}
