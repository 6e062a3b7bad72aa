package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// A due date counted over 2027, whose official schedule is not loaded, is marked 按法定节假日推算 on the queue,
// the case page, the API and the acceptance notice (which gives the limit first); one inside 2026 is not.
func TestProvisionalDueDateShows(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	loc := clock.DefaultRules().Location
	defer func() { r.DB.Now = time.Now }()
	t1, err := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	if err != nil || len(t1) != 1 {
		t.Fatal(err)
	}
	ap, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: t1[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	dibao, _ := r.Service.Search(ctx, "最低生活保障", 1)
	it, err := r.DB.ItemVersion(ctx, dibao[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	accept := func(on time.Time) cases.Case {
		t.Helper()
		r.DB.Now = func() time.Time { return on }
		c, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: it.ID, ApplicantID: ap.ID, ReceivingOrg: t1[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		var m []cases.MaterialCheck
		for _, x := range it.Materials {
			m = append(m, cases.MaterialCheck{Name: x.Name, Check: cases.SeenOriginal})
		}
		if c, err = r.Service.Act(ctx, access.System, c.ID, c.Version, cases.Accept, cases.Input{Materials: m}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	final := accept(time.Date(2026, 10, 12, 10, 0, 0, 0, loc)) // 25 working days: 2026-11-16
	prov := accept(time.Date(2026, 12, 30, 10, 0, 0, 0, loc))  // 25 working days over 元旦 2027: 2027-02-04
	r.DB.Now = func() time.Time { return time.Date(2026, 12, 31, 9, 0, 0, 0, loc) }

	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	mark := regexp.QuoteMeta("（按法定节假日推算）")
	_, queue := clerk.get("/cases")
	if !regexp.MustCompile(`2027-02-04</span> <small class="provisional" title="[^"]*">` + mark).MatchString(queue) {
		t.Error("the queue does not mark the provisional due date")
	}
	if !strings.Contains(queue, "2026-11-16</span></td>") {
		t.Error("the queue marks a due date inside 2026, or lacks it")
	}
	_, page := clerk.get("/cases/" + prov.ID)
	if !regexp.MustCompile(`<dd>2027-02-04 <small class="provisional"[^>]*>` + mark).MatchString(page) {
		t.Error("the case page does not mark the provisional due date")
	}
	if _, page := clerk.get("/cases/" + final.ID); strings.Contains(page, "按法定节假日推算") {
		t.Error("the case page marks a final due date provisional")
	}
	clerk.lang("mn")
	if _, page := clerk.get("/cases/" + prov.ID); !strings.Contains(page, "ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠠᠮᠠᠷᠠᠯᠲᠠ ᠶᠢ ᠦᠨᠳᠦᠰᠦᠯᠡᠨ ᠪᠣᠳᠤᠭᠰᠠᠨ") {
		t.Error("the Mongolian case page does not mark the provisional due date")
	}
	clerk.lang("zh")

	// the public tracking page
	if _, page := newClient(t, r.URL).get("/track?no=" + prov.No + "&phone4=5678"); !regexp.MustCompile(`<dd>2027-02-04 <small class="provisional"[^>]*>` + mark).MatchString(page) {
		t.Error("the tracking page does not mark the provisional due date")
	}

	// the API
	var sess map[string]any
	_, sess, _ = apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
	tok, _ := sess["token"].(string)
	for _, tc := range []struct {
		c    cases.Case
		due  string
		prov bool
	}{{prov, "2027-02-04", true}, {final, "2026-11-16", false}} {
		code, w, _ := apiCall(t, r.URL, "GET", "/api/v1/cases/"+tc.c.ID, tok, nil)
		if code != http.StatusOK || w["due"] != tc.due || w["due_provisional"] != tc.prov {
			t.Errorf("API case %s: %d due %v due_provisional %v", tc.c.No, code, w["due"], w["due_provisional"])
		}
	}

	// the acceptance notice: the limit first, then the date and how it was counted
	notices, err := r.DB.NoticesOf(ctx, prov.ID)
	if err != nil || len(notices) != 1 {
		t.Fatalf("notices: %v %v", notices, err)
	}
	_, paper := clerk.get("/cases/" + prov.ID + "/notices/" + notices[0].ID)
	if !regexp.MustCompile(`<dt>办理时限</dt><dd>25个工作日</dd><dt>办结期限</dt><dd>2027-02-04` + mark + `</dd>`).MatchString(paper) {
		t.Error("the acceptance notice does not give the limit and then the provisional date")
	}
	notices, _ = r.DB.NoticesOf(ctx, final.ID)
	if _, paper := clerk.get("/cases/" + final.ID + "/notices/" + notices[0].ID); strings.Contains(paper, "按法定节假日推算") || !strings.Contains(paper, "<dd>2026-11-16</dd>") {
		t.Error("the acceptance notice of a final due date")
	}
}

// From 1 November, while next year's schedule is missing, everyone who accepts cases (clerk, village agent,
// director) is warned in both languages on the desk, the queue and the intake page; on 31 October nobody is,
// and the back office is not.
func TestMissingScheduleWarning(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	defer func() { r.DB.Now = time.Now }()
	loc := clock.DefaultRules().Location
	zh := "尚未载入 2027 年的国务院节假日安排"
	mn := "2027 ᠣᠨ ᠤ ᠠᠮᠠᠷᠠᠯᠲᠠ ᠶᠢᠨ ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ ᠣᠷᠣᠭᠤᠯᠤᠭᠠᠳᠤᠢ"
	for _, tc := range []struct {
		now  time.Time
		warn bool
	}{
		{time.Date(2026, 10, 31, 23, 30, 0, 0, loc), false},
		{time.Date(2026, 11, 1, 0, 30, 0, 0, loc), true},
	} {
		r.DB.Now = func() time.Time { return tc.now }
		for _, who := range []string{"tianshan.clerk", "yangshulin.agent", "tianshan.director"} {
			c := newClient(t, r.URL)
			c.login(who)
			for _, path := range []string{"/desk", "/cases", "/cases/new"} {
				code, body := c.get(path)
				shown := strings.Contains(body, `id="calendar-missing"`) && strings.Contains(body, zh) && strings.Contains(body, mn)
				if code != http.StatusOK || shown != tc.warn {
					t.Errorf("%s, %s %s: status %d, warning shown %v, want %v", tc.now.Format("2006-01-02 15:04"), who, path, code, shown, tc.warn)
				}
			}
		}
		reviewer := newClient(t, r.URL)
		reviewer.login("tianshan.reviewer")
		if _, body := reviewer.get("/cases"); strings.Contains(body, `id="calendar-missing"`) {
			t.Errorf("%s: the back office's queue warns", tc.now)
		}
	}
}
