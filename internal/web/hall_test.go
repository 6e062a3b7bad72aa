package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/testkit"
)

// Every hall page renders in Chinese and in Mongolian without a missing translation; the hours form refuses a
// bad span naming the weekday; the API's board is public and its calls refuse another township's clerk.
func TestHallPagesBothLanguages(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-03-10 09:00", clock.DefaultRules().Location)
	r.DB.Now = func() time.Time { return at }
	ctx := t.Context()
	tw, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	center, _, err := r.Service.CenterOf(ctx, tw[0])
	if err != nil {
		t.Fatal(err)
	}
	kiosk := newClient(t, r.URL)
	code, _, loc := kiosk.post("/kiosk/"+center.ID+"/ticket", url.Values{"category": {"assist"}, "idem": {"x1"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/queue/") {
		t.Fatalf("kiosk ticket: %d %s", code, loc)
	}
	ticket := strings.TrimSuffix(loc, "/slip")
	director := newClient(t, r.URL)
	director.login("tianshan.director")
	res := newClient(t, r.URL)
	if code, _, _ := res.post("/resident/login", url.Values{"id_number": {"150421198503152018"}, "password": {"Bianmin-2026"}}); code != http.StatusSeeOther {
		t.Fatalf("resident login: %d", code)
	}
	pages := []struct {
		c    *client
		path string
	}{
		{kiosk, "/kiosk/" + center.ID}, {kiosk, "/board/" + center.ID}, {kiosk, ticket}, {kiosk, ticket + "/slip"},
		{kiosk, "/portal/township/" + tw[0].ID}, {kiosk, "/portal/center/" + center.ID + "/book"},
		{director, "/hall"}, {director, "/hall/hours/" + center.ID},
		{res, "/portal/center/" + center.ID + "/book"}, {res, "/my/appointments"},
	}
	for _, lang := range []string{"zh", "mn"} {
		for _, c := range []*client{kiosk, director, res} {
			c.get("/lang/" + lang + "?back=/")
		}
		for _, p := range pages {
			code, body := p.c.get(p.path)
			if code != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p.path, code)
				continue
			}
			if m := unknownKey.FindString(body); m != "" {
				t.Errorf("%s %s shows a key: %s", lang, p.path, m)
			}
			if !strings.Contains(body, `lang="mn-Mong"`) {
				t.Errorf("%s %s has no Mongolian", lang, p.path)
			}
		}
	}
	director.get("/lang/zh?back=/")
	director.get("/hall/hours/" + center.ID)
	code, body, _ := director.post("/hall/hours/"+center.ID, url.Values{"week_1": {"08:30-12"}, "slot_minutes": {"30"}, "capacity": {"2"}, "version": {"0"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "星期一开放时间") {
		t.Errorf("a bad span: %d %s", code, body)
	}
	code, _, loc = director.post("/hall/hours/"+center.ID, url.Values{"week_1": {"08:00-12:00"}, "week_2": {"08:30-12:00, 14:30-17:30"}, "slot_minutes": {"30"}, "capacity": {"2"}, "version": {"0"},
		"ex_day": {"2026-03-11"}, "ex_kind": {"extra"}, "ex_spans": {"17:30-19:00"}, "ex_note": {"延时服务"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save hours: %d %s", code, loc)
	}
	if h, v, _ := r.Service.Hours(ctx, center.ID); v != 1 || len(h.Exceptions) != 1 || h.Exceptions[0].Note != "延时服务" {
		t.Errorf("hours saved: %+v %d", h, v)
	}
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	clerk.get("/hall/hours/" + center.ID)
	if code, _, _ := clerk.post("/hall/hours/"+center.ID, url.Values{"week_1": {"08:00-12:00"}, "slot_minutes": {"30"}, "capacity": {"2"}, "version": {"1"}}); code != http.StatusForbidden {
		t.Errorf("a clerk set the hours: %d", code)
	}

	// the API: the board is public; another township's clerk cannot issue at 天山镇
	resp, err := http.Get(r.URL + "/api/v1/hall/boards/" + center.ID)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Open    bool `json:"open"`
		Figures []struct {
			Category string `json:"category"`
			Waiting  int    `json:"waiting"`
		} `json:"figures"`
	}
	json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	if !b.Open || len(b.Figures) != 4 || b.Figures[3].Category != "assist" || b.Figures[3].Waiting != 1 {
		t.Errorf("the board's API: %+v", b)
	}
	other := apiToken(t, r.URL, "shaogen.clerk")
	if code, _ := rawCall(t, r.URL, "POST", "/api/v1/hall/centers/"+center.ID+"/tickets", other, []byte(`{"category":"general"}`)); code != http.StatusForbidden {
		t.Errorf("another township's clerk issued a ticket by the API: %d", code)
	}
	mine := apiToken(t, r.URL, "tianshan.clerk")
	if code, body := rawCall(t, r.URL, "POST", "/api/v1/hall/centers/"+center.ID+"/tickets", mine, []byte(`{"category":"general"}`)); code != http.StatusCreated || !strings.Contains(string(body), `"no":"A001"`) {
		t.Errorf("the desk's ticket by the API: %d %s", code, body)
	}
}
