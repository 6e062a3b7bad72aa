package supervision

import (
	"testing"
	"time"

	"bianmin/internal/cases"
)

func TestTallyAndRates(t *testing.T) {
	facts := []Fact{
		{Handling: "T1", ReceivingTownship: "T1", Receiving: "V1", ReceivedBy: "a", Department: "D", Item: "I", Channel: cases.ByStation, ReceivedOn: 20261001, AcceptedOn: 20261001, DecidedOn: 20261005, OnTime: true, DaysUsed: 2},
		{Handling: "T1", ReceivingTownship: "T2", Receiving: "T2", ReceivedBy: "b", Department: "D", Item: "I", Channel: cases.AtWindow, ReceivedOn: 20261001, AcceptedOn: 20261002, Corrected: true},
		{Handling: "T1", ReceivingTownship: "T1", Receiving: "T1", Department: "D", Item: "J", Channel: cases.Online, ReceivedOn: 20260920, AcceptedOn: 20260921, DecidedOn: 20261001, DaysUsed: 9},
	}
	rows := Tally(20261001, facts)
	byTownship := AddUp(filter(rows, Township), 0)
	if len(byTownship) != 1 {
		t.Fatalf("townships: %+v", byTownship)
	}
	c := byTownship[0].Counts
	if c.Received != 2 || c.Accepted != 1 || c.FirstTime != 1 || c.Proxy != 1 || c.Completed != 1 || c.OnTime != 0 || c.DaysSum != 9 {
		t.Fatalf("1 Oct for T1: %+v", c)
	}
	// windows and people count under the receiving township
	for _, r := range filter(rows, Window) {
		if r.Value == "T2" && r.Township != "T2" {
			t.Fatalf("a window counts under its own township: %+v", r)
		}
	}
	l := Line{Counts: Counts{Completed: 10, OnTime: 9, Spread: map[int]int{1: 5, 3: 3, 8: 1, 20: 1}}}
	if l.P90Days() != 8 || l.OnTimeRate() != 0.9 {
		t.Fatalf("p90 %d, on time %v", l.P90Days(), l.OnTimeRate())
	}
	if (Line{}).OnTimeRate() != 0 || (Line{}).P90Days() != 0 {
		t.Fatal("nothing completed gives zero, not NaN")
	}
	s := map[int]int{3: 12, 0: 1, 21: 4}
	if enc := EncodeSpread(s); enc != "0:1 3:12 21:4" {
		t.Fatalf("encoded %q", enc)
	}
	if back := AddSpread(map[int]int{3: 1}, EncodeSpread(s)); back[3] != 13 || back[0] != 1 || back[21] != 4 {
		t.Fatalf("decoded %v", back)
	}
}

func filter(rows []Row, d Dim) []Row {
	var out []Row
	for _, r := range rows {
		if r.Dim == d {
			out = append(out, r)
		}
	}
	return out
}

func TestMonths(t *testing.T) {
	m, err := ParseMonth("2026-02")
	if err != nil {
		t.Fatal(err)
	}
	p := m.Period()
	if p.From.String() != "2026-02-01" || p.To.String() != "2026-02-28" || m.Prev().String() != "2026-01" || (Month{2026, time.January}).Prev().String() != "2025-12" {
		t.Fatalf("%v %v", p, m.Prev())
	}
	if (Month{2026, time.December}).Period().To.String() != "2026-12-31" {
		t.Fatal("December")
	}
	if _, err := ParseMonth("2026-13"); err == nil {
		t.Fatal("month 13")
	}
}
