package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/service"
)

// noticeArticle is the notice a page prints: its article, without the page around it.
func noticeArticle(t *testing.T, c *client, url string) string {
	t.Helper()
	code, body := c.get(url)
	i, j := strings.Index(body, `<article class="notice-doc`), strings.Index(body, `</article>`)
	if code != 200 || i < 0 || j < i {
		t.Fatalf("%s: %d, no notice", url, code)
	}
	return body[i:j]
}

// A notice keeps only what its kind prints of the case and reads the rest from the case (issue 18), and it
// prints word for word what it printed when it kept a whole copy of the case: for every kind of notice and
// both languages, the printed notice is compared with the same notice whose kept case is put back whole, as
// the move left it (and kept by the notice itself, for one that refers to another notice's paper).
func TestNoticeKeptPrintsTheSame(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t)
	clerk := newClient(t, w.r.URL)
	clerk.login("shaogen.clerk")
	article := func(url string) string { t.Helper(); return noticeArticle(t, clerk, url) }
	seen := map[string]bool{}
	for _, c := range []cases.Case{w.a, w.b, w.c, w.p} {
		list, err := w.r.DB.NoticesOf(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			seen[n.Kind] = true
			var kept struct {
				Case struct {
					Version int `json:"version"`
				} `json:"case"`
			}
			var doc map[string]json.RawMessage
			if json.Unmarshal([]byte(n.Doc), &kept) != nil || json.Unmarshal([]byte(n.Doc), &doc) != nil {
				t.Fatalf("%s: %s", n.Kind, n.Doc)
			}
			whole, ok := w.moved[movedKey(c.ID, kept.Case.Version)]
			if !ok {
				t.Fatalf("%s: no case at version %d", n.Kind, kept.Case.Version)
			}
			if len(n.Doc) > 1000 { // a whole case was over 2,000
				t.Errorf("%s keeps %d bytes: %s", n.Kind, len(n.Doc), n.Doc)
			}
			url := "/cases/" + c.ID + "/notices/" + n.ID
			now := map[string]string{}
			for _, lang := range []string{"zh", "mn"} {
				clerk.lang(lang)
				now[lang] = article(url)
			}
			doc["case"], _ = json.Marshal(whole)
			old, _ := json.Marshal(doc)
			if err := w.r.DB.ExecRaw(t.Context(), `UPDATE notices SET doc = ?, paper_of = NULL WHERE id = ?`, string(old), n.ID); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"zh", "mn"} {
				clerk.lang(lang)
				if was := article(url); was != now[lang] {
					t.Errorf("the %s notice (%s) prints differently from what it kept:\nkept:  %s\nwhole: %s", n.Kind, lang, now[lang], was)
				}
			}
		}
	}
	for _, k := range cases.NoticeKinds {
		if !seen[k] {
			t.Errorf("no %s notice was compared", k)
		}
	}
}

// The 告知承诺书 keeps no paper of its own: it refers to the 容缺受理通知书 issued beside it, which says the same
// (migration 075). A notice once issued prints the same forever: both notices print byte for byte what they
// printed when issued after the case's materials changed (the owed material arrived, the pledge was checked),
// and the pledge notice prints byte for byte as it does keeping its own copy of the paper, as every notice did
// before migration 075 (what Keep made of it for its kind).
func TestNoticeSharedPaperPrintsTheSame(t *testing.T) {
	w := newNoticeWorld(t)
	ctx, r := t.Context(), w.r
	c, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: w.a.ItemID, ApplicantID: w.a.ApplicantID, ReceivingOrg: w.T2.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	it, err := r.DB.ItemVersion(ctx, c.ItemID, c.ItemVersion)
	if err != nil {
		t.Fatal(err)
	}
	var checks []cases.MaterialCheck
	for _, m := range it.Materials {
		mc := cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal}
		switch m.Name {
		case "本人银行卡或一卡通":
			mc.Check, mc.Note = cases.Owed, "嘎查委员会出具"
		case "家庭收入和财产状况声明":
			mc.Check = cases.Pledged
		}
		checks = append(checks, mc)
	}
	by, _ := clock.ParseDate(r.DB.Now().AddDate(0, 0, 10).Format("2006-01-02"))
	move := func(a cases.Action, in cases.Input) {
		t.Helper()
		if c, err = r.Service.Act(ctx, access.System, c.ID, c.Version, a, in); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	move(cases.AcceptOwed, cases.Input{Materials: checks, OwedBy: by, CheckBy: by})
	list, err := r.DB.NoticesOf(ctx, c.ID)
	if err != nil || len(list) != 2 || list[0].Kind == list[1].Kind {
		t.Fatalf("notices %+v: %v", list, err)
	}
	owed, pledge := list[0], list[1]
	if owed.Kind != cases.NoticeAcceptOwed {
		owed, pledge = pledge, owed
	}
	var own, of string
	if err := r.DB.QueryRowRaw(ctx, `SELECT doc, COALESCE(paper_of, '') FROM notices WHERE id = ?`, pledge.ID).Scan(&own, &of); err != nil || own != "" || of != owed.ID {
		t.Fatalf("the pledge notice keeps %q, refers to %q: %v", own, of, err)
	}

	clerk := newClient(t, r.URL)
	clerk.login("shaogen.clerk")
	print := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, n := range list {
			for _, lang := range []string{"zh", "mn"} {
				clerk.lang(lang)
				out[n.Kind+"/"+lang] = noticeArticle(t, clerk, "/cases/"+c.ID+"/notices/"+n.ID)
			}
		}
		return out
	}
	same := func(when string, was, now map[string]string) {
		t.Helper()
		for k, a := range was {
			if now[k] != a {
				t.Errorf("%s, the %s notice prints differently:\nwas: %s\nnow: %s", when, k, a, now[k])
			}
		}
	}
	issued := print()
	for _, k := range []string{"accept_owed/zh", "pledge/zh"} {
		if !strings.Contains(issued[k], "家庭收入和财产状况声明") {
			t.Errorf("the %s notice names no pledged material: %s", k, issued[k])
		}
	}
	if !strings.Contains(issued["accept_owed/zh"], "嘎查委员会出具") {
		t.Errorf("the 容缺受理通知书 names no owed material: %s", issued["accept_owed/zh"])
	}

	// the case's materials change: the owed one arrives, the pledge is checked
	move(cases.OwedArrived, cases.Input{Materials: []cases.MaterialCheck{{Name: "本人银行卡或一卡通", Check: cases.SeenOriginal, Note: "原件已补交"}}})
	move(cases.PledgeChecked, cases.Input{Result: cases.PledgeConfirmed, Reason: "入户核查属实"})
	if len(c.WithCheck(cases.Owed)) != 0 || c.Pledge == nil || c.Pledge.Result != cases.PledgeConfirmed {
		t.Fatalf("the case did not change: %+v %+v", c.Materials, c.Pledge)
	}
	later := print()
	same("after the case's materials changed", issued, later)
	if strings.Contains(later["accept_owed/zh"], "原件已补交") {
		t.Errorf("the notice prints what changed after it was issued: %s", later["accept_owed/zh"])
	}

	// the pledge notice as it was kept before migration 075: its own paper, made by Keep for its kind
	paper, err := cases.ReadPaper(owed.Kind, []byte(owed.Doc), c)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := paper.Keep(cases.NoticePledge)
	if err != nil || string(kept) != owed.Doc {
		t.Fatalf("the pledge notice would keep another paper than the one it refers to:\n%s\n%s", kept, owed.Doc)
	}
	if err := r.DB.ExecRaw(ctx, `UPDATE notices SET doc = ?, paper_of = NULL WHERE id = ?`, string(kept), pledge.ID); err != nil {
		t.Fatal(err)
	}
	same("kept as before migration 075", issued, print())
}
