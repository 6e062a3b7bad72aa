package web_test

import (
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// dibaoCase takes in a 最低生活保障 case at 天山镇's window for 其其格 (11010519491231002X; phone may be "")
// and returns it with the checks that see every material's original, as an acceptance sends them.
func dibaoCase(t *testing.T, r *testkit.Running, phone string) (cases.Case, []cases.MaterialCheck) {
	t.Helper()
	ctx := t.Context()
	tw, err := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	if err != nil || len(tw) != 1 {
		t.Fatal(tw, err)
	}
	ap, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: phone, OrgID: tw[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	found, _ := r.Service.Search(ctx, "最低生活保障", 1)
	it, err := r.DB.ItemVersion(ctx, found[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var seen []cases.MaterialCheck
	for _, m := range it.Materials {
		seen = append(seen, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
	}
	c, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: it.ID, ApplicantID: ap.ID, ReceivingOrg: tw[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	return c, seen
}

// caseMove is one move and its input, for actAll.
type caseMove struct {
	a  cases.Action
	in cases.Input
}

// actAll makes the moves in order as Bianmin itself and returns the case after the last.
func actAll(t *testing.T, r *testkit.Running, c cases.Case, moves ...caseMove) cases.Case {
	t.Helper()
	var err error
	for _, m := range moves {
		if c, err = r.Service.Act(t.Context(), access.System, c.ID, c.Version, m.a, m.in); err != nil {
			t.Fatalf("%s: %v", m.a, err)
		}
	}
	return c
}
