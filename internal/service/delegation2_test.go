package service_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The delegations' and the rounds' lists are searched and read a page at a time by key (issue 14, second
// round), on both databases: a page of 25 and the rest, no row twice, a search by township and by area, a
// cursor that is no cursor refused by its field; and the files (delegationFiles), in the same world.
func TestDelegationListsAndFiles(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		start := nextWorkingDay(t, w)
		d := delegateLicence(t, w, start, "T1", "T2")
		ziran := w.actors["ziran"]
		for i := range 27 {
			// two rounds a day, so that the key's second part (the id) decides within a day
			if _, err := w.svc.PlanRound(ctx, ziran, service.RoundInput{TownshipID: w.targets["T1"].ID, Area: fmt.Sprintf("片区%02d", i), Planned: start.AddDays(i / 2).String()}, ""); err != nil {
				t.Fatal(err)
			}
		}
		first, err := w.svc.Rounds(ctx, ziran, "", "")
		if err != nil || len(first.List) != 25 || first.Next == "" {
			t.Fatalf("the first page: %d %q %v", len(first.List), first.Next, err)
		}
		second, err := w.svc.Rounds(ctx, ziran, "", first.Next)
		if err != nil || len(second.List) != 2 || second.Next != "" {
			t.Fatalf("the second page: %d %q %v", len(second.List), second.Next, err)
		}
		seen := map[string]bool{}
		for _, r := range append(first.List, second.List...) {
			if seen[r.ID] {
				t.Errorf("round %s twice", r.Area)
			}
			seen[r.ID] = true
		}
		if len(seen) != 27 {
			t.Errorf("%d rounds over the pages", len(seen))
		}
		if found, err := w.svc.Rounds(ctx, ziran, "片区07", ""); err != nil || len(found.List) != 1 || found.List[0].Area != "片区07" {
			t.Errorf("search by area: %+v %v", found.List, err)
		}
		if found, err := w.svc.Rounds(ctx, w.actors["tianshan.director"], "天山", ""); err != nil || len(found.List) != 25 {
			t.Errorf("the township's rounds searched by its name: %d %v", len(found.List), err)
		}
		if none, err := w.svc.Rounds(ctx, w.actors["shaogen.director"], "", ""); err != nil || len(none.List) != 0 {
			t.Errorf("another township's rounds: %d %v", len(none.List), err)
		}
		if _, err := w.svc.Rounds(ctx, ziran, "", "x"); len(errs.All(err)) != 1 || errs.All(err)[0].Field != "cursor" {
			t.Errorf("a cursor that is no cursor: %v", err)
		}
		if _, err := w.svc.Rounds(ctx, ziran, "100%_", ""); err != nil {
			t.Errorf("a search with LIKE's wildcards: %v", err)
		}
		for _, c := range []struct {
			q    string
			want int
		}{{"绍根", 1}, {"阿政发", 1}, {"乡村建设", 1}, {"民政", 0}, {"%", 0}} {
			if p, err := w.svc.Delegations(ctx, ziran, c.q, ""); err != nil || len(p.List) != c.want {
				t.Errorf("delegations searched for %q: %d %v", c.q, len(p.List), err)
			}
		}
		if p, err := w.svc.Delegations(ctx, w.actors["shaogen.clerk"], "", ""); err != nil || len(p.List) != 1 || p.Next != "" {
			t.Errorf("the township's delegations: %+v %v", p, err)
		}
		delegationFiles(t, w, d)
	})
}

// delegationFiles checks the files of delegated powers: the delegation's document by its department, an
// attachment of a request by either side, each checked by internal/files, read back by its hash, refused to
// another department, and no attachment once the request is resolved.
func delegationFiles(t *testing.T, w *world, d delegation.Delegation) {
	t.Helper()
	const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	ziran, reviewer := w.actors["ziran"], w.actors["tianshan.reviewer"]
	if _, err := w.svc.AttachDelegationDoc(ctx, w.actors["minzheng"], d.ID, "x.pdf", []byte(pdf)); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another department hands in the document: %v", err)
	}
	if _, err := w.svc.AttachDelegationDoc(ctx, ziran, d.ID, "x.pdf", []byte("MZ program")); len(errs.All(err)) != 1 || errs.All(err)[0].Field != "deleg2_doc_file" {
		t.Errorf("an executable as the document: %v", err)
	}
	f, err := w.svc.AttachDelegationDoc(ctx, ziran, d.ID, "阿政发〔2020〕52号.pdf", []byte(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if got, body, err := w.svc.DelegationDoc(ctx, w.actors["tianshan.director"], d.ID, f.ID); err != nil || string(body) != pdf || got.SHA256 != f.SHA256 {
		t.Errorf("the township reads the document: %v", err)
	}
	if _, _, err := w.svc.DelegationDoc(ctx, w.actors["minzheng"], d.ID, f.ID); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another department reads the document: %v", err)
	}
	h, err := w.svc.AskHelp(ctx, reviewer, service.HelpInput{ItemID: licenceItem(t, w), Subject: "四至", Question: "如何审查？"}, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.svc.AttachHelpFile(ctx, reviewer, h.ID, "四至.pdf", []byte(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if list, err := w.svc.HelpFiles(ctx, ziran, h.ID); err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Errorf("the counterpart's list: %v %v", list, err)
	}
	if _, _, err := w.svc.HelpFile(ctx, ziran, h.ID, f.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("the delegation's file under the request: %v", err)
	}
	if _, err := w.svc.HelpFiles(ctx, w.actors["minzheng"], h.ID); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another department lists the attachments: %v", err)
	}
	if h2, err := w.svc.MoveHelp(ctx, reviewer, h.ID, service.HelpMove{Version: h.Version, Resolve: true}); err != nil || !h2.Resolved() {
		t.Fatal(err)
	}
	if _, err := w.svc.AttachHelpFile(ctx, reviewer, h.ID, "again.pdf", []byte(pdf)); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an attachment after resolution: %v", err)
	}
}

// nextWorkingDay moves the store's clock to the next working day after today and returns it.
func nextWorkingDay(t *testing.T, w *world) clock.Date {
	t.Helper()
	clk, err := w.svc.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	day := clk.Cal.NextWorkingDay(clock.DateOf(time.Now().In(clk.Rules.Location)))
	setDay(t, w, day)
	return day
}
