package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

// The gaps of issue 11 over HTTP, on both engines: the township's back-office split (API and the hub's
// form; another township's director refused), an empty seat counted on the supervision dashboard by center
// and in its export, the 六有 board's 服务流程 from the guides (Mongolian first), and a station's roster page
// reached from the director's hub and the agent's.
func TestPeopleGapsHTTP(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			bg := t.Context()
			tw, _ := r.DB.OrgsByName(bg, org.Township, "天山镇")
			center, _, _ := r.Service.CenterOf(bg, tw[0])
			vs, _ := r.DB.OrgsByName(bg, org.Village, "杨树林村")
			stations, _ := r.DB.Subtree(bg, vs[0].Path, org.Station)

			// the split: read by the director, set at its version; another township's director is refused
			dir, away := apiLogin(t, r, "tianshan.director"), apiLogin(t, r, "shaogen.director")
			if code, out, _ := apiCall(t, r.URL, "GET", "/api/v1/people/back-office/"+tw[0].ID, dir, nil); code != http.StatusOK || out["split"] != false || out["version"] != float64(0) {
				t.Fatalf("the split: %d %v", code, out)
			}
			if code, _, _ := apiCall(t, r.URL, "PUT", "/api/v1/people/back-office/"+tw[0].ID, away, web.BackOfficeIn{Split: true}); code != http.StatusForbidden {
				t.Fatalf("another township's director split it: %d", code)
			}
			if code, out, _ := apiCall(t, r.URL, "PUT", "/api/v1/people/back-office/"+tw[0].ID, dir, web.BackOfficeIn{Split: true}); code != http.StatusOK {
				t.Fatalf("split: %d %v", code, out)
			}
			cl := newClientLoggedIn(t, r.URL, "tianshan.director")
			_, hub := cl.get("/people")
			if !strings.Contains(hub, `id="split-now"`) || !strings.Contains(hub, "一人负责一块") || !strings.Contains(hub, `/people/roster/`+stations[0].ID) {
				t.Fatalf("the hub: %s", hub)
			}
			if code, _, loc := cl.post("/people/back-office/"+tw[0].ID, url.Values{"version": {"1"}, "split": {"0"}}); code != http.StatusSeeOther || !strings.Contains(loc, "done=back_office") {
				t.Fatalf("the hub's form: %d %s", code, loc)
			}
			if _, hub = cl.get("/people"); !strings.Contains(hub, "一人通办：") {
				t.Error("the hub does not show 一人通办")
			}

			// the station's roster, from the director's hub and the agent's
			if code, body := cl.get("/people/roster/" + stations[0].ID); code != http.StatusOK || !strings.Contains(body, stations[0].NameZh) {
				t.Fatalf("the station's roster: %d", code)
			}
			ag := newClientLoggedIn(t, r.URL, "yangshulin.agent")
			if _, body := ag.get("/people"); !strings.Contains(body, "/people/roster/"+stations[0].ID) {
				t.Error("the agent's hub has no roster of the station")
			}

			// an empty window today: on the dashboard by center, and in the export
			today := clock.DateOf(r.DB.Now().In(clock.DefaultRules().Location))
			kids, _ := r.DB.Children(bg, center.ID)
			err := r.DB.Write(bg, func(tx *store.Tx) error {
				_, err := tx.RaiseAlert(store.CoverageAlert{Seat: kids[0].ID, Center: center.ID, Day: today, Half: roster.AM, State: roster.Empty}, center.Path)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			sv := newClientLoggedIn(t, r.URL, "supervisor")
			_, page := sv.get("/supervision?dim=township")
			if !strings.Contains(page, `id="sv-empty-seats">1<`) || !strings.Contains(page, `/people/coverage/`+center.ID) {
				t.Fatalf("the dashboard's empty seats: %s", page)
			}
			resp, err := sv.http.Get(r.URL + "/supervision/export.xlsx?dim=township")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			resp.Body.Close()
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			if len(sheets) < 2 || sheets[1] != "空岗空位" {
				t.Fatalf("sheets: %v", sheets)
			}
			rows, _ := f.GetRows(sheets[1])
			last := rows[len(rows)-1]
			if len(rows) < 4 || rows[1][2] != "空岗" || last[0] != "合计" || last[2] != "1" || last[3] != "1" {
				t.Errorf("the empty seats' sheet: %v", rows)
			}

			// the board's 服务流程: the items' own steps, Mongolian before Chinese
			_, board := cl.get("/portal/center/" + center.ID + "/board")
			mn, zh := strings.Index(board, "ᠴᠣᠩᠬᠣ ᠡᠴᠡ ᠦᠷ᠎ᠡ ᠲᠠᠷᠬᠠᠭᠠᠬᠤ"), strings.Index(board, "窗口出件")
			if !strings.Contains(board, `class="b6-flow"`) || mn < 0 || zh < 0 || mn > zh || !strings.Contains(board, "审核决定") {
				t.Errorf("the board's flows: mn %d zh %d", mn, zh)
			}
		})
	}
}
