package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
	"bianmin/internal/upstream"
	"bianmin/internal/web"
)

// pageActions says, for every page action (each POST route of routes.go, and the pages that export), the API
// operation that does the same under the same rules, or, after "-", why there is none. A new page action
// fails the test until it is listed here.
var pageActions = map[string]string{
	// joint handling and complaints (issue 19)
	"POST /complain":                 "fileComplaint",
	"POST /complaint-answer/{token}": "-a signed link's rating of a complaint's answer: the complainant at a browser",
	"POST /cases/linked":             "receiveLinked",
	"POST /cases/{id}/handover":      "handOverCase",
	"POST /handovers/{id}":           "answerHandover",
	"POST /catalog/{id}/joint":       "saveCatalogItem", // the joint steps' form saves the item as the JSON editor does
	"POST /complaints":               "fileComplaint",
	"POST /complaints/{id}":          "answerComplaint",
	// delegated powers (issue 14): one page form each, several operations
	"POST /delegations":               "createDelegation",
	"POST /delegations/{id}":          "setDelegationChecklist",
	"POST /pairs":                     "setPair",
	"POST /help":                      "askHelp",
	"POST /help/{id}":                 "postHelp",
	"POST /cases/{id}/comments":       "commentCase",
	"POST /inspections":               "planInspection",
	"POST /inspections/{id}":          "recordInspectionVisit",
	"POST /delegations/{id}/files":    "attachDelegationFile",
	"POST /help/{id}/files":           "attachHelpFile",
	"POST /delegation-proposals/{id}": "confirmDelegationProposal", // and refuseDelegationProposal: one form per row, op=confirm|refuse
	// the people of the hall (issue 11)
	"POST /staff/{id}":                    "staffEdit",
	"POST /staff/{id}/photo":              "setStaffPhoto",
	"POST /people/attendance/{move}":      "attendanceSign",
	"POST /people/roster/{center}":        "rosterSave",
	"POST /people/leave":                  "leaveRequest",
	"POST /people/leave/{id}/{move}":      "leaveMove",
	"POST /people/recusal":                "recusalDeclare",
	"POST /people/back-office/{township}": "backOfficeSplitSet",
	"POST /people/board/{center}":         "publishBoardDoc",
	"POST /lang/{lang}":                   "-the language of this device: an API caller sends Accept-Language",
	"POST /login":                         "login",
	"POST /login/code":                    "-the second factor at a page sign-in (API tokens of accounts with a second factor: not yet)",
	"POST /logout":                        "logout",
	"POST /results":                       "-a resident's download of an electronic result by its code: a person at a browser",
	"POST /kiosk/{center}/ticket":         "hallIssueTicket",
	"POST /kiosk/{center}/checkin":        "-the kiosk's check-in of an appointment: a device in the hall",
	"POST /portal/center/{id}/book":       "-a resident books online (hallBookByPhone for staff)",
	"POST /my/appointments/{id}/cancel":   "-a resident's own appointment",
	"POST /evaluator/pair":                "-the evaluator tablet's own token",
	"POST /evaluator/rate":                "-the evaluator tablet's own token",
	"POST /rate/{token}":                  "-a signed link's rating (rateOwnCase for a signed-in resident)",
	"POST /revisit/{token}":               "-a signed link's 回访",
	"POST /resident/register":             "registerResident",
	"POST /resident/login":                "residentLogin",
	"POST /resident/logout":               "residentLogout",
	"POST /portal/guide/{id}/apply":       "applyOnline",
	"POST /my/cases/{id}/files":           "startUpload",
	"POST /my/rate/{id}":                  "rateOwnCase",
	"POST /orgs/{id}":                     "renameOrg",
	"POST /orgs/{id}/children":            "createOrg",
	"POST /orgs/{id}/items":               "setOrgItem",
	"POST /staff":                         "createStaff",
	"POST /applicants":                    "createApplicant",
	"POST /account/password":              "changePassword",
	"POST /account/2fa":                   "-enrolling a second factor shows a QR code to a person",
	"POST /admin/translations":            "saveTranslation",
	"POST /translate/string":              "changeMnString",
	"POST /translate/import":              "importMnFile",
	"POST /translate/import/{id}":         "applyMnImport",
	"POST /admin/import":                  "importDivisions",
	"POST /admin/calendar":                "importCalendar",
	"POST /cases":                         "receiveCase",
	"POST /cases/{id}":                    "moveCase",
	"POST /cases/{id}/orders":             "issueOrder",
	"POST /orders/{id}/answer":            "answerOrder",
	"POST /cases/{id}/result-code":        "resendResultCode",
	"POST /cases/{id}/files":              "startUpload",
	"POST /transfers":                     "sendTransfer",
	"POST /transfers/{id}/received":       "receiveTransfer",
	"POST /station/lists":                 "sendStationList",
	"POST /station/lists/{id}/received":   "receiveStationList",
	"POST /station/handover/{case}":       "handOver",
	"POST /standing":                      "createStanding",
	"POST /standing/{id}/revoke":          "revokeStanding",
	"POST /visits":                        "requestVisit",
	"POST /visits/{id}":                   "moveVisit",
	"POST /applicants/{id}/needs":         "saveNeeds",
	"POST /hall/signon":                   "hallSignOn",
	"POST /hall/signoff":                  "hallSignOff",
	"POST /hall/pause":                    "hallPause",
	"POST /hall/call":                     "hallCallNext",
	"POST /hall/tickets":                  "hallIssueTicket",
	"POST /hall/tickets/{id}/{move}":      "hallMoveTicket",
	"POST /hall/checkin":                  "hallCheckIn",
	"POST /hall/appointments":             "hallBookByPhone",
	"POST /hall/appointments/{id}/{move}": "hallMoveAppointment",
	"POST /hall/hours/{org}":              "setHours",
	"POST /enquiries":                     "recordEnquiry",
	"POST /enquiries/{id}":                "answerEnquiry",
	"POST /ratings/pair":                  "-pairing a tablet shows a code to a person",
	"POST /ratings/prompt":                "promptRating",
	"POST /ratings/paper":                 "enterPaperRating",
	"POST /ratings/{id}":                  "rectify",
	"POST /catalog/import":                "importCatalog",
	"POST /catalog/sync":                  "syncCatalog",
	"POST /catalog/{id}":                  "saveCatalogItem",
	"POST /catalog/{id}/status":           "setItemStatus",
	"POST /upstream":                      "createReceiver",
	"POST /upstream/{id}":                 "updateReceiver",
	"POST /upstream/{id}/test":            "testReceiver",
	"POST /outbox/{id}/resend":            "resendRecord",
	"GET /supervision/export.xlsx":        "supervisionDashboard",
	"GET /supervision/cases":              "supervisionCases",
	"GET /ratings/export/{format}":        "exportRatings",
	"GET /catalog/export/{format}":        "listCatalogItems",
	"GET /reports/{period}/{org}":         "getReport",
	"GET /translate/export/{format}":      "listMnStrings",
	"GET /translate/coverage.xlsx":        "mnCoverage",
	"GET /orders":                         "listOrders",
	"GET /catalog":                        "listCatalogItems",
	"GET /admin/calendar":                 "listCalendarYears",
	"GET /upstream":                       "listReceivers",
	"GET /upstream/{id}":                  "listDeliveries",
}

var routeRE = regexp.MustCompile(`mux\.HandleFunc\("((POST|GET) [^"]+)"`)

// Issue 15, must show: every page action has its API operation (or a reason written beside it), and the
// operation named exists in the OpenAPI document the API table generates.
func TestAPICoverage(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	r := testkit.Start(t, testkit.SQLite(t))
	resp, err := http.Get(r.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	ops := map[string]bool{}
	for _, item := range doc.Paths {
		for _, o := range item {
			ops[o.OperationID] = true
		}
	}
	var gaps []string
	for _, m := range routeRE.FindAllStringSubmatch(string(src), -1) {
		route := m[1]
		want, listed := pageActions[route]
		switch {
		case m[2] == "GET" && !listed:
			continue // a page that only reads: its data is in the API where an action's is
		case !listed:
			t.Errorf("the page action %s has no API operation listed in pageActions", route)
		case strings.HasPrefix(want, "-"):
			gaps = append(gaps, route+": "+want[1:])
		case !ops[want]:
			t.Errorf("%s: the operation %s is not in the API", route, want)
		}
	}
	t.Logf("%d operations; %d page actions without one:\n%s", len(ops), len(gaps), strings.Join(gaps, "\n"))
}

// The receivers' pages in both languages, a form error naming its field, a webhook's secret shown once,
// and the API under the same rule (an administrator's; a clerk is refused).
func TestUpstreamPages(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	admin := newClient(t, r.URL)
	admin.login("admin")
	code, body, _ := admin.post("/upstream", url.Values{"channel": {"webhook"}, "name": {"民政局业务系统"}, "url": {"ftp://x"}, "events": {"case"}})
	if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.Contains(body, "接收地址") {
		t.Fatalf("a bad address: %d", code)
	}
	code, body, _ = admin.post("/upstream", url.Values{"channel": {"webhook"}, "name": {"民政局业务系统"}, "url": {"http://127.0.0.1:9/hook"}, "events": {"case", "rating"}, "withheld": {"phone"}, "active": {"1"}})
	secret := regexp.MustCompile(`id="receiver-secret">[^<]*<code>([0-9a-f]{64})</code>`).FindStringSubmatch(body)
	if code != http.StatusOK || secret == nil {
		t.Fatalf("created: %d %s", code, body)
	}
	id := regexp.MustCompile(`action="/upstream/([0-9a-z-]{20,36})/test"`).FindStringSubmatch(body)[1]
	if code, _, loc := admin.post("/upstream/"+id+"/test", url.Values{}); code != http.StatusSeeOther || !strings.Contains(loc, "ok=test") {
		t.Fatalf("test: %d %s", code, loc)
	}
	admin.rendersIn("zh", []string{"/upstream", "/upstream/" + id, "/upstream/" + id + "?parked=1"})
	admin.rendersIn("mn", []string{"/upstream", "/upstream/" + id})
	if _, page := admin.get("/upstream/" + id); strings.Contains(page, secret[1]) || !strings.Contains(page, `class="delivery"`) {
		t.Error("the secret shows again, or the test delivery is not in the log")
	}
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	if code, _ := clerk.get("/upstream"); code != http.StatusForbidden {
		t.Errorf("a clerk reads the receivers: %d", code)
	}
	token := func(user string) string {
		resp, err := http.Post(r.URL+"/api/v1/session", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+demo.Password+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var s struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&s)
		return s.Token
	}
	get := func(tok, path string) (int, string) {
		req, _ := http.NewRequest("GET", r.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(token("admin"), "/api/v1/receivers/"+id+"/deliveries"); code != http.StatusOK || !strings.Contains(body, `"kind":"test"`) || strings.Contains(body, secret[1]) {
		t.Errorf("the API's log: %d %s", code, body)
	}
	if code, _ := get(token("tianshan.clerk"), "/api/v1/receivers"); code != http.StatusForbidden {
		t.Errorf("a clerk lists receivers: %d", code)
	}
	// the catalog sync: the upper platform's file becomes drafts whose differences are listed for review
	file, err := os.ReadFile("../upstream/testdata/task-general.json")
	if err != nil {
		t.Fatal(err)
	}
	dept := newClient(t, r.URL)
	dept.login("minzheng")
	dept.get("/catalog/sync")
	code, body, _ = dept.postFiles("/catalog/sync", map[string]string{}, map[string][2]any{"file": {"task-general.json", file}})
	if code != http.StatusOK || !strings.Contains(body, `id="sync-report"`) || strings.Count(body, `class="sync-entry`) != 3 ||
		!strings.Contains(body, "11150421MB1234567X400001234500") || !strings.Contains(body, "最低生活保障金领取证") {
		t.Fatalf("sync: %d %s", code, body)
	}
	dept.rendersIn("mn", []string{"/catalog/sync"})
	if code, _, _ = clerk.postFiles("/catalog/sync", map[string]string{}, map[string][2]any{"file": {"f.json", file}}); code != http.StatusForbidden {
		t.Errorf("a clerk syncs the catalog: %d", code)
	}
}

// The reference receiver documents its protocol: its OpenAPI document, generated from its table, holds the
// operation that takes records and the shapes of a batch and of a receipt.
func TestReceiverOpenAPI(t *testing.T) {
	l, err := upstream.OpenLedger(filepath.Join(t.TempDir(), "r.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := httptest.NewServer(web.ReceiverHandler(l, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		}
		Components struct{ Schemas map[string]any }
	}
	json.NewDecoder(resp.Body).Decode(&doc)
	if doc.Paths["/records"]["post"].OperationID != "takeRecords" || doc.Components.Schemas["Batch"] == nil || doc.Components.Schemas["Receipt"] == nil {
		t.Fatalf("the protocol's document: %+v", doc)
	}
}
