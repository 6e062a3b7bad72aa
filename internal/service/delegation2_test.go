package service_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/files"
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
	delegationUploads(t, w, d, h.ID, []byte(pdf))
	if h2, err := w.svc.MoveHelp(ctx, reviewer, h.ID, service.HelpMove{Version: h.Version, Resolve: true}); err != nil || !h2.Resolved() {
		t.Fatal(err)
	}
	if _, err := w.svc.StartOwnedUpload(ctx, service.Staff(reviewer), h.ID, files.Upload{Owner: files.OwnerHelp, Name: "late.pdf", Size: 10}, ""); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an upload to a resolved request: %v", err)
	}
	if _, err := w.svc.AttachHelpFile(ctx, reviewer, h.ID, "again.pdf", []byte(pdf)); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an attachment after resolution: %v", err)
	}
}

// delegationUploads sends a delegation's document and a help request's attachment by the resumable upload a
// case's files use (a village link that drops): the start resent under its key, the link dropped after half
// the file, the state asked, the rest sent from the held offset, the file stored among the owner's files; the
// same size limit as a case's file; another department refused at the start and at a chunk.
func delegationUploads(t *testing.T, w *world, d delegation.Delegation, helpID string, pdf []byte) {
	t.Helper()
	ziran, minzheng := service.Staff(w.actors["ziran"]), service.Staff(w.actors["minzheng"])
	start := files.Upload{Owner: files.OwnerDelegation, Name: "移交清单.pdf", Size: int64(len(pdf))}
	if _, err := w.svc.StartOwnedUpload(ctx, minzheng, d.ID, start, ""); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another department starts an upload of the document: %v", err)
	}
	big := start
	big.Size = files.DefaultLimits.MaxUpload + 1
	if _, err := w.svc.StartOwnedUpload(ctx, ziran, d.ID, big, ""); len(errs.All(err)) != 1 || errs.All(err)[0].Field != "size" {
		t.Errorf("a document over a case file's limit: %v", err)
	}
	u, err := w.svc.StartOwnedUpload(ctx, ziran, d.ID, start, "deleg-up-1")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := w.svc.StartOwnedUpload(ctx, ziran, d.ID, start, "deleg-up-1"); err != nil || again.ID != u.ID {
		t.Fatalf("a resent start: %v", err)
	}
	half := len(pdf) / 2
	if st, f, err := w.svc.PutChunk(ctx, ziran, u.ID, 0, pdf[:half]); err != nil || st.Offset != int64(half) || f != nil {
		t.Fatalf("the first half: %+v %v", st, err)
	}
	// the link dropped: where does it stand, then the rest from there
	st, err := w.svc.UploadState(ctx, ziran, u.ID)
	if err != nil || st.Offset != int64(half) || st.Owner != files.OwnerDelegation {
		t.Fatalf("after the drop: %+v %v", st, err)
	}
	if _, err := w.svc.UploadState(ctx, minzheng, u.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another's upload: %v", err)
	}
	st, f, err := w.svc.PutChunk(ctx, ziran, u.ID, st.Offset, pdf[half:])
	if err != nil || f == nil || !st.Done() || f.SHA256 != files.Address(pdf) {
		t.Fatalf("the rest: %+v %+v %v", st, f, err)
	}
	if got, body, err := w.svc.DelegationDoc(ctx, w.actors["tianshan.director"], d.ID, f.ID); err != nil || string(body) != string(pdf) || got.Name != "移交清单.pdf" {
		t.Errorf("the uploaded document read back: %v", err)
	}
	if _, again, err := w.svc.PutChunk(ctx, ziran, u.ID, int64(half), pdf[half:]); err != nil || again == nil || again.ID != f.ID {
		t.Errorf("a resent last chunk: %+v %v", again, err)
	}
	// a help request's attachment the same way; a file that is none is refused naming the request's field
	reviewer := service.Staff(w.actors["tianshan.reviewer"])
	bad, err := w.svc.StartOwnedUpload(ctx, reviewer, helpID, files.Upload{Owner: files.OwnerHelp, Name: "x.exe", Size: 10}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.PutChunk(ctx, reviewer, bad.ID, 0, []byte("MZ program")); len(errs.All(err)) != 1 || errs.All(err)[0].Field != "deleg2_help_file" {
		t.Errorf("an executable attached: %v", err)
	}
	hu, err := w.svc.StartOwnedUpload(ctx, reviewer, helpID, files.Upload{Owner: files.OwnerHelp, Name: "现场.pdf", Size: int64(len(pdf))}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, f, err := w.svc.PutChunk(ctx, reviewer, hu.ID, 0, pdf); err != nil || f == nil {
		t.Fatalf("an attachment by upload: %v", err)
	}
	if list, err := w.svc.HelpFiles(ctx, w.actors["ziran"], helpID); err != nil || len(list) != 2 {
		t.Errorf("the request's attachments after the upload: %d %v", len(list), err)
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
