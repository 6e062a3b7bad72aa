package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/testkit"
	"bianmin/internal/translation"
)

// The page actions issue 15 point 6 still lacked, through the API with the pages' rules, on both databases:
// where items are implemented (paged by cursor), opening hours, a 六有 board document, a staff photo, a
// window's sign-on, pause and sign-off, and a translation file brought back and applied. 绍根镇's director
// and clerk are refused 天山镇's (the wrong organisation), and a clerk the translators' import.
func TestActionAPI(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-03-10 09:00", clock.DefaultRules().Location)
			r.DB.Now = func() time.Time { return at }
			ctx := t.Context()
			tw, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
			sg, _ := r.DB.OrgsByName(ctx, org.Township, "绍根镇")
			center, _, err := r.Service.CenterOf(ctx, tw[0])
			if err != nil {
				t.Fatal(err)
			}
			director, other := apiLogin(t, r, "tianshan.director"), apiLogin(t, r, "shaogen.director")
			clerk, otherClerk := apiLogin(t, r, "tianshan.clerk"), apiLogin(t, r, "shaogen.clerk")

			// where items are implemented: paged by cursor, the pages joined are the whole list once
			items := "/api/v1/orgs/" + tw[0].ID + "/items"
			var seen []string
			for after, n := "", 0; n < 100; n++ {
				code, page, _ := apiCall(t, r.URL, "GET", items+"?limit=7&after="+after, director, nil)
				if code != http.StatusOK {
					t.Fatalf("items: %d %v", code, page)
				}
				for _, x := range page["items"].([]any) {
					seen = append(seen, x.(map[string]any)["item_id"].(string))
				}
				next, _ := page["next"].(string)
				if next == "" {
					break
				}
				after = next
			}
			all, err := r.Service.ImplementationsAt(ctx, staffActor(t, r, "tianshan.director"), tw[0].ID)
			if err != nil || len(all) < 8 || len(seen) != len(all) {
				t.Fatalf("%d items paged, %d implemented (%v)", len(seen), len(all), err)
			}
			for i := 1; i < len(seen); i++ {
				if seen[i] <= seen[i-1] {
					t.Fatalf("the pages repeat or go back: %v", seen)
				}
			}
			if code, _, _ := apiCall(t, r.URL, "GET", items, other, nil); code != http.StatusForbidden {
				t.Errorf("绍根镇's director reads 天山镇's items: %d", code)
			}
			local := map[string]any{"window": "3号窗口", "place": "天山镇便民服务中心一楼", "hours": "工作日", "consult_phone": "0476-7221234", "complaint_phone": "12345"}
			if code, _, _ := apiCall(t, r.URL, "PUT", items+"/"+seen[0], other, local); code != http.StatusForbidden {
				t.Errorf("绍根镇's director sets 天山镇's item: %d", code)
			}
			long := map[string]any{"window": strings.Repeat("窗", 201)}
			if code, body, _ := apiCall(t, r.URL, "PUT", items+"/"+seen[0], director, long); code != http.StatusUnprocessableEntity || !strings.Contains(stringify(body), "window") {
				t.Errorf("a window's name too long: %d %v", code, body)
			}
			if code, body, _ := apiCall(t, r.URL, "PUT", items+"/"+seen[0], director, local); code != http.StatusOK {
				t.Fatalf("set an item's local details: %d %v", code, body)
			}
			if _, page, _ := apiCall(t, r.URL, "GET", items+"?limit=1", director, nil); !strings.Contains(stringify(page), "3号窗口") {
				t.Errorf("the local details are not read back: %v", page)
			}

			// opening hours: public to read, the township's to set at the version read
			hoursURL := "/api/v1/hall/hours/" + center.ID
			code, h, _ := apiCall(t, r.URL, "GET", hoursURL, "", nil)
			if code != http.StatusOK {
				t.Fatalf("hours: %d %v", code, h)
			}
			if code, _, _ := apiCall(t, r.URL, "PUT", hoursURL, other, h); code != http.StatusForbidden {
				t.Errorf("绍根镇's director sets 天山镇's hours: %d", code)
			}
			h["hours"].(map[string]any)["capacity"] = 3
			if code, body, _ := apiCall(t, r.URL, "PUT", hoursURL, director, h); code != http.StatusOK || body["version"] != float64(1) {
				t.Fatalf("set hours: %d %v", code, body)
			}
			if code, _, _ := apiCall(t, r.URL, "PUT", hoursURL, director, h); code != http.StatusConflict {
				t.Errorf("hours set again at the version read before: %d", code)
			}

			// a board document, and the list of them
			doc := map[string]any{"kind": "norms", "title_zh": "服务规范", "title_mn": "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ", "body_zh": "首问负责。", "body_mn": "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ", "effective": "2026-03-10"}
			board := "/api/v1/people/board/" + center.ID + "/docs"
			if code, _, _ := apiCall(t, r.URL, "POST", board, other, doc); code != http.StatusForbidden {
				t.Errorf("绍根镇's director publishes on 天山镇's board: %d", code)
			}
			if code, body, _ := apiCall(t, r.URL, "POST", board, director, doc); code != http.StatusCreated {
				t.Fatalf("publish: %d %v", code, body)
			}
			if code, page, _ := apiCall(t, r.URL, "GET", board, director, nil); code != http.StatusOK || len(page["docs"].([]any)) != 1 {
				t.Errorf("the board's documents: %d %v", code, page)
			}
			if code, _, _ := apiCall(t, r.URL, "GET", board, other, nil); code != http.StatusForbidden {
				t.Errorf("绍根镇's director reads 天山镇's board documents: %d", code)
			}

			// a staff photo as the body's bytes
			img := image.NewRGBA(image.Rect(0, 0, 300, 400))
			for y := range 400 {
				for x := range 300 {
					img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
				}
			}
			var photo bytes.Buffer
			jpeg.Encode(&photo, img, nil)
			clerkID := staffActor(t, r, "tianshan.clerk").ID
			if code, _ := rawCall(t, r.URL, "PUT", "/api/v1/staff/"+clerkID+"/photo", other, photo.Bytes()); code != http.StatusForbidden && code != http.StatusNotFound {
				t.Errorf("绍根镇's director sets 天山镇's clerk's photo: %d", code)
			}
			if code, body := rawCall(t, r.URL, "PUT", "/api/v1/staff/"+clerkID+"/photo", director, []byte("not a photo")); code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "photo") {
				t.Errorf("a photo that is not one: %d %s", code, body)
			}
			if code, body := rawCall(t, r.URL, "PUT", "/api/v1/staff/"+clerkID+"/photo", director, photo.Bytes()); code != http.StatusOK {
				t.Fatalf("photo: %d %s", code, body)
			}
			if resp, err := http.Get(r.URL + "/staff/" + clerkID + "/photo"); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("the photo is not shown: %v %v", resp, err)
			} else {
				resp.Body.Close()
			}

			// the window: another township's window refused, one's own signed on, paused, resumed, signed off
			desk, err := r.Service.HallDesk(ctx, staffActor(t, r, "tianshan.clerk"))
			if err != nil || len(desk.Windows) == 0 {
				t.Fatal(err)
			}
			sgCenter, _, _ := r.Service.CenterOf(ctx, sg[0])
			sgDesk, _ := r.Service.HallDesk(ctx, staffActor(t, r, "shaogen.clerk"))
			if sgCenter.ID == center.ID || len(sgDesk.Windows) == 0 {
				t.Fatal("绍根镇 has no window of its own")
			}
			signOn := map[string]any{"window": desk.Windows[0].ID, "categories": []string{"general"}}
			if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/hall/signon", otherClerk, signOn); code < 400 {
				t.Errorf("绍根镇's clerk signs on at 天山镇's window: %d", code)
			}
			for _, step := range []struct {
				path string
				body any
			}{{"/api/v1/hall/signon", signOn}, {"/api/v1/hall/pause", map[string]any{"paused": true}}, {"/api/v1/hall/pause", map[string]any{"paused": false}}, {"/api/v1/hall/signoff", nil}} {
				if code, body, _ := apiCall(t, r.URL, "POST", step.path, clerk, step.body); code != http.StatusCreated {
					t.Fatalf("%s: %d %v", step.path, code, body)
				}
			}
			if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/hall/appointments/no-such/moves", clerk, map[string]any{"move": "cancel"}); code != http.StatusNotFound {
				t.Errorf("a move on no appointment: %d", code)
			}

			// a translation file brought back: a clerk refused, the translator's checked, applied once
			fanyi := staffActor(t, r, "fanyi")
			var buf bytes.Buffer
			if err := r.Service.ExportMn(ctx, fanyi, "xlsx", false, translation.Orgs, &buf); err != nil {
				t.Fatal(err)
			}
			rows, err := translation.ReadXLSX(buf.Bytes())
			if err != nil || len(rows) == 0 {
				t.Fatal(rows, err)
			}
			out := make([]translation.String, len(rows))
			for i, row := range rows {
				out[i] = translation.String{Key: row.Key, Zh: row.Zh, Mn: row.Mn, Status: translation.Status(row.Status), Version: row.Version}
			}
			out[0].Mn = "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ"
			var file bytes.Buffer
			if err := translation.WriteXLSX(&file, out); err != nil {
				t.Fatal(err)
			}
			if code, _ := rawCall(t, r.URL, "POST", "/api/v1/mn/imports", clerk, file.Bytes()); code != http.StatusForbidden {
				t.Errorf("a clerk brings back a translation file: %d", code)
			}
			tr := apiLogin(t, r, "fanyi")
			if code, body := rawCall(t, r.URL, "POST", "/api/v1/mn/imports?format=xlsx", tr, []byte("PK not a workbook")); code != http.StatusUnprocessableEntity && code != http.StatusBadRequest {
				t.Errorf("a file that is no workbook: %d %s", code, body)
			}
			code, body := rawCall(t, r.URL, "POST", "/api/v1/mn/imports", tr, file.Bytes())
			if code != http.StatusCreated || !strings.Contains(string(body), out[0].Key) {
				t.Fatalf("import: %d %s", code, body)
			}
			id := string(body[strings.Index(string(body), `"id":"`)+6:])
			id = id[:strings.Index(id, `"`)]
			if code, got, _ := apiCall(t, r.URL, "GET", "/api/v1/mn/imports/"+id, tr, nil); code != http.StatusOK || got["applied"] != false {
				t.Errorf("the import kept: %d %v", code, got)
			}
			if code, got, _ := apiCall(t, r.URL, "POST", "/api/v1/mn/imports/"+id+"/apply", tr, nil); code != http.StatusCreated || got["changed"] != float64(1) {
				t.Fatalf("apply: %d %v", code, got)
			}
			if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/mn/imports/"+id+"/apply", tr, nil); code < 400 {
				t.Errorf("applied twice: %d", code)
			}
			if s, _, err := r.DB.MnString(ctx, out[0].Key); err != nil || s.Mn != out[0].Mn || s.Version != out[0].Version+1 {
				t.Errorf("the string after the import: %+v %v (version %s)", s, err, strconv.Itoa(out[0].Version))
			}
		})
	}
}
