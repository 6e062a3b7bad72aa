package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/gen"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// What the search box was given: a case number with or without its prefix, an ID number whole or its last
// digits (an X at the end too), a phone's last four, a name or pinyin.
func TestParseKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want store.Key
	}{
		{"", store.Key{}},
		{"   ", store.Key{}},
		{"2026000518", store.Key{Kind: store.KeyDigits, Digits: "2026000518"}},
		{"天山2026000518", store.Key{Kind: store.KeyCaseNo, Prefix: "天山", Digits: "2026000518"}},
		{" 天山 2026000518 ", store.Key{Kind: store.KeyCaseNo, Prefix: "天山", Digits: "2026000518"}},
		{"150421198503152018", store.Key{Kind: store.KeyIDNumber, Digits: "150421198503152018"}},
		{"15042119850315201x", store.Key{Kind: store.KeyIDNumber, Digits: "15042119850315201X"}},
		{"2018", store.Key{Kind: store.KeyDigits, Digits: "2018"}},
		{"15201x", store.Key{Kind: store.KeyDigits, Digits: "15201X"}},
		{"201", store.Key{Kind: store.KeyText, Text: "201"}},
		{"巴特尔", store.Key{Kind: store.KeyText, Text: "巴特尔"}},
		{"bateer", store.Key{Kind: store.KeyText, Text: "bateer"}},
		{"低保%_", store.Key{Kind: store.KeyText, Text: "低保"}},
		{"天山202600051", store.Key{Kind: store.KeyText, Text: "天山202600051"}},
	} {
		if got := store.ParseKey(tc.in); got != tc.want {
			t.Errorf("ParseKey(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// genWorld is the demo world with n generated cases of the last four months.
func genWorld(t *testing.T, db *store.DB, n int) (*service.Service, string) {
	t.Helper()
	svc := testkit.Demo(t, db)
	to := time.Date(2026, 11, 20, 18, 0, 0, 0, clock.DefaultRules().Location)
	if _, err := gen.Run(ctx, svc, gen.Config{N: n, Seed: 7, From: to.AddDate(0, -4, 0), To: to}); err != nil {
		t.Fatal(err)
	}
	banner, err := db.OrgByCode(ctx, "150421")
	if err != nil {
		t.Fatal(err)
	}
	return svc, banner.Path
}

// Paging by keyset, in both orders (the queue's and newest first): every case that matches comes exactly
// once across the pages, none is left out, the count is right, and cases received while someone pages
// neither repeat nor push a case out of the pages still to come.
func TestSearchCasesKeysetPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, root := genWorld(t, db, 400)
		for _, q := range []store.CaseQuery{
			{Root: root},
			{Root: root, Open: "open", Queue: true, ActOn: []cases.State{cases.Received, cases.Decided}},
			{All: true, Open: "open", Queue: true}, // the administrator: acts on none, every open case by its day
			{Root: root, Open: "closed"},
		} {
			all := q
			all.Limit = store.CountCap
			whole, err := db.SearchCases(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			if len(whole.Cases) == 0 || whole.Total != len(whole.Cases) || whole.Next != "" {
				t.Fatalf("%+v: one page of %d, total %d, next %q", q, len(whole.Cases), whole.Total, whole.Next)
			}
			if q.Queue {
				queueOrdered(t, svc, whole.Cases, q.ActOn)
			}
			seen := map[string]int{}
			q.Limit = 13
			pages := 0
			for {
				p, err := db.SearchCases(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total < whole.Total {
					t.Fatalf("count %d on page %d, want at least %d", p.Total, pages, whole.Total)
				}
				if len(p.Cases) > q.Limit {
					t.Fatalf("page of %d", len(p.Cases))
				}
				for _, c := range p.Cases {
					seen[c.ID]++
				}
				pages++
				if pages == 2 { // a window receives a case in the middle of the paging
					insertCase(t, svc, db)
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("case %s came %d times", id, n)
				}
			}
			for i, c := range whole.Cases {
				if seen[c.ID] != 1 {
					t.Fatalf("case %d (%s) of the whole list is missing from the pages", i, c.No)
				}
			}
			if pages < 2 {
				t.Fatalf("only %d page(s) of %d cases for %+v", pages, whole.Total, q)
			}
		}
		// a queue read whole from its scope's own indexes, and the same queue as a scope of more than
		// store.CountCap open cases reads it (PostgreSQL: an ordered probe per organisation and state; SQLite:
		// the banner's due-order index walked in order), are one list, page by page: the banner's, a
		// township's (cases it handles), a village's (cases its station received and the township handles), a
		// department's (its items' cases, handled and received in the townships) and the township of a case
		// received there and handled by neither its receiver nor that township (the receiving arm's own index)
		open, err := db.SearchCases(ctx, store.CaseQuery{Root: root, Open: "open", Limit: store.CountCap})
		if err != nil {
			t.Fatal(err)
		}
		scopes := []store.CaseQuery{{Root: root}}
		var village, township, department, away bool
		for _, c := range open.Cases {
			rec, err := db.Org(ctx, c.Receiving)
			if err != nil {
				t.Fatal(err)
			}
			hand, err := db.Org(ctx, c.Handling)
			if err != nil {
				t.Fatal(err)
			}
			recTownship := rec
			for recTownship.Kind != org.Township && recTownship.ParentID != "" {
				if recTownship, err = db.Org(ctx, recTownship.ParentID); err != nil {
					t.Fatal(err)
				}
			}
			switch {
			case c.Handling != c.Receiving && recTownship.Kind == org.Township && c.Handling != recTownship.ID && !away:
				away = true
				scopes = append(scopes, store.CaseQuery{Root: recTownship.Path})
			case (rec.Kind == org.Village || rec.Kind == org.Station) && !village:
				village = true
				scopes = append(scopes, store.CaseQuery{Root: rec.Path})
			case hand.Kind == org.Township && !township:
				township = true
				scopes = append(scopes, store.CaseQuery{Root: hand.Path})
			case c.Department != "" && !department:
				department = true
				dep, err := db.Org(ctx, c.Department)
				if err != nil {
					t.Fatal(err)
				}
				scopes = append(scopes, store.CaseQuery{Root: dep.Path, Department: dep.ID})
			}
		}
		if !village || !township || !department || !away {
			t.Fatalf("the generated cases have no station's (%v), township's (%v), department's (%v) or elsewhere handled (%v) open case", village, township, department, away)
		}
		for _, scope := range scopes {
			for _, acts := range [][]cases.State{{cases.Received, cases.Decided}, {cases.Accepted}, nil} {
				q := scope
				q.Open, q.Queue, q.ActOn, q.Limit = "open", true, acts, 7
				arms := queueIDs(t, db, q)
				restore := store.SetQueueArmsMax(0)
				large := queueIDs(t, db, q)
				restore()
				if len(arms) == 0 || !slices.Equal(arms, large) {
					t.Fatalf("%s acting on %v: %d cases read whole, %d as a large scope, or in another order", q.Root, acts, len(arms), len(large))
				}
			}
		}
		// a name held by many is found walking the cases newest first: the same cases, in the same order
		some, err := db.SearchCases(ctx, store.CaseQuery{Root: root, Limit: 1})
		if err != nil || len(some.Cases) == 0 {
			t.Fatal(err)
		}
		name := []rune(some.Names[some.Cases[0].ID])
		byName := store.CaseQuery{Root: root, Key: store.ParseKey(string(name[len(name)-2:])), Limit: 5}
		few := queueIDs(t, db, byName)
		restore := store.SetWideName(0)
		common := queueIDs(t, db, byName)
		restore()
		if len(few) == 0 || !slices.Equal(few, common) {
			t.Fatalf("%s: %d cases gathered by applicant, %d walked, or in another order", string(name), len(few), len(common))
		}
		// a cursor that was not made by the search is refused, naming the field
		if _, err := db.SearchCases(ctx, store.CaseQuery{Root: root, Limit: 10, After: "not-a-cursor"}); err == nil {
			t.Fatal("a forged cursor was taken")
		}
	})
}

// queueIDs pages through a search (the queue or any other) and lists its cases' ids in order.
func queueIDs(t *testing.T, db *store.DB, q store.CaseQuery) []string {
	t.Helper()
	var ids []string
	for {
		p, err := db.SearchCases(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Cases {
			ids = append(ids, c.ID)
		}
		if p.Next == "" {
			return ids
		}
		q.After = p.Next
	}
}

// queueOrdered checks the queue's order against the rule, computed here from the cases themselves: open
// cases only, those in a state acted on first, then by the nearest due day (none last), then by id. A
// standing clock's due day moves every day it stands: those are checked for their part only.
func queueOrdered(t *testing.T, svc *service.Service, list []cases.Case, acts []cases.State) {
	t.Helper()
	clk, err := svc.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := svc.DB.Now()
	for i := range list {
		list[i].Standing = list[i].StandingOn(clk, now)
	}
	key := func(c cases.Case) (int, int, string) {
		seg := 1
		if slices.Contains(acts, c.State) {
			seg = 0
		}
		due := 99999999
		if !c.Standing.Due.IsZero() {
			due = c.Standing.Due.Int()
		}
		return seg, due, c.ID
	}
	for i, c := range list {
		if c.State.Closed() {
			t.Fatalf("closed case %s in the queue", c.No)
		}
		if i == 0 {
			continue
		}
		s0, d0, id0 := key(list[i-1])
		s1, d1, id1 := key(c)
		if list[i-1].Standing.Stands || c.Standing.Stands {
			d0, d1, id0, id1 = 0, 0, "", ""
		}
		if s0 > s1 || (s0 == s1 && (d0 > d1 || (d0 == d1 && id0 > id1))) {
			t.Fatalf("queue out of order at %d: %s %s (%d, %d, %s) before %s %s (%d, %d, %s)", i, list[i-1].No, list[i-1].State, s0, d0, id0, c.No, c.State, s1, d1, id1)
		}
	}
}

// insertCase receives one case at 天山镇's window now.
func insertCase(t *testing.T, svc *service.Service, db *store.DB) {
	t.Helper()
	res, err := svc.Search(ctx, "最低生活保障", 1)
	if err != nil || len(res) == 0 {
		t.Fatal(err)
	}
	banner, _ := db.OrgByCode(ctx, "150421")
	staff, err := db.StaffIn(ctx, banner.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range staff {
		if s.Username != "tianshan.clerk" {
			continue
		}
		list, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: s.Actor().OrgPath, Limit: 1})
		if err != nil || len(list.List) == 0 {
			t.Fatalf("an applicant of 天山镇: %v", err)
		}
		if _, err := svc.Receive(ctx, s.Actor(), service.ReceiveInput{ItemID: res[0].Card.ID, ApplicantID: list.List[0].ID}, ""); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no tianshan.clerk")
}

// Applicants page the same way, and each kind of key finds the one it names.
func TestSearchApplicants(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, root := genWorld(t, db, 150)
		whole, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: root, Limit: store.CountCap})
		if err != nil || len(whole.List) < 15 || whole.Total != len(whole.List) {
			t.Fatalf("%d applicants, total %d: %v", len(whole.List), whole.Total, err)
		}
		seen := map[string]bool{}
		q := store.ApplicantQuery{Root: root, Limit: 4}
		for {
			p, err := db.SearchApplicants(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range p.List {
				if seen[a.ID] {
					t.Fatalf("%s twice", a.ID)
				}
				seen[a.ID] = true
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if len(seen) != len(whole.List) {
			t.Fatalf("pages held %d of %d", len(seen), len(whole.List))
		}
		a := whole.List[len(whole.List)/2]
		for _, key := range []string{a.IDNumber, a.IDNumber[12:], a.Phone[len(a.Phone)-4:], a.Name, pinyinOf(a.Name)} {
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: root, Key: store.ParseKey(key), Limit: store.CountCap})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, b := range p.List {
				found = found || b.ID == a.ID
			}
			if !found {
				t.Errorf("%q does not find %s %s", key, a.Name, a.IDNumber)
			}
		}
		// a name held by many is found walking the applicants newest first, not gathered by its terms and
		// sorted: the same applicants, in the same order, page by page, and the same count, which is the
		// number of applicants listed (for two characters or one, counted from the terms alone; for the whole
		// name and the pinyin, among the holders of its term)
		name := []rune(a.Name)
		for _, key := range []string{string(name[len(name)-2:]), string(name[:1]), a.Name, pinyinOf(a.Name)} {
			q := store.ApplicantQuery{Root: root, Key: store.ParseKey(key), Limit: 3}
			gathered, total := applicantIDs(t, db, q)
			restore := store.SetWideApplicants(0)
			walked, walkedTotal := applicantIDs(t, db, q)
			restore()
			if len(gathered) == 0 || !slices.Equal(gathered, walked) || total != walkedTotal || total != len(gathered) {
				t.Fatalf("%s: %d applicants gathered (count %d), %d walked (count %d), or in another order", key, len(gathered), total, len(walked), walkedTotal)
			}
		}
		// an organisation by its credit code's last digits, which the index of tails holds (migration 089)
		code := creditCodeOfDigits(0)
		o, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "organisation", Name: "阿鲁科尔沁旗某合作社", CreditCode: code, Phone: "13904765678", OrgID: a.OrgID}, "")
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]bool{code[12:]: true, code[14:]: true, code[10:14]: false, "5678": true} {
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: root, Key: store.ParseKey(key), Limit: store.CountCap})
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.ContainsFunc(p.List, func(b people.Applicant) bool { return b.ID == o.ID }); got != want {
				t.Errorf("%q finds the organisation %s: %v, want %v", key, code, got, want)
			}
		}
		// outside the scope, nothing
		if p, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: "/none/", Key: store.ParseKey(a.IDNumber), Limit: 10}); err != nil || len(p.List) != 0 || p.Total != 0 {
			t.Fatalf("outside the scope: %+v %v", p, err)
		}
	})
}

// applicantIDs pages through a search of applicants and lists their ids in order, with the first page's count.
func applicantIDs(t *testing.T, db *store.DB, q store.ApplicantQuery) ([]string, int) {
	t.Helper()
	var ids []string
	total := -1
	for {
		p, err := db.SearchApplicants(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if total < 0 {
			total = p.Total
		}
		for _, a := range p.List {
			ids = append(ids, a.ID)
		}
		if p.Next == "" {
			return ids, total
		}
		q.After = p.Next
	}
}

func pinyinOf(s string) string {
	full, _ := catalog.Pinyin(s)
	return full
}

// A township's lists of originals are paged newest first by keyset: every list once, in order.
func TestHandoffsPage(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		testkit.Demo(t, db)
		tw, err := db.OrgsByName(ctx, org.Township, "天山镇")
		if err != nil || len(tw) != 1 {
			t.Fatal(err)
		}
		to, err := db.OrgsByName(ctx, org.Township, "绍根镇")
		if err != nil || len(to) != 1 {
			t.Fatal(err)
		}
		made := map[string]bool{}
		for range 7 {
			if err := db.Write(ctx, func(tx *store.Tx) error {
				h := store.Handoff{From: tw[0].ID, To: to[0].ID}
				err := tx.CreateHandoff(access.System, &h, "天山", 2026)
				made[h.ID] = true
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, incoming := range []bool{false, true} {
			org := tw[0].ID
			if incoming {
				org = to[0].ID
			}
			seen, after, last := 0, "", "~"
			for {
				list, err := db.Handoffs(ctx, org, incoming, after, 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range list {
					if !made[h.ID] || h.ID >= last {
						t.Fatalf("list %s unknown or out of order", h.No)
					}
					last = h.ID
					seen++
				}
				if len(list) < 3 {
					break
				}
				after = list[len(list)-1].ID
			}
			if seen != 7 {
				t.Fatalf("incoming %v: %d lists over the pages, want 7", incoming, seen)
			}
		}
	})
}

// An applicant is found by a part of the name through its terms (migration 026): a character, two or more
// characters in a row, the pinyin or the initials from any syllable on; a renamed applicant by the new name
// only; the whole text must still appear.
func TestApplicantNameTerms(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		tw, err := db.OrgsByName(ctx, org.Township, "天山镇")
		if err != nil || len(tw) != 1 {
			t.Fatal(err)
		}
		a, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "王秀英", IDNumber: "11010519491231002X", Phone: "13904761234", OrgID: tw[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		found := func(q string) bool {
			t.Helper()
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{All: true, Key: store.ParseKey(q), Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range p.List {
				if x.ID == a.ID {
					return true
				}
			}
			return false
		}
		for q, want := range map[string]bool{"王": true, "秀英": true, "王秀英": true, "王秀": true, "英": true, "xiuying": true, "XiuYing": true,
			"wang": true, "wangxiuying": true, "wxy": true, "xy": true, "ying": true, "秀芳": false, "王英": false, "zhang": false, "xiuyingx": false} {
			if got := found(q); got != want {
				t.Errorf("%q finds 王秀英: %v, want %v", q, got, want)
			}
		}
		if _, err := svc.UpdateApplicant(ctx, access.System, a.ID, a.Version, "王淑芬", "13904761234", ""); err != nil {
			t.Fatal(err)
		}
		if found("秀英") || !found("淑芬") || !found("shufen") {
			t.Error("the renamed applicant's terms")
		}
		// a name with a space in it: its two characters either side of the space are no pair, and the count
		// of a pair, taken from the terms alone, is the names that hold it (乌力吉白音 holds 吉白, 乌力吉 白音
		// does not)
		for i, name := range []string{"乌力吉 白音", "乌力吉白音", "乌力吉\u202f白音"} {
			id := fmt.Sprintf("15042119800101%03d", 100+i)
			id += string(people.IDCheckChar(id))
			if _, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: name, IDNumber: id, Phone: "13904761234", OrgID: tw[0].ID}, ""); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{"吉白": 1, "白音": 3, "吉": 3} {
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{All: true, Key: store.ParseKey(q), Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != want || len(p.List) != want {
				t.Errorf("%q: count %d, %d listed, want %d", q, p.Total, len(p.List), want)
			}
		}
		// within a township, the terms find its own applicants and not another's (migration 034)
		other, err := db.OrgsByName(ctx, org.Township, "绍根镇")
		if err != nil || len(other) != 1 {
			t.Fatal(err)
		}
		for _, q := range []string{"淑芬", "王淑芬", "shufen", "wsf", "王"} {
			for _, in := range []struct {
				root string
				want bool
			}{{tw[0].Path, true}, {other[0].Path, false}} {
				p, err := db.SearchApplicants(ctx, store.ApplicantQuery{Root: in.root, Key: store.ParseKey(q), Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				got := slices.ContainsFunc(p.List, func(x people.Applicant) bool { return x.ID == a.ID })
				if got != in.want || (got && p.Total == 0) {
					t.Errorf("%q under %s finds 王淑芬: %v (count %d), want %v", q, in.root, got, p.Total, in.want)
				}
			}
		}
	})
}

// Migration 088 gives the names holding a space their terms again: a pair an older Bianmin made across the
// space is gone after it, and the pair's count (from the terms alone) is the names that hold it.
func TestTermsWithinWordsMigration(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		tw, err := db.OrgsByName(ctx, org.Township, "天山镇")
		if err != nil || len(tw) != 1 {
			t.Fatal(err)
		}
		id := "15042119800101200"
		a, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "乌力吉 白音", IDNumber: id + string(people.IDCheckChar(id)), Phone: "13904761234", OrgID: tw[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			t.Helper()
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{All: true, Key: store.ParseKey("吉白"), Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		// the pair as an older Bianmin made it, across the space, and 088 not yet applied
		exec(t, db, `INSERT INTO applicant_terms (term, org_id, applicant_id) VALUES ('b:吉白', ?, ?)`, tw[0].ID, a.ID)
		exec(t, db, `DELETE FROM schema_migrations WHERE version LIKE '088%'`)
		if n := count(); n != 1 {
			t.Fatalf("before the migration the old pair counts %d, want 1", n)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Fatalf("after the migration 吉白 counts %d, want 0", n)
		}
	})
}

// Migration 089 gives the organisations stored before it their credit code's last four, so that a search by
// them finds the organisation from the index of tails.
func TestCreditCodeTailMigration(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		tw, err := db.OrgsByName(ctx, org.Township, "天山镇")
		if err != nil || len(tw) != 1 {
			t.Fatal(err)
		}
		code := creditCodeOfDigits(1)
		o, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: code, OrgID: tw[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		finds := func() bool {
			t.Helper()
			p, err := db.SearchApplicants(ctx, store.ApplicantQuery{All: true, Key: store.ParseKey(code[14:]), Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(p.List, func(b people.Applicant) bool { return b.ID == o.ID })
		}
		// as an older Bianmin kept it: no tail for an organisation; 089 not yet applied
		exec(t, db, `UPDATE applicants SET id_tail = '' WHERE id = ?`, o.ID)
		exec(t, db, `DELETE FROM schema_migrations WHERE version LIKE '089%'`)
		if finds() {
			t.Fatal("found by its tail before the migration gave it one")
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if !finds() {
			t.Fatal("not found by its credit code's last digits after migration 089")
		}
	})
}

// creditCodeOfDigits is a valid credit code (GB 32100) whose last six characters are digits, as a clerk would
// type them into the search box; the nth such.
func creditCodeOfDigits(n int) string {
	for i := 0; ; i++ {
		body := fmt.Sprintf("MA%06d", i)
		first := "91150421" + body + string(people.OrgCodeCheckChar(body))
		if c := people.CreditCheckChar(first); strings.Trim(first[12:]+string(c), "0123456789") == "" {
			if n == 0 {
				return first + string(c)
			}
			n--
		}
	}
}
