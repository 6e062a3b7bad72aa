package upstream

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/rating"
)

var loc = time.FixedZone("CST", 8*3600)

func move(a cases.Action) Move {
	c := cases.Case{ID: "c1", No: "天山2026-1", Channel: cases.ByStation, Received: time.Date(2026, 3, 2, 9, 0, 0, 0, loc),
		Steps: []cases.Step{{Name: "初审"}, {Name: "审批"}}, Decision: &cases.Decision{Grant: true}, Suspensions: []cases.Suspension{{Suspension: clock.Suspension{Kind: "公示"}}}}
	return Move{Case: c, Event: cases.Event{Action: a, At: time.Date(2026, 3, 3, 10, 0, 0, 0, loc), Step: 1, Note: "理由"}, By: "张三", OrgCode: "150421100",
		Applicant: Person{Kind: "1", Name: "巴特尔", CardType: "111", CardNo: "150421198503152018", Phone: "13800001234", Address: "潘家湾村"},
		Item:      ItemCodes{ImplCode: "11150421MB1234567X4000012345", Name: "最低生活保障", Version: 2, CaseKind: 2}, Due: "2026-03-20", Loc: loc}
}

// Which moves send what up (issue 15 point 1: accepted, moved, suspended, decided, delivered), and every
// record a receiver of the national shape accepts.
func TestForMove(t *testing.T) {
	for _, tc := range []struct {
		a    cases.Action
		want string
	}{
		{cases.AskCorrection, ""}, // not yet 办件
		{cases.Claim, ""},
		{cases.Accept, "up_pro_accept,up_pro_process"},
		{cases.AcceptOwed, "up_pro_accept,up_pro_process"},
		{cases.Refuse, "up_pro_result"},
		{cases.Pass, "up_pro_process"},
		{cases.Return, "up_pro_process"},
		{cases.Suspend, "up_pro_special_procedure"},
		{cases.Resume, "up_pro_special_procedure"},
		{cases.ApproveExtension, "up_pro_special_procedure"},
		{cases.Decide, "up_pro_process,up_pro_result"},
		{cases.Issue, "up_pro_process"},
		{cases.Deliver, "up_pro_process"},
		{cases.Terminate, "up_pro_result"},
	} {
		recs := ForMove(move(tc.a))
		var got []string
		for i, r := range recs {
			got = append(got, string(r.Table))
			r.ID, r.Seq = "r", i+1
			if f := Validate(r); f != nil {
				t.Errorf("%s: record %d refused: %v (%v)", tc.a, i, f, r.Data)
			}
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: %v, want %s", tc.a, got, tc.want)
		}
	}
	// 特别程序种类 (A.7): an extension is 1, any other special procedure 2
	if ForMove(move(cases.ApproveExtension))[0].Data["special_type"] != "1" || ForMove(move(cases.Suspend))[0].Data["special_type"] != "2" {
		t.Error("special_type")
	}
	if ForMove(move(cases.Accept))[0].Data["apply_type"] != "3" {
		t.Error("a station's case is 代办 (3)")
	}
}

func TestValidate(t *testing.T) {
	good := ForMove(move(cases.Accept))[0]
	good.ID, good.Seq = "r1", 1
	for _, tc := range []struct {
		name  string
		edit  func(r *Record)
		field string
	}{
		{"no 实施编码", func(r *Record) { r.Data["task_code"] = "" }, "task_code"},
		{"实施编码 over 36", func(r *Record) { r.Data["task_code"] = strings.Repeat("1", 37) }, "task_code"},
		{"办件类型 outside A.6", func(r *Record) { r.Data["project_type"] = "3" }, "project_type"},
		{"a time not in the exchange's form", func(r *Record) { r.Data["accept_date"] = "2026/03/03" }, "accept_date"},
		{"an unknown field", func(r *Record) { r.Data["favourite_colour"] = "blue" }, "favourite_colour"},
		{"a wrong ID number", func(r *Record) { r.Data["applyer_page_code"] = "150421198503152019" }, "applyer_page_code"},
		{"an unknown table", func(r *Record) { r.Table = "up_pro_x" }, "table"},
		{"no place", func(r *Record) { r.Seq = 0 }, "id"},
	} {
		r := good
		r.Data = map[string]string{}
		for k, v := range good.Data {
			r.Data[k] = v
		}
		tc.edit(&r)
		f := Validate(r)
		if f == nil || f.Field != tc.field {
			t.Errorf("%s: %v, want a refusal of %s", tc.name, f, tc.field)
		}
	}
	// a switched-off class goes out empty and is still valid
	r := good
	Withhold(&r, []Class{Phone, IDNumber})
	if r.Data["contact_mobile"] != "" || r.Data["applyer_page_code"] != "" || r.Data["applyer_name"] == "" || Validate(r) != nil {
		t.Errorf("withheld: %v", r.Data)
	}
	ev := ForRating(rating.Rating{ID: "x", Subject: rating.Subject{CaseID: "c"}, CaseNo: "n", Channel: rating.Pad, Level: rating.Unsatisfied, RatedAt: time.Now(), Division: "150421100"}, loc)
	ev.ID, ev.Seq = "e", 1
	if f := Validate(ev); f != nil || ev.Data["satisfaction"] != "4" {
		t.Errorf("rating: %v %v", f, ev.Data)
	}
	sv := ForCard(Card{CaseID: "c", CaseNo: "n", Red: true, At: time.Now(), Area: "1"}, loc)
	sv.ID, sv.Seq = "s", 1
	if f := Validate(sv); f != nil || sv.Data["warn_type"] != "2" {
		t.Errorf("card: %v %v", f, sv.Data)
	}
}

func TestSignature(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"kind":"case"}`)
	sig := Sign([]byte("k"), now.Unix(), body)
	for _, tc := range []struct {
		name      string
		secret    string
		ts        int64
		body, sig string
		ok        bool
	}{
		{"as signed", "k", now.Unix(), string(body), sig, true},
		{"another key", "j", now.Unix(), string(body), sig, false},
		{"a changed body", "k", now.Unix(), `{"kind":"rating"}`, sig, false},
		{"an old timestamp (replay)", "k", now.Add(-10 * time.Minute).Unix(), string(body), Sign([]byte("k"), now.Add(-10*time.Minute).Unix(), body), false},
		{"no prefix", "k", now.Unix(), string(body), strings.TrimPrefix(sig, "sha256="), false},
	} {
		if got := Verify([]byte(tc.secret), strconv.FormatInt(tc.ts, 10), tc.sig, []byte(tc.body), now); got != tc.ok {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// The ledger keeps each record once, in its key's order, across a restart; a line cut short by a kill is
// dropped.
func TestLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	l, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(id string, seq int) Record {
		r := ForMove(move(cases.Pass))[0]
		r.ID, r.Seq = id, seq
		return r
	}
	st := func(rcs []Receipt) string {
		var s []string
		for _, r := range rcs {
			s = append(s, r.Status)
		}
		return strings.Join(s, ",")
	}
	rcs, _ := l.Take(Batch{Records: []Record{rec("a", 1), rec("c", 3)}}, nil)
	if st(rcs) != "accepted,retry" {
		t.Fatalf("first: %v", rcs)
	}
	l.Close()
	// a kill in the middle of a write leaves a line without its end
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"c","table":"up_pro_pro`)
	f.Close()
	l, err = OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	bad := rec("b", 2)
	bad.Data["event_name"] = "批准"
	rcs, _ = l.Take(Batch{Records: []Record{rec("a", 1), bad}}, nil)
	if st(rcs) != "duplicate,refused" || rcs[0].No != "R1" || !strings.Contains(rcs[1].Reason, "event_name") {
		t.Fatalf("after a restart: %v", rcs)
	}
	rcs, _ = l.Take(Batch{Records: []Record{rec("b", 2)}}, nil)
	rcs2, _ := l.Take(Batch{Records: []Record{rec("c", 3)}}, nil)
	if st(rcs)+","+st(rcs2) != "accepted,accepted" || len(l.Kept(0)) != 3 || l.Duplicates() != 1 {
		t.Fatalf("%v %v %d", rcs, rcs2, len(l.Kept(0)))
	}
}
