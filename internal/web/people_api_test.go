package web_test

import (
	"net/http"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

// The people of the hall over the API: the director sets seats and a roster (another township's director is
// refused); a leave without its substitute is refused naming the field by its label, with one it is taken and
// approved; the coverage is the director's, not the clerk's; a relation is declared.
func TestPeopleAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	bg := t.Context()
	tw, _ := r.DB.OrgsByName(bg, org.Township, "天山镇")
	center, _, _ := r.Service.CenterOf(bg, tw[0])
	kids, _ := r.DB.Children(bg, center.ID)
	w1 := kids[0].ID
	for _, k := range kids {
		if k.Desk == org.FrontDesk {
			w1 = k.ID
			break
		}
	}
	clerk2, err := r.Service.CreateStaff(bg, access.System, service.StaffInput{Username: "tianshan.clerk2", Name: "其其格", Role: "clerk", OrgID: tw[0].ID, Password: "Bianmin-2026-x"})
	if err != nil {
		t.Fatal(err)
	}
	dir, away, clerk := apiLogin(t, r, "tianshan.director"), apiLogin(t, r, "shaogen.director"), apiLogin(t, r, "tianshan.clerk")
	cred, _ := r.DB.CredentialsByUsername(bg, "tianshan.clerk")
	for _, id := range []string{cred.Staff.ID, clerk2.ID} {
		rec, _ := r.DB.StaffRecord(bg, id)
		body := service.StaffEdit{Version: rec.Version, Name: rec.Name, Role: "clerk", Seats: []string{w1}}
		if code, _, _ := apiCall(t, r.URL, "PUT", "/api/v1/staff/"+id, away, body); code != http.StatusForbidden {
			t.Fatalf("another township's director edited a record: %d", code)
		}
		if code, out, _ := apiCall(t, r.URL, "PUT", "/api/v1/staff/"+id, dir, body); code != http.StatusOK {
			t.Fatalf("edit: %d %v", code, out)
		}
	}
	mon := roster.Monday(clock.DateOf(r.DB.Now().In(clock.DefaultRules().Location))).AddDays(7)
	week := web.RosterIn{Monday: mon.String(), Entries: []web.EntryJSON{{Day: mon.String(), Half: "am", Seat: w1, Staff: cred.Staff.ID}}}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/people/rosters/"+center.ID, away, week); code != http.StatusForbidden {
		t.Fatalf("another township's director made the roster: %d", code)
	}
	if code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/people/rosters/"+center.ID, dir, week); code != http.StatusCreated {
		t.Fatalf("roster: %d %v", code, out)
	}
	in := roster.LeaveInput{From: mon.String(), To: mon.String(), Reason: "事假"}
	code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/people/leaves", clerk, in)
	fields, _ := out["error"].(map[string]any)["fields"].([]any)
	if code != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["label"] != "替岗或补位人员" {
		t.Fatalf("a leave without its substitute: %d %v", code, out)
	}
	in.Substitute = clerk2.ID
	code, l, _ := apiCall(t, r.URL, "POST", "/api/v1/people/leaves", clerk, in)
	if code != http.StatusCreated || l["state"] != "requested" {
		t.Fatalf("leave: %d %v", code, l)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/people/leaves/"+l["id"].(string)+"/moves", clerk, web.LeaveMoveIn{Move: "approve", Version: 1}); code != http.StatusForbidden {
		t.Fatalf("the clerk approved: %d", code)
	}
	if code, l, _ = apiCall(t, r.URL, "POST", "/api/v1/people/leaves/"+l["id"].(string)+"/moves", dir, web.LeaveMoveIn{Move: "approve", Version: 1}); code != http.StatusCreated || l["state"] != "approved" {
		t.Fatalf("approve: %d %v", code, l)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/people/coverage/"+center.ID, clerk, nil); code != http.StatusForbidden {
		t.Fatalf("the clerk read the coverage: %d", code)
	}
	if code, cov, _ := apiCall(t, r.URL, "GET", "/api/v1/people/coverage/"+center.ID, dir, nil); code != http.StatusOK || len(cov["seats"].([]any)) != len(kids) {
		t.Fatalf("coverage: %d %v", code, cov)
	}
	if code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/people/recusals", clerk, roster.DeclarationInput{Relation: "family", Number: "11010519491231002X", Name: "乌云其木格"}); code != http.StatusCreated {
		t.Fatalf("declare: %d %v", code, out)
	}
}
