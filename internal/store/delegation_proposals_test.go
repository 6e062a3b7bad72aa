package store_test

import (
	"fmt"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Proposals of delegations (issue 14, migration 069): stored with the import, listed by department subtree,
// state and text a page at a time by key, and decided once: of two saves from the same version, the second
// is a conflict and changes nothing.
func TestDelegationProposals(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		var depts [2]org.Org
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i, name := range []string{"自然资源局", "民政局"} {
				depts[i] = org.Org{ParentID: o["banner"].ID, Kind: org.Department, Code: fmt.Sprintf("15042190%d", i), NameZh: name}
				if err := tx.CreateOrg(access.System, &depts[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var ps []delegation.Proposal
		for i := range 30 {
			d := depts[i%3/2] // 20 of the first department, 10 of the second
			ps = append(ps, delegation.Proposal{DeptID: d.ID, DeptPath: d.Path, DeptName: d.NameZh, ItemID: fmt.Sprintf("item%d", i),
				ItemName: fmt.Sprintf("乡村建设规划许可证核发%02d", i), Scope: delegation.WholeItem, DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01",
				Townships: []delegation.ProposalTown{{OrgID: o["t1"].ID, Name: "天山镇"}}, Source: fmt.Sprintf("catalog.json delegations[%d]", i)})
		}
		importer := access.Actor{ID: "admin", Name: "管理员", Role: access.Admin, OrgID: o["banner"].ID, OrgPath: o["banner"].Path}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.CreateProposals(importer, ps) }); err != nil {
			t.Fatal(err)
		}
		// a department's list, a page at a time, newest first
		var seen []string
		after := ""
		for {
			page, err := db.Proposals(ctx, store.ProposalQuery{Dept: depts[0].Path, After: after, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page {
				if p.DeptID != depts[0].ID || p.State != delegation.Proposed || p.Version != 1 || p.CreatedBy != "admin" {
					t.Fatalf("another department's or a malformed proposal: %+v", p)
				}
				if len(seen) > 0 && p.ID >= seen[len(seen)-1] {
					t.Fatalf("not newest first: %s after %s", p.ID, seen[len(seen)-1])
				}
				seen = append(seen, p.ID)
			}
			if len(page) < 7 {
				break
			}
			after = page[len(page)-1].ID
		}
		if len(seen) != 20 {
			t.Fatalf("the first department has %d proposals, want 20", len(seen))
		}
		if got, _ := db.Proposals(ctx, store.ProposalQuery{Dept: o["t1"].Path}); len(got) != 0 {
			t.Errorf("a township's subtree lists %d proposals", len(got))
		}
		if got, _ := db.Proposals(ctx, store.ProposalQuery{}); got != nil {
			t.Errorf("no scope lists %d proposals", len(got))
		}
		// search: by item name (a 2-character query too), with LIKE's wildcards taken literally
		for q, want := range map[string]int{"许可证核发07": 1, "规划": 30, "天山": 30, "民政": 10, "delegations[1": 11, "delegations[1]": 1, "%": 0, "_": 0} {
			got, err := db.Proposals(ctx, store.ProposalQuery{All: true, Text: q})
			if err != nil || len(got) != want {
				t.Errorf("search %q: %d proposals, want %d (%v)", q, len(got), want, err)
			}
		}
		// decided once: the second save from the same version is a conflict
		p, err := db.Proposal(ctx, seen[0])
		if err != nil {
			t.Fatal(err)
		}
		head := access.Actor{ID: "ziran", Name: "自然资源局审核员", Role: access.Department, OrgID: depts[0].ID, OrgPath: depts[0].Path}
		for i, want := range []errs.Code{"", errs.Conflict} {
			after := p
			if err := after.Confirm(fmt.Sprintf("deleg%d", i), head.ID, head.Name, db.Now()); err != nil {
				t.Fatal(err)
			}
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.SaveProposal(head, p, after, "delegation.proposal.confirm")
				return err
			})
			if errs.CodeOf(err) != want {
				t.Errorf("save %d: %v, want %q", i, err, want)
			}
		}
		got, err := db.Proposal(ctx, p.ID)
		if err != nil || got.State != delegation.Confirmed || got.DelegationID != "deleg0" || got.Version != 2 {
			t.Errorf("after two saves: %+v %v", got, err)
		}
		if list, _ := db.Proposals(ctx, store.ProposalQuery{Dept: depts[0].Path, State: delegation.Proposed}); len(list) != 19 {
			t.Errorf("%d proposed after one confirmed, want 19", len(list))
		}
		if _, err := db.Proposal(ctx, "nope"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an unknown proposal: %v", err)
		}
	})
}
