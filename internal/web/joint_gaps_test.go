package web_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/complaint"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// The supervision export carries the period's complaints on a sheet of their own (GB/T 39046-2020 6.7): a
// line per responsible body under the two header rows (Mongolian, then Chinese), and a total equal to the
// page's figures; the month after holds none of them. Both databases.
func TestSupervisionExportComplaints(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			cst := time.FixedZone("CST", 8*3600)
			r.DB.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) } // a Monday
			tianshan, _ := r.DB.OrgsByName(t.Context(), org.Township, "天山镇")
			shaogen, _ := r.DB.OrgsByName(t.Context(), org.Township, "绍根镇")
			for _, c := range []struct {
				t    org.Org
				body string
			}{{tianshan[0], "大厅午间无人"}, {tianshan[0], "排队太久"}, {shaogen[0], "窗口态度差"}} {
				if _, err := r.Service.FileComplaintOnline(t.Context(), nil, service.ComplaintInput{About: complaint.AboutService, Township: c.t.ID, Body: c.body}, "", "10.0.0.1"); err != nil {
					t.Fatal(err)
				}
			}
			// one answered late: nine days on, after its five working days
			r.DB.Now = func() time.Time { return time.Date(2026, 3, 11, 10, 0, 0, 0, cst) }
			dir := staffActor(t, r, "tianshan.director")
			list, err := r.Service.FindComplaints(t.Context(), dir, service.ComplaintFind{Q: "排队"})
			if err != nil || len(list.List) != 1 {
				t.Fatalf("find: %v %+v", err, list)
			}
			if _, err := r.Service.AnswerComplaint(t.Context(), dir, list.List[0].ID, list.List[0].Version, "已增开窗口"); err != nil {
				t.Fatal(err)
			}

			c := newClient(t, r.URL)
			c.login("supervisor")
			read := func(month string) [][]string {
				t.Helper()
				code, body := c.get("/supervision/export.xlsx?dim=township&month=" + month)
				if code != 200 {
					t.Fatalf("export: %d", code)
				}
				f, err := excelize.OpenReader(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				// the complaints' sheet comes last (the empty seats' sheet, when there is one, before it)
				list := f.GetSheetList()
				if len(list) < 2 || list[len(list)-1] != "投诉" {
					t.Fatalf("%d sheets: %v", f.SheetCount, list)
				}
				rows, err := f.GetRows(list[len(list)-1], excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				return rows
			}
			rows := read("2026-03")
			if len(rows) != 5 || rows[0][0] == rows[1][0] || rows[1][0] != "负责答复" || rows[1][1] != "收到" {
				t.Fatalf("headers and lines: %q", rows)
			}
			// sorted by complaints received: 天山镇 (2, one answered late), 绍根镇 (1), the total (3)
			want := [][]string{{"天山镇", "2", "1", "1", "1"}, {"绍根镇", "1", "0", "0", "1"}, {"合计", "3", "1", "1", "2"}}
			for i, w := range want {
				if got := rows[i+2][:5]; strings.Join(got, "|") != strings.Join(w, "|") {
					t.Errorf("line %d: %q, want %q", i, got, w)
				}
			}
			fig, err := r.Service.ComplaintFigures(t.Context(), staffActor(t, r, "supervisor"), 20260301, 20260331)
			if err != nil || fig.Received != 3 || fig.Late != 1 {
				t.Fatalf("the page's figures: %+v %v", fig, err)
			}
			if rows := read("2026-04"); len(rows) != 3 || rows[2][1] != "0" {
				t.Fatalf("April: %q", rows)
			}
		})
	}
}

var rowRE = regexp.MustCompile(`name="row" value="(\d+)"`)

// The catalog editor's joint steps (issue 19): the form sets a step's parallel review and its countersign,
// saved as the item's draft; a parallel step of one department, or a last step made joint, is refused with the
// step's field named and nothing saved; the draft API refuses a body no department of the banner is and a
// role Bianmin has not, each at its field.
func TestCatalogJointEditor(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	found, err := r.Service.Search(t.Context(), "高龄津贴", 1)
	if err != nil || len(found) == 0 {
		t.Fatal(err)
	}
	id := found[0].Card.ID
	c := newClient(t, r.URL)
	c.login("admin")
	code, body := c.get("/catalog/" + id)
	m := rowRE.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, `id="joint-form"`) {
		t.Fatalf("the editor: %d", code)
	}
	it, _, _, err := r.Service.ItemForEdit(t.Context(), staffActor(t, r, "admin"), id)
	if err != nil || len(it.Steps) < 2 {
		t.Fatalf("%d steps: %v", len(it.Steps), err)
	}
	last := strconv.Itoa(len(it.Steps) - 1)
	post := func(f url.Values) (int, string, string) {
		t.Helper()
		f.Set("row", m[1])
		return c.post("/catalog/"+id+"/joint", f)
	}
	code, body, _ = post(url.Values{"p0_rule": {"deny_on_any"}, "p0_bodies": {"民政局"}, "c" + last + "_mode": {"sequence"},
		"c" + last + "_0_title": {"分管领导"}, "c" + last + "_0_role": {"director"}, "c" + last + "_0_org": {"乡镇"}})
	if code != 422 || !strings.Contains(body, "并联审批至少要两个不同的部门") || !strings.Contains(body, "steps["+last+"].countersign") {
		t.Fatalf("refused: %d", code)
	}
	if again, _, _, _ := r.Service.ItemForEdit(t.Context(), staffActor(t, r, "admin"), id); again.Steps[0].Parallel != nil {
		t.Fatal("a refused form was saved")
	}
	code, _, loc := post(url.Values{"p0_rule": {"lead_decides"}, "p0_bodies": {"民政局", "卫生健康委员会"}, "p0_lead": {"民政局"},
		"c0_mode": {"together"}, "c0_0_title": {"分管领导"}, "c0_0_role": {"director"}, "c0_0_org": {"乡镇"}, "c0_1_title": {"局长"}, "c0_1_role": {"director"}, "c0_1_org": {"民政局"}})
	if code != 303 || !strings.HasPrefix(loc, "/catalog/"+id) {
		t.Fatalf("saved: %d %s", code, loc)
	}
	saved, row, _, _ := r.Service.ItemForEdit(t.Context(), staffActor(t, r, "admin"), id)
	p, cs := saved.Steps[0].Parallel, saved.Steps[0].Countersign
	if p == nil || len(p.Bodies) != 2 || p.Lead != "民政局" || p.Rule != "lead_decides" || cs == nil || len(cs.Signers) != 2 || cs.Signers[1].Org != "民政局" {
		t.Fatalf("saved steps: %+v %+v", p, cs)
	}
	if _, body := c.get("/catalog/" + id); !strings.Contains(body, `name="p0_bodies" value="卫生健康委员会" checked`) {
		t.Error("the form does not show what was saved")
	}

	// the draft API: names checked against the banner's departments, roles against Bianmin's
	saved.Steps[0].Parallel.Bodies = []string{"民政局", "气象局"}
	saved.Steps[0].Countersign.Signers[0].Role = "mayor"
	doc, _ := json.Marshal(map[string]any{"item": saved, "row_version": row.RowVersion})
	code, body = apiDo(t, "PUT", r.URL+"/api/v1/catalog/"+id, apiToken(t, r.URL, "admin"), string(doc))
	if code != 422 || !strings.Contains(body, `"steps[0].parallel.bodies"`) || !strings.Contains(body, `"steps[0].countersign.signers"`) || !strings.Contains(body, "气象局") {
		t.Fatalf("the API: %d %s", code, body)
	}
}
