package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

// year2027 is a schedule for 2027 as a notice could make it (none is published as this is written): every
// day 第二条 gives off (元旦 1/1, 除夕-初三 2/5-2/8, 清明 4/5, 劳动节 5/1-5/2, 端午 6/9, 中秋 9/15, 国庆 10/1-10/3)
// in a period, arranged by the 调休 principles of FACTS.md §6.
const year2027 = `{"year": 2027, "notice": "test", "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
	{"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}, {"name": "清明节", "from": "2027-04-03", "to": "2027-04-05"},
	{"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"}, {"name": "端午节", "from": "2027-06-09", "to": "2027-06-09"},
	{"name": "中秋节", "from": "2027-09-15", "to": "2027-09-15"}, {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}],
	"workdays": ["2027-02-20"]}`

// bianmin calendar due: the due day on the calendars in the database, and whether it is provisional; loading
// the year's official schedule makes it final (FACTS.md §6.4).
func TestCalendarDue(t *testing.T) {
	e := testkit.SQLite(t)
	cases := []struct {
		args []string
		due  string
		prov bool
	}{
		{[]string{"2026-12-30", "5"}, "2027-01-07", true},              // over 元旦 2027, on the law alone
		{[]string{"2026-12-31", "1"}, "2027-01-04", true},              // FACTS.md §6.4
		{[]string{"2027-02-04", "1"}, "2027-02-11", true},              // 春节 2027 with its make-up days
		{[]string{"-natural", "2027-01-22", "14"}, "2027-02-11", true}, // ends on 春节: the next working day
		{[]string{"2026-03-02", "5"}, "2026-03-09", false},             // inside the official 2026 schedule
		{[]string{"2026-02-12", "5", "-natural"}, "2026-02-24", false},
	}
	for _, tc := range cases {
		out, err := cli(t, e, append([]string{"calendar", "due"}, tc.args...)...)
		if err != nil || !strings.HasPrefix(out, tc.due+":") || strings.Contains(out, "provisional") != tc.prov || strings.Contains(out, "final") == tc.prov {
			t.Errorf("calendar due %v: %q %v; want %s provisional %v", tc.args, out, err, tc.due, tc.prov)
		}
	}
	for _, bad := range [][]string{{"2026-12-30"}, {"30.12.2026", "5"}, {"2026-12-30", "five"}} {
		if _, err := cli(t, e, append([]string{"calendar", "due"}, bad...)...); err == nil {
			t.Errorf("calendar due %v: no error", bad)
		}
	}
	// the 2027 notice loaded into the database: final, and its own days count (元旦 1-3 January, 春节 2/5-2/13)
	f := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(f, []byte(year2027), 0o600)
	if out, err := cli(t, e, "import", "calendar", f); err != nil || !strings.Contains(out, "calendar 2027 loaded") {
		t.Fatalf("%q %v", out, err)
	}
	out, err := cli(t, e, "calendar", "due", "2027-02-04", "1")
	if err != nil || !strings.HasPrefix(out, "2027-02-15:") || !strings.Contains(out, "final") {
		t.Fatalf("after loading 2027: %q %v", out, err)
	}
}
