package roster

import (
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hours"
	"bianmin/internal/org"
)

var (
	win  = Seat{ID: "w1", NameZh: "综合受理窗口一", Desk: org.FrontDesk, General: true}
	win2 = Seat{ID: "w2", NameZh: "综合受理窗口二", Desk: org.FrontDesk, General: true}
	back = Seat{ID: "b1", NameZh: "后台审办区", Desk: org.BackOffice}
	mon  = clock.MustDate("2026-12-07")
)

func staff() map[string]Person {
	return map[string]Person{
		"ana":   {ID: "ana", Name: "安娜", Role: access.Clerk, Active: true, Seats: []string{"w1", "w2"}},
		"bat":   {ID: "bat", Name: "巴图", Role: access.Clerk, Active: true, Seats: []string{"w1", "w2"}},
		"cui":   {ID: "cui", Name: "崔", Role: access.Clerk, Active: true, Seats: []string{"w2"}},
		"gone":  {ID: "gone", Name: "离职", Role: access.Clerk, Active: false, Seats: []string{"w1"}},
		"rev":   {ID: "rev", Name: "审一", Role: access.Reviewer, Active: true, Seats: []string{"b1"}, Domains: []string{"民政"}},
		"rev2":  {ID: "rev2", Name: "审二", Role: access.Reviewer, Active: true, Seats: []string{"b1"}, Domains: []string{"民政", "医保"}},
		"rev3":  {ID: "rev3", Name: "审三", Role: access.Reviewer, Active: true, Seats: []string{"b1"}, Domains: []string{"公安"}},
		"all":   {ID: "all", Name: "通办", Role: access.Reviewer, Active: true, Seats: []string{"b1"}},
		"clerk": {ID: "clerk", Name: "前台", Role: access.Clerk, Active: true, Seats: []string{"b1"}},
	}
}

func seats() map[string]Seat { return map[string]Seat{"w1": win, "w2": win2, "b1": back} }

// Who may take whose place (三.(一).5): a qualified clerk at a window (替岗), a backup of the seat's domains
// in the back office (补位); nobody inactive, nobody of the other side, nobody for themself.
func TestCovers(t *testing.T) {
	p := staff()
	for _, c := range []struct {
		sub, absent string
		seat        Seat
		want        bool
	}{
		{"bat", "ana", win, true},
		{"cui", "ana", win, false},    // not qualified for window one
		{"cui", "ana", win2, true},    // but for window two
		{"gone", "ana", win, false},   // deactivated
		{"ana", "ana", win, false},    // oneself
		{"rev", "ana", win, false},    // a reviewer is not a front desk
		{"rev2", "rev", back, true},   // handles 民政 too
		{"rev", "rev2", back, false},  // does not handle 医保
		{"rev3", "rev", back, false},  // another domain
		{"all", "rev2", back, true},   // 一人通办 backs up everything
		{"rev", "all", back, false},   // nobody but another 通办 backs up 通办
		{"clerk", "rev", back, false}, // a clerk does not sit in the back office (受办分离)
	} {
		if got := Covers(p[c.sub], p[c.absent], c.seat, true); got != c.want {
			t.Errorf("split: %s for %s at %s: %v, want %v", c.sub, c.absent, c.seat.ID, got, c.want)
		}
	}
	// a township that keeps 一人通办: every qualified reviewer backs up every other; the front desk as before
	for _, c := range []struct {
		sub, absent string
		seat        Seat
		want        bool
	}{
		{"rev3", "rev", back, true},
		{"rev", "all", back, true},
		{"clerk", "rev", back, false},
		{"cui", "ana", win, false},
		{"rev", "rev", back, false},
	} {
		if got := Covers(p[c.sub], p[c.absent], c.seat, false); got != c.want {
			t.Errorf("一人通办: %s for %s at %s: %v, want %v", c.sub, c.absent, c.seat.ID, got, c.want)
		}
	}
}

// Which items one handles by the domains on one's record (一人负责一块), and who may then work a case: only
// a reviewer of a township that splits its back office is held to their domains.
func TestDomains(t *testing.T) {
	for _, c := range []struct {
		domains []string
		dept    string
		topics  []string
		want    bool
	}{
		{nil, "民政局", []string{"社会救助"}, true},                      // 一人通办
		{[]string{"民政"}, "民政局", nil, true},                        // part of the department's name
		{[]string{"民政"}, "阿鲁科尔沁旗民政局", nil, true},                  // the department's full name
		{[]string{"民政"}, "医疗保障局", []string{"社会救助", "就医"}, false},  // another department, another topic
		{[]string{"社会救助"}, "医疗保障局", []string{"社会救助", "就医"}, true}, // a topic
		{[]string{"医保", "社会救助"}, "公安局", []string{"户籍"}, false},    // none of them
		{[]string{"救助"}, "医疗保障局", []string{"社会救助"}, false},        // a topic is matched whole
		{[]string{""}, "民政局", nil, false},                         // an empty domain names nothing
	} {
		if got := Handles(c.domains, c.dept, c.topics); got != c.want {
			t.Errorf("%v handles %s %v: %v, want %v", c.domains, c.dept, c.topics, got, c.want)
		}
	}
	for _, c := range []struct {
		domains, others []string
		want            bool
	}{
		{nil, nil, true}, {nil, []string{"民政"}, true}, {[]string{"民政"}, nil, false},
		{[]string{"民政", "医保"}, []string{"民政"}, true}, {[]string{"民政"}, []string{"民政", "医保"}, false},
	} {
		if got := HandlesAll(c.domains, c.others); got != c.want {
			t.Errorf("%v handles all of %v: %v, want %v", c.domains, c.others, got, c.want)
		}
	}
	p := staff()
	dir := Person{ID: "dir", Role: access.Director, Active: true, Domains: []string{"公安"}}
	for _, c := range []struct {
		who   Person
		split bool
		want  bool
	}{
		{p["rev"], false, true},  // 一人通办: the domains do not restrict
		{p["rev"], true, true},   // 民政 item
		{p["rev3"], true, false}, // 公安 only: refused
		{p["all"], true, true},   // names none: handles everything
		{dir, true, true},        // the director answers for the whole back office
	} {
		if got := MayWork(c.who, c.split, "民政局", []string{"社会救助"}); got != c.want {
			t.Errorf("%s (split %v) may work a 民政 item: %v, want %v", c.who.ID, c.split, got, c.want)
		}
	}
}

// A station's one seat is kept by the village's agents; nobody else sits there.
func TestStationSeat(t *testing.T) {
	st := SeatOf(org.Org{ID: "s1", Kind: org.Station, NameZh: "嘎查便民服务站"})
	if st.Desk != StationDesk {
		t.Fatalf("a station's seat: %+v", st)
	}
	agent := Person{ID: "ag", Role: access.Agent, Active: true}
	agent2 := Person{ID: "ag2", Role: access.Agent, Active: true}
	if !Qualified(agent, st) || Qualified(Person{ID: "x", Role: access.Agent}, st) || Qualified(staff()["ana"], st) {
		t.Error("who keeps a station")
	}
	if !Covers(agent2, agent, st, true) || Covers(staff()["ana"], agent, st, false) {
		t.Error("who covers at a station")
	}
	if Qualified(agent, win) {
		t.Error("an agent at a center's window")
	}
}

func week() []Entry {
	var out []Entry
	for i := 0; i < 5; i++ {
		d := mon.AddDays(i)
		for _, h := range Halves {
			out = append(out, Entry{d, h, "w1", "ana"}, Entry{d, h, "w2", "cui"}, Entry{d, h, "b1", "rev"})
		}
	}
	return out
}

// The leave's rule: approval is refused while any rostered half-day of its days would be empty.
func TestCheckCover(t *testing.T) {
	p, s, w := staff(), seats(), week()
	tue, wed := mon.AddDays(1), mon.AddDays(2)
	sat := mon.AddDays(5)
	approvedBat := Leave{Staff: "bat", From: tue, To: tue, State: Approved}
	for _, c := range []struct {
		name  string
		l     Leave
		other []Leave
		want  string // the error key, "" for none
	}{
		{"no substitute", Leave{Staff: "ana", From: tue, To: wed}, nil, "err.people.sub_required"},
		{"qualified clerk", Leave{Staff: "ana", From: tue, To: wed, Substitute: "bat"}, nil, ""},
		{"not qualified for the window", Leave{Staff: "ana", From: tue, To: wed, Substitute: "rev"}, nil, "err.people.sub_unqualified"},
		{"substitute rostered elsewhere", Leave{Staff: "ana", From: tue, To: wed, Substitute: "cui"}, nil, "err.people.sub_unqualified"},
		{"substitute on leave", Leave{Staff: "ana", From: tue, To: wed, Substitute: "bat"}, []Leave{approvedBat}, "err.people.sub_on_leave"},
		{"a weekend leave needs nobody", Leave{Staff: "ana", From: sat, To: sat.AddDays(1)}, nil, ""},
		{"back office backup of the domain", Leave{Staff: "rev", From: tue, To: tue, Substitute: "rev2"}, nil, ""},
		{"back office backup of another domain", Leave{Staff: "rev", From: tue, To: tue, Substitute: "rev3"}, nil, "err.people.sub_unqualified"},
		{"unknown substitute", Leave{Staff: "ana", From: tue, To: tue, Substitute: "nobody"}, nil, "err.not_found"},
	} {
		err := CheckCover(c.l, w, s, p, c.other, true)
		got := ""
		if e := errs.All(err); len(e) > 0 {
			got = e[0].Key
			if e[0].Field != "substitute" {
				t.Errorf("%s: field %q", c.name, e[0].Field)
			}
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// cui is qualified for window two only; rostered there, she cannot also sit at window one
	busy := append(week(), Entry{tue, AM, "w2", "bat"})
	if err := CheckCover(Leave{Staff: "ana", From: tue, To: tue, Substitute: "bat"}, busy, s, p, nil, true); errs.All(err)[0].Key != "err.people.sub_busy" {
		t.Errorf("a substitute rostered at another seat: %v", err)
	}
}

func TestLeaveInput(t *testing.T) {
	today := mon
	for _, c := range []struct {
		in     LeaveInput
		fields []string
	}{
		{LeaveInput{From: "2026-12-08", To: "2026-12-09", Reason: "病假", Substitute: "bat"}, nil},
		{LeaveInput{From: "", To: "", Reason: ""}, []string{"leave_from", "leave_to", "leave_reason"}},
		{LeaveInput{From: "2026-12-01", To: "2026-12-09", Reason: "x"}, []string{"leave_from"}},
		{LeaveInput{From: "2026-12-09", To: "2026-12-08", Reason: "x"}, []string{"leave_to"}},
		{LeaveInput{From: "2026-12-08", To: "2027-03-08", Reason: "x"}, []string{"leave_to"}},
		{LeaveInput{From: "2026-12-08", To: "2026-12-08", Reason: "x", Substitute: "ana"}, []string{"substitute"}},
		{LeaveInput{From: "12/8", To: "2026-12-08", Reason: "x"}, []string{"leave_from"}},
	} {
		_, err := c.in.Check("ana", today)
		var got []string
		for _, e := range errs.All(err) {
			got = append(got, e.Field)
		}
		if len(got) != len(c.fields) {
			t.Errorf("%+v: fields %v, want %v", c.in, got, c.fields)
			continue
		}
		for i := range got {
			if got[i] != c.fields[i] {
				t.Errorf("%+v: fields %v, want %v", c.in, got, c.fields)
			}
		}
	}
}

func TestLeaveOn(t *testing.T) {
	l := Leave{From: mon, To: mon.AddDays(4), State: Approved}
	r := l
	r.State, r.ReturnedOn = Returned, mon.AddDays(2)
	for _, c := range []struct {
		l    Leave
		d    clock.Date
		want bool
	}{
		{l, mon, true}, {l, mon.AddDays(4), true}, {l, mon.AddDays(5), false}, {l, mon.AddDays(-1), false},
		{r, mon.AddDays(1), true}, {r, mon.AddDays(2), false}, // 销假: back from the day of return
		{Leave{From: mon, To: mon, State: Requested}, mon, false}, {Leave{From: mon, To: mon, State: Rejected}, mon, false},
	} {
		if got := c.l.On(c.d); got != c.want {
			t.Errorf("%s %v on %s: %v", c.l.State, c.l.ReturnedOn, c.d, got)
		}
	}
}

// Coverage now: who sits, who covers, which seat is empty, and which raise the alert.
func TestNow(t *testing.T) {
	ss := []Seat{win, win2, back}
	entries := []Entry{{mon, AM, "w1", "ana"}, {mon, AM, "b1", "rev"}}
	leave := []Leave{{Staff: "ana", From: mon, To: mon, Substitute: "bat", State: Approved}}
	for _, c := range []struct {
		name        string
		leaves      []Leave
		in          map[string]bool
		open, begun bool
		want        []Cover
	}{
		{"all there", nil, map[string]bool{"ana": true, "rev": true}, true, true, []Cover{Present, Empty, Present}},
		{"before opening", nil, map[string]bool{}, true, false, []Cover{Expected, Empty, Expected}},
		{"absent without leave", nil, map[string]bool{"rev": true}, true, true, []Cover{Absent, Empty, Present}},
		{"on leave, covered", leave, map[string]bool{"bat": true, "rev": true}, true, true, []Cover{Covered, Empty, Present}},
		{"on leave, substitute missing", leave, map[string]bool{"ana": true, "rev": true}, true, true, []Cover{Empty, Empty, Present}},
		{"closed", nil, nil, false, false, []Cover{Closed, Closed, Closed}},
	} {
		got := Now(ss, entries, c.leaves, c.in, mon, c.open, c.begun)
		for i, n := range got {
			if n.State != c.want[i] {
				t.Errorf("%s: %s is %s, want %s", c.name, n.Seat.ID, n.State, c.want[i])
			}
		}
	}
	if !Absent.Alert() || !Empty.Alert() || Covered.Alert() || Closed.Alert() || Expected.Alert() {
		t.Error("alerts")
	}
}

func TestMarkDay(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	start := time.Date(2026, 12, 7, 8, 30, 0, 0, loc)
	at := func(h, m int) *Attendance { return &Attendance{In: time.Date(2026, 12, 7, h, m, 0, 0, loc)} }
	for _, c := range []struct {
		rostered, leave bool
		a               *Attendance
		begun           bool
		want            Mark
	}{
		{false, false, nil, true, Off},
		{true, true, nil, true, OnLeave},
		{true, false, nil, true, AbsentNL},
		{true, false, nil, false, Pending},
		{true, false, at(8, 20), true, OnTime},
		{true, false, at(8, 35), true, OnTime}, // within the grace
		{true, false, at(8, 36), true, Late},
	} {
		if got := MarkDay(c.rostered, c.leave, c.a, start, c.begun, Grace); got != c.want {
			t.Errorf("%+v: %s, want %s", c, got, c.want)
		}
	}
}

func TestCheckEntries(t *testing.T) {
	p, s := staff(), seats()
	ok := []Entry{{mon, AM, "w1", "ana"}, {mon, AM, "w2", "cui"}, {mon, PM, "w2", "ana"}}
	if err := CheckEntries(ok, s, p); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		e   []Entry
		key string
	}{
		"not qualified": {[]Entry{{mon, AM, "w1", "cui"}}, "err.people.not_qualified"},
		"two seats":     {[]Entry{{mon, AM, "w1", "ana"}, {mon, AM, "w2", "ana"}}, "err.people.double_booked"},
		"inactive":      {[]Entry{{mon, AM, "w1", "gone"}}, "err.people.not_qualified"},
		"no half":       {[]Entry{{mon, "noon", "w1", "ana"}}, "err.people.roster_slot"},
		"unknown seat":  {[]Entry{{mon, AM, "x", "ana"}}, "err.not_found"},
	} {
		e := errs.All(CheckEntries(c.e, s, p))
		if len(e) != 1 || e[0].Key != c.key {
			t.Errorf("%s: %v", name, e)
		}
	}
}

func TestCopyWeekAndHalves(t *testing.T) {
	next := CopyWeek(append(week(), Entry{mon.AddDays(7), AM, "w1", "bat"}), mon, mon.AddDays(7))
	if len(next) != 30 || next[0].Day != mon.AddDays(7) || next[29].Day != mon.AddDays(11) {
		t.Errorf("copied %d, %v .. %v", len(next), next[0].Day, next[len(next)-1].Day)
	}
	if Monday(clock.MustDate("2026-12-13")) != mon || Monday(mon) != mon || Monday(clock.MustDate("2026-12-09")) != mon {
		t.Error("Monday")
	}
	day := []hours.Span{{From: 510, To: 720}, {From: 870, To: 1050}, {From: 1080, To: 1200}}
	if am, pm := SpansOf(day, AM), SpansOf(day, PM); len(am) != 1 || len(pm) != 2 {
		t.Errorf("halves %v %v", am, pm)
	}
}

func TestDeclaration(t *testing.T) {
	good := "150421198503152018"
	d, err := DeclarationInput{Relation: "family", Number: "150421 19850315 201-8", Name: "巴特尔"}.Check("rev")
	if err != nil || d.Number != good {
		t.Fatalf("%v %v", d, err)
	}
	if _, err := (DeclarationInput{Relation: "cousin", Number: "1", Name: ""}).Check("rev"); len(errs.All(err)) != 3 {
		t.Errorf("want relation, number and name refused: %v", err)
	}
	if _, ok := Conflict([]Declaration{d}, good, ""); !ok {
		t.Error("the declared relative's case is not a conflict")
	}
	if _, ok := Conflict([]Declaration{d}, "150421198001010011", ""); ok {
		t.Error("another applicant is a conflict")
	}
	if _, ok := Conflict([]Declaration{{Number: ""}}, "", ""); ok {
		t.Error("an empty number matched an organisation's empty ID number")
	}
}

func TestDocCheckAndCurrent(t *testing.T) {
	today := mon
	good := DocInput{Kind: "norms", TitleZh: "服务规范", TitleMn: "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠵᠠᠰᠠᠭ", BodyZh: "一、首问负责", BodyMn: "ᠨᠢᠭᠡ", Effective: "2026-12-07"}
	if _, err := good.Check(today); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		in     DocInput
		fields []string
	}{
		"no Mongolian": {DocInput{Kind: "norms", TitleZh: "x", BodyZh: "y", Effective: "2026-12-08"}, []string{"doc_title_mn", "doc_body_mn"}},
		"past":         {DocInput{Kind: "rules", TitleZh: "x", TitleMn: "ᠠ", BodyZh: "y", BodyMn: "ᠠ", Effective: "2026-12-01"}, []string{"effective"}},
		"kind":         {DocInput{Kind: "menu", TitleZh: "x", TitleMn: "ᠠ", BodyZh: "y", BodyMn: "ᠠ", Effective: "2026-12-08"}, []string{"doc_kind"}},
		"long":         {DocInput{Kind: "duties", TitleZh: strings.Repeat("长", 101), TitleMn: "ᠠ", BodyZh: "y", BodyMn: "ᠠ", Effective: "2026-12-08"}, []string{"doc_title_zh"}},
	} {
		_, err := c.in.Check(today)
		var got []string
		for _, e := range errs.All(err) {
			got = append(got, e.Field)
		}
		if strings.Join(got, " ") != strings.Join(c.fields, " ") {
			t.Errorf("%s: %v, want %v", name, got, c.fields)
		}
	}
	docs := []Doc{
		{Kind: Norms, Version: 1, Effective: mon.AddDays(-30)},
		{Kind: Norms, Version: 2, Effective: mon},
		{Kind: Norms, Version: 3, Effective: mon.AddDays(10)}, // not yet in force
		{Kind: Rules, Version: 1, Effective: mon.AddDays(1)},
	}
	cur := Current(docs, mon)
	if cur[Norms].Version != 2 {
		t.Errorf("norms in force: v%d", cur[Norms].Version)
	}
	if _, ok := cur[Rules]; ok {
		t.Error("rules in force before their date")
	}
	if Current(docs, mon.AddDays(10))[Norms].Version != 3 {
		t.Error("the newer version did not come into force")
	}
}

// The board's flows come from the guides: the window's accept, the item's own steps by who does them, the
// window's issue; items that go the same way share a flow, the most shared first; a step's Mongolian comes
// from the translations, "" when there is none yet.
func TestFlows(t *testing.T) {
	wd := func(n int) catalog.Limit { return catalog.Limit{Value: n, Unit: catalog.WorkingDays} }
	simple := []catalog.Step{{Name: "受理", Role: "clerk", Level: 5, Limit: wd(1)}, {Name: "审核决定", Role: "reviewer", Level: 5, Limit: wd(4)}}
	items := []catalog.Item{
		{NameZh: "高龄津贴", Steps: simple},
		{NameZh: "身份证", Steps: []catalog.Step{{Name: "旗公安局审核签发", Role: "department", Level: 4, Limit: wd(19)}}},
		{NameZh: "护理补贴", Steps: simple},
		{NameZh: "低保", Steps: []catalog.Step{{Name: "受理", Role: "clerk", Level: 5, Limit: wd(1)}, {Name: "嘎查村公示", Role: "reviewer", Level: 6, Limit: catalog.Limit{Value: 7, Unit: catalog.NaturalDays}, Special: "公示"}}},
		{NameZh: "没有流程"},
		{NameZh: "户口", Steps: []catalog.Step{{Name: "旗公安局审核", Role: "department", Level: 4, Limit: wd(5)}}},                                                            // another department's name: the step is the department's
		{NameZh: "经济困难老年人护理补贴", Steps: []catalog.Step{{Name: "受理", Role: "clerk", Level: 5, Limit: wd(1)}, {Name: "审核决定", Role: "reviewer", Level: 5, Limit: wd(14)}}}, // other days, the same way
	}
	mn := func(zh string) string { return map[string]string{"受理": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ"}[zh] }
	flows := Flows(items, mn)
	if len(flows) != 4 || !slices.Equal(flows[0].Items, []int{0, 2, 6}) {
		t.Fatalf("flows: %+v", flows)
	}
	desks := func(f Flow) string {
		var out []string
		for _, s := range f.Steps {
			out = append(out, s.Kind+":"+s.Desk+":"+s.NameZh)
		}
		return strings.Join(out, " > ")
	}
	for i, want := range []string{
		"accept:front:受理 > :back:审核决定 > issue:front:",
		"accept:front: > :department: > issue:front:",
		"accept:front:受理 > :back:嘎查村公示 > issue:front:",
		"accept:front: > issue:front:",
	} {
		if got := desks(flows[i]); got != want {
			t.Errorf("flow %d: %s, want %s", i, got, want)
		}
	}
	if flows[0].Steps[0].NameMn == "" || flows[0].Steps[1].NameMn != "" {
		t.Errorf("the Mongolian of the steps: %+v", flows[0].Steps)
	}
	if flows[2].Steps[1].Special != "公示" {
		t.Errorf("a special procedure: %+v", flows[2].Steps[1])
	}
}
