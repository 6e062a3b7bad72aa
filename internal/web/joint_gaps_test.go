package web_test

import (
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
				if _, err := r.Service.FileComplaintOnline(t.Context(), nil, service.ComplaintInput{About: complaint.AboutService, Township: c.t.ID, Body: c.body}, ""); err != nil {
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
				if n := f.SheetCount; n != 2 {
					t.Fatalf("%d sheets: %v", n, f.GetSheetList())
				}
				rows, err := f.GetRows(f.GetSheetList()[1], excelize.Options{RawCellValue: true})
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
