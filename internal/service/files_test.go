package service_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// photoJPEG is a small photo of a paper, distinct per seed.
func photoJPEG(t testing.TB, w, h, seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x*seed + y), uint8(y * 3), uint8((x * y) % 251), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func onlineItem(t *testing.T, w *world) string {
	t.Helper()
	res, err := w.svc.Search(ctx, "独生子女父母奖励", 1)
	if err != nil || len(res) == 0 {
		t.Fatalf("the 全程网办 demo item: %v", err)
	}
	return res[0].Card.ID
}

// onlineForm is the demo 全程网办 item's form filled in for an applicant.
func onlineForm(idNumber, marriage, spouse string) map[string]string {
	return map[string]string{"name": "斯琴", "id_number": idNumber, "phone": "13904765678", "child_name": "小明", "child_born": "2001-09-01", "marriage": marriage, "spouse_id": spouse}
}

// 全程网办 on both databases: a resident applies with the form and two photos in one transaction; whoever
// may read the case sees its files (the back office without the names they were sent under), nobody else;
// the window's electronic check names the files that stand for each material, and only the case's own.
func TestElectronicMaterials(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db) // one world for the three: the demo's load is the cost of each
		t.Run("apply online with the form and files", func(t *testing.T) { applyWithFiles(t, w, db) })
		t.Run("resumable upload", func(t *testing.T) { resumableUpload(t, w, db) })
		t.Run("blob directory", func(t *testing.T) { blobDirectory(t, w, db) }) // last: it moves the bytes' store
	})
}

func applyWithFiles(t *testing.T, w *world, db *store.DB) {
	{
		idn := idFor(961)
		r := register(t, w, "斯琴", idn, "V1")
		other := register(t, w, "其木格", idFor(962), "V1")
		item := onlineItem(t, w)
		form := onlineForm(idn, "married", idFor(963))
		idPhoto, marriagePhoto := photoJPEG(t, 320, 200, 1), photoJPEG(t, 300, 220, 2)
		in := service.OnlineApplication{Form: form, Files: []service.FileIn{
			{Material: "居民身份证（正反面照片）", Field: "file_1", Name: "斯琴身份证.jpg", Body: idPhoto},
			{Material: "结婚证（照片）", Field: "file_2", Name: "结婚证.jpg", Body: marriagePhoto}}}

		// a fault in the form or a file changes nothing, and names the field by its label
		bad := in
		bad.Form = map[string]string{"name": "斯琴"}
		bad.Files = append([]service.FileIn{}, in.Files...)
		bad.Files[1] = service.FileIn{Material: "结婚证（照片）", Field: "file_2", Name: "结婚证.jpg", Body: []byte("MZ\x90\x00 not a photo")}
		before, _ := db.CountCases(ctx)
		_, err := w.svc.ApplyOnlineWith(ctx, r, item, "bad-1", bad)
		faults := map[string]*errs.Error{}
		for _, e := range errs.All(err) {
			faults[e.Field] = e
		}
		if faults["f_phone"] == nil || faults["f_phone"].Args["label_zh"] != "联系电话" || faults["file_2"] == nil || faults["file_2"].Key != "err.file.type" || faults["file_2"].Args["label_zh"] != "结婚证（照片）" {
			t.Fatalf("the refusal: %v", err)
		}
		if after, _ := db.CountCases(ctx); after != before {
			t.Fatal("a refused application made a case")
		}

		c, err := w.svc.ApplyOnlineWith(ctx, r, item, "apply-files", in)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.ApplyOnlineWith(ctx, r, item, "apply-files", in); err != nil || again.ID != c.ID {
			t.Fatalf("the resubmission: %v", err)
		}
		if c.Form["child_name"] != "小明" || c.Form["spouse_id"] != form["spouse_id"] {
			t.Fatalf("the form's values: %v", c.Form)
		}
		clerk, reviewer := service.Staff(w.actors["tianshan.clerk"]), service.Staff(w.actors["tianshan.reviewer"])
		list, err := w.svc.CaseFiles(ctx, clerk, c.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("the front desk's files: %+v %v", list, err)
		}
		if list[0].Material != "居民身份证（正反面照片）" { // handed in together: the order is not the point
			list[0], list[1] = list[1], list[0]
		}
		if list[0].Name != "斯琴身份证.jpg" || list[0].Desk != "applicant" || list[0].SHA256 != files.Address(idPhoto) || list[1].SHA256 != files.Address(marriagePhoto) {
			t.Fatalf("the front desk's files: %+v", list)
		}
		// the audit entry carries the hash
		trail, err := db.AuditOf(ctx, "case", c.ID, 100)
		n := 0
		for _, e := range trail {
			if e.Action == "case.file" && strings.Contains(e.After, list[1].SHA256) {
				n++
			}
		}
		if err != nil || n != 1 {
			t.Fatalf("audit entries with the hash: %d %v", n, err)
		}
		// the back office: the files, not the names they were sent under
		back, err := w.svc.CaseFiles(ctx, reviewer, c.ID)
		if err != nil || len(back) != 2 || back[0].Name != "" || back[1].Name != "" || back[0].Size == 0 {
			t.Fatalf("the back office's files: %+v %v", back, err)
		}
		if _, body, err := w.svc.CaseFile(ctx, reviewer, c.ID, list[1].ID); err != nil || !bytes.Equal(body, marriagePhoto) {
			t.Fatalf("the back office reads a file: %v", err)
		}
		// refused: another township's clerk, a village agent of the other township, another resident (not found)
		for _, who := range []string{"shaogen.clerk", "shaogen.reviewer", "agetan.agent"} {
			if _, err := w.svc.CaseFiles(ctx, service.Staff(w.actors[who]), c.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s lists the files: %v", who, err)
			}
			if _, _, err := w.svc.CaseFile(ctx, service.Staff(w.actors[who]), c.ID, list[0].ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s reads a file: %v", who, err)
			}
		}
		if _, _, err := w.svc.CaseFile(ctx, service.ResidentHand(other), c.ID, list[0].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another resident reads a file: %v", err)
		}
		if _, _, err := w.svc.CaseFile(ctx, service.ResidentHand(r), c.ID, list[0].ID); err != nil {
			t.Errorf("the resident reads their own file: %v", err)
		}
		// the window's check: a file of another material is refused; the right ones accepted
		checks := []cases.MaterialCheck{
			{Name: "独生子女父母奖励申请表", Check: cases.Electronic, Files: []string{list[0].ID}},
			{Name: "居民身份证（正反面照片）", Check: cases.Electronic, Files: []string{list[0].ID}},
			{Name: "结婚证（照片）", Check: cases.Electronic, Files: []string{list[1].ID}},
		}
		_, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: checks})
		if e := errs.All(err); len(e) != 1 || e[0].Key != "err.case.file_not_of_material" || e[0].Field != "materials[0]" {
			t.Fatalf("a file standing for another material: %v", err)
		}
		checks[0] = cases.MaterialCheck{Name: "独生子女父母奖励申请表", Check: cases.SeenCopy, Note: "在线填报"}
		got, err := w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: checks})
		if err != nil || got.State != cases.Accepted || got.Materials[2].Files[0] != list[1].ID {
			t.Fatalf("accepted on screen: %v %+v", err, got.Materials)
		}
		// after acceptance the resident hands in nothing more; the window still may (what was owed)
		if _, err := w.svc.AttachFile(ctx, service.ResidentHand(r), c.ID, "结婚证（照片）", "file", "b.jpg", marriagePhoto); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a resident's file after acceptance: %v", err)
		}
		if _, err := w.svc.AttachFile(ctx, service.Staff(w.actors["shaogen.clerk"]), c.ID, "结婚证（照片）", "file", "b.jpg", marriagePhoto); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's clerk attaches: %v", err)
		}
		if _, err := w.svc.AttachFile(ctx, reviewer, c.ID, "结婚证（照片）", "file", "b.jpg", marriagePhoto); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the back office attaches: %v", err)
		}
	}
}

// The resumable upload on both databases: chunks in order, a resend taken once, a gap answered with the
// held offset, the last chunk storing the file; a finished upload answers a resend with its file; a refused
// file ends its upload with a message naming the material.
func resumableUpload(t *testing.T, w *world, db *store.DB) {
	{
		r := register(t, w, "斯琴", idFor(971), "V1")
		form := onlineForm(idFor(971), "divorced", "")
		c, err := w.svc.ApplyOnlineWith(ctx, r, onlineItem(t, w), "k", service.OnlineApplication{Form: form})
		if err != nil {
			t.Fatal(err)
		}
		clerk := service.Staff(w.actors["tianshan.clerk"])
		body := photoJPEG(t, 900, 700, 3)
		u, err := w.svc.StartUpload(ctx, clerk, c.ID, files.Upload{Material: "结婚证（照片）", Name: "scan.jpg", Size: int64(len(body))}, "up-1")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.StartUpload(ctx, clerk, c.ID, files.Upload{Material: "结婚证（照片）", Name: "scan.jpg", Size: int64(len(body))}, "up-1"); err != nil || again.ID != u.ID {
			t.Fatalf("a resent start: %v", err)
		}
		if _, err := w.svc.UploadState(ctx, service.Staff(w.actors["shaogen.clerk"]), u.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("another's upload: %v", err)
		}
		half := len(body) / 2
		if st, _, err := w.svc.PutChunk(ctx, clerk, u.ID, 0, body[:half]); err != nil || st.Offset != int64(half) {
			t.Fatalf("first chunk: %+v %v", st, err)
		}
		// the answer was lost: the same chunk again, then a chunk past the held offset
		if st, _, err := w.svc.PutChunk(ctx, clerk, u.ID, 0, body[:half]); err != nil || st.Offset != int64(half) {
			t.Fatalf("a resent chunk: %+v %v", st, err)
		}
		_, _, err = w.svc.PutChunk(ctx, clerk, u.ID, int64(half+10), body[half+10:])
		if e := errs.All(err); errs.CodeOf(err) != errs.Conflict || e[0].Args["offset"] != strconv.Itoa(half) {
			t.Fatalf("a gap: %v", err)
		}
		st, f, err := w.svc.PutChunk(ctx, clerk, u.ID, int64(half-5), body[half-5:])
		if err != nil || f == nil || !st.Done() || f.SHA256 != files.Address(body) || f.Desk != "front" {
			t.Fatalf("the last chunk: %+v %+v %v", st, f, err)
		}
		if _, f2, err := w.svc.PutChunk(ctx, clerk, u.ID, int64(half), body[half:]); err != nil || f2 == nil || f2.ID != f.ID {
			t.Fatalf("a resent last chunk: %v", err)
		}
		list, _ := w.svc.CaseFiles(ctx, clerk, c.ID)
		if len(list) != 1 {
			t.Fatalf("%d files after one upload", len(list))
		}
		var chunks int
		db.QueryRowRaw(ctx, `SELECT count(*) FROM upload_chunks`).Scan(&chunks)
		if chunks != 0 {
			t.Fatalf("%d chunks left", chunks)
		}
		// a malformed image arriving whole is refused, naming the material, and its upload ends
		broken := body[:len(body)/2]
		u2, err := w.svc.StartUpload(ctx, clerk, c.ID, files.Upload{Material: "结婚证（照片）", Name: "cut.jpg", Size: int64(len(broken))}, "up-2")
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = w.svc.PutChunk(ctx, clerk, u2.ID, 0, broken)
		if e := errs.All(err); len(e) != 1 || e[0].Key != "err.file.malformed" || e[0].Args["label_zh"] != "结婚证（照片）" {
			t.Fatalf("a malformed upload: %v", err)
		}
		if _, err := w.svc.UploadState(ctx, clerk, u2.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("the refused upload stays: %v", err)
		}
	}
}

// On PostgreSQL a directory may keep the files' bytes: written under their address, read back checked, and
// bytes changed on disk are refused rather than shown. SQLite refuses the setting.
func blobDirectory(t *testing.T, w *world, db *store.DB) {
	{
		dir := t.TempDir()
		if db.Dialect() == "sqlite" {
			if err := db.UseBlobDir(dir); err == nil {
				t.Fatal("SQLite took a files directory")
			}
			if db.BlobStore().Kind() != "database" {
				t.Fatal("SQLite keeps files in the database")
			}
			return
		}
		if err := db.UseBlobDir(dir); err != nil || db.BlobStore().Kind() != "directory" {
			t.Fatalf("files directory: %v", err)
		}
		r := register(t, w, "斯琴", idFor(981), "V1")
		form := onlineForm(idFor(981), "widowed", "")
		photo := photoJPEG(t, 200, 100, 5)
		c, err := w.svc.ApplyOnlineWith(ctx, r, onlineItem(t, w), "k", service.OnlineApplication{Form: form,
			Files: []service.FileIn{{Material: "结婚证（照片）", Field: "file_1", Name: "a.jpg", Body: photo}}})
		if err != nil {
			t.Fatal(err)
		}
		sha := files.Address(photo)
		p := filepath.Join(dir, sha[:2], sha)
		if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, photo) {
			t.Fatalf("the file on disk: %v", err)
		}
		var inDB int
		db.QueryRowRaw(ctx, `SELECT count(*) FROM blobs WHERE sha256 = ?`, sha).Scan(&inDB)
		if inDB != 0 {
			t.Fatal("the bytes went to the database with a directory set")
		}
		clerk := service.Staff(w.actors["tianshan.clerk"])
		list, _ := w.svc.CaseFiles(ctx, clerk, c.ID)
		if _, body, err := w.svc.CaseFile(ctx, clerk, c.ID, list[0].ID); err != nil || !bytes.Equal(body, photo) {
			t.Fatalf("read back: %v", err)
		}
		os.WriteFile(p, append([]byte{}, strings.Repeat("x", 10)...), 0o600)
		if _, _, err := w.svc.CaseFile(ctx, clerk, c.ID, list[0].ID); err == nil {
			t.Fatal("bytes changed on disk were shown")
		}
	}
}
