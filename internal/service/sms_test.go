package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// recorder is an SMS gateway that keeps what it was handed.
type recorder struct{ sent map[string][]string }

func (r *recorder) Send(_ context.Context, phone, body string) error {
	r.sent[phone] = append(r.sent[phone], body)
	return nil
}

// An SMS keeps what it says (a key and its arguments), not its text (issue 18), and says word for word what
// it said when it kept its text: the text the sender hands the gateway is the text the code before rendered
// at the move (its formula, below, as it was). A message kept as text before migration 074 goes out as it
// was kept; the receipt proves what went out, and tells a text rendered after a catalog correction from it.
func TestSMSKeepsWhatItSays(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, err := w.svc.Receive(ctx, w.actors["yangshulin.agent"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["V1"], Authorisation: "书面委托书（本人签字）"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		if c.ItemNameMn == "" || c.ItemNameMn == c.ItemName {
			t.Fatalf("the item has no Mongolian name to tell apart: %q", c.ItemNameMn)
		}
		from, cat := w.targets["T1"], w.svc.Catalog
		before := "【" + from.Name("mn") + "】" + cat.T(i18n.Mn, "msg.accepted", "item", c.ItemNameIn("mn"), "no", c.No) +
			" / " + "【" + from.NameZh + "】" + cat.T(i18n.Zh, "msg.accepted", "item", c.ItemName, "no", c.No)

		kept, err := db.Messages(ctx, c.ID)
		if err != nil || len(kept) != 1 {
			t.Fatalf("%d messages: %v", len(kept), err)
		}
		if kept[0].Body != "" || kept[0].Args == "" || len(kept[0].Args) >= len(before) {
			t.Errorf("the row keeps %d bytes of text and %d of what it says (the text is %d): %s", len(kept[0].Body), len(kept[0].Args), len(before), kept[0].Args)
		}
		// a message queued before migration 074 (its text, no arguments), and one whose arguments cannot be read
		var phone string
		if err := db.QueryRowRaw(ctx, `SELECT phone FROM outbox WHERE case_id = ?`, c.ID).Scan(&phone); err != nil {
			t.Fatal(err)
		}
		const oldText = "【天山镇】您申请的事项已受理（074之前排入的短信）"
		if err := db.ExecRaw(ctx, `INSERT INTO outbox (id, case_id, phone, lang, template, body, attempts, next_at, created_at, channel) VALUES ('old-074', ?, ?, 'mn+zh', 'accepted', ?, 0, ?, ?, 'sms')`,
			c.ID, phone, oldText, db.Now(), db.Now()); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(ctx, `INSERT INTO outbox (id, case_id, phone, lang, template, args, body, attempts, next_at, created_at, channel) VALUES ('bad-074', ?, ?, 'mn+zh', 'accepted', '{"key":', '', 0, ?, ?, 'sms')`,
			c.ID, phone, db.Now(), db.Now()); err != nil {
			t.Fatal(err)
		}

		gw := &recorder{sent: map[string][]string{}}
		if err := w.svc.SendDue(ctx, gw); err != nil {
			t.Fatal(err)
		}
		if got := gw.sent[phone]; !slices.Equal(got, []string{before, oldText}) && !slices.Equal(got, []string{oldText, before}) {
			t.Fatalf("sent %q\nwant %q and %q", got, before, oldText)
		}
		shown, err := w.svc.Messages(ctx, c.ID)
		if err != nil || len(shown) != 3 {
			t.Fatalf("%d messages: %v", len(shown), err)
		}
		for _, m := range shown {
			switch m.ID {
			case "bad-074": // parked, not sent: no retry reads it
				if o, err := db.OutgoingByID(ctx, m.ID); err != nil || o.Parked.IsZero() || !o.Sent.IsZero() {
					t.Errorf("the unreadable message: %+v %v", o, err)
				}
				continue
			case "old-074":
				if m.Body != oldText {
					t.Errorf("the old message shows %q", m.Body)
				}
			default:
				if m.Body != before {
					t.Errorf("shown %q\nsent  %q", m.Body, before)
				}
			}
			h := sha256.Sum256([]byte(m.Body))
			if !service.SentText(m, m.Body) || !strings.Contains(m.Receipt, hex.EncodeToString(h[:8])) || service.SentText(m, m.Body+"。") {
				t.Errorf("the receipt %q does not prove %q", m.Receipt, m.Body)
			}
		}
		// an administrator corrects the text: shown again, the message reads the correction; its receipt says
		// that this is not what went out
		cat.Override("msg.accepted", i18n.Message{Zh: "您的{item}已受理，编号{no}。", Mn: cat.Base("msg.accepted").Mn})
		again, _ := w.svc.Messages(ctx, c.ID)
		for _, m := range again {
			if m.ID != "old-074" && m.ID != "bad-074" && (m.Body == before || service.SentText(m, m.Body) || !service.SentText(m, before)) {
				t.Errorf("after the correction: %q, receipt %q", m.Body, m.Receipt)
			}
		}
	})
}

// The 告知承诺书 issued with the acceptance keeps no paper of its own (issue 18): it refers to the acceptance
// notice's, which says the same byte for byte, and reads as that one does by its id, its code and with its
// case's notices; the consistency check finds every referred paper.
func TestPledgeNoticeSharesItsPaper(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		m := mats(false)
		m[3].Check = cases.Pledged
		by, _ := clock.ParseDate(db.Now().AddDate(0, 0, 10).Format("2006-01-02"))
		if c, err = w.svc.Act(ctx, access.System, c.ID, c.Version, cases.Accept, cases.Input{Materials: m, CheckBy: by}); err != nil {
			t.Fatal(err)
		}
		list, err := db.NoticesOf(ctx, c.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("%d notices: %v", len(list), err)
		}
		byKind := map[string]store.Notice{}
		for _, n := range list {
			byKind[n.Kind] = n
		}
		acc, pl := byKind[cases.NoticeAccept], byKind[cases.NoticePledge]
		if acc.Doc == "" || pl.Doc != acc.Doc || !strings.Contains(pl.Doc, "家庭收入和财产状况声明") {
			t.Fatalf("accept %q\npledge %q", acc.Doc, pl.Doc)
		}
		var own, of string
		if err := db.QueryRowRaw(ctx, `SELECT doc, COALESCE(paper_of, '') FROM notices WHERE id = ?`, pl.ID).Scan(&own, &of); err != nil || own != "" || of != acc.ID {
			t.Fatalf("the pledge notice keeps %q and refers to %q (the acceptance is %s): %v", own, of, acc.ID, err)
		}
		for _, read := range []func() (store.Notice, error){
			func() (store.Notice, error) { return db.NoticeByID(ctx, pl.ID) },
			func() (store.Notice, error) { return db.NoticeByCode(ctx, pl.Code) },
		} {
			if n, err := read(); err != nil || n.Doc != acc.Doc || n.Kind != cases.NoticePledge || n.No != pl.No {
				t.Errorf("read %+v: %v", n, err)
			}
		}
		v, err := w.svc.Notice(ctx, access.System, c.ID, pl.ID)
		if err != nil || v.Paper.Case.Pledge == nil || len(v.Paper.Case.WithCheck(cases.Pledged)) != 1 {
			t.Fatalf("the pledge notice reads %+v: %v", v.Paper.Case.Materials, err)
		}
		paperGone := func() []store.Finding {
			t.Helper()
			rep, err := db.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []store.Finding
			for _, f := range rep.Findings {
				if strings.Contains(f.What, "paper") {
					out = append(out, f)
				}
			}
			return out
		}
		if f := paperGone(); len(f) != 0 {
			t.Errorf("check: %+v", f)
		}
		if err := db.ExecRaw(ctx, `UPDATE notices SET paper_of = 'gone' WHERE id = ?`, pl.ID); err != nil {
			t.Fatal(err)
		}
		if f := paperGone(); len(f) != 1 || f[0].Count != 1 || f[0].Example != pl.No {
			t.Errorf("a notice whose paper is gone: %+v", f)
		}
	})
}

// A sender's round reads the cases its messages name in one statement (texts.read): each message still names
// its own case, in both languages, as it would read alone.
func TestSMSRoundNamesEachCase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		from, cat := w.targets["T1"], w.svc.Catalog
		var want []string
		var phone string
		for range 3 {
			c, err := w.svc.Receive(ctx, w.actors["yangshulin.agent"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["V1"], Authorisation: "书面委托书（本人签字）"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
				t.Fatal(err)
			}
			want = append(want, "【"+from.Name("mn")+"】"+cat.T(i18n.Mn, "msg.accepted", "item", c.ItemNameIn("mn"), "no", c.No)+
				" / "+"【"+from.NameZh+"】"+cat.T(i18n.Zh, "msg.accepted", "item", c.ItemName, "no", c.No))
			if err := db.QueryRowRaw(ctx, `SELECT phone FROM outbox WHERE case_id = ?`, c.ID).Scan(&phone); err != nil {
				t.Fatal(err)
			}
		}
		gw := &recorder{sent: map[string][]string{}}
		if err := w.svc.SendDue(ctx, gw); err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(gw.sent[phone])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("one round sent\n%q\nwant\n%q", got, want)
		}
	})
}
