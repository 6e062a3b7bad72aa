package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// fieldOf returns the first field error of an API error body.
func fieldOf(body map[string]any) (field, message string) {
	e, _ := body["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	if len(fs) == 0 {
		return "", ""
	}
	f := fs[0].(map[string]any)
	return f["field"].(string), f["message"].(string)
}

// Finding 9 and the second factor through the API, on both databases: registering a known person's ID number
// is accepted (202) with a ticket and a message in Chinese and Mongolian naming the phone on record the code
// went to, and finished by that code with that ticket alone;
// an account with a second factor is refused naming totp without its code.
func TestIdentityAndSecondFactorThroughTheAPI(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			ctx := t.Context()
			t1, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
			known, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: t1[0].ID}, "")
			if err != nil {
				t.Fatal(err)
			}
			body := map[string]string{"name": "冒名者", "id_number": known.IDNumber, "phone": "13700000001", "org_id": t1[0].ID,
				"password": "Caoyuan-2026-lv", "confirm_password": "Caoyuan-2026-lv"}
			msgs, tickets := map[string]string{}, map[string]string{}
			for _, lang := range []string{"zh", "mn"} {
				code, res, _ := apiCall(t, r.URL, "POST", "/api/v1/residents", "", body, "Accept-Language", lang)
				msg, _ := res["message"].(string)
				ticket, _ := res["registration_ticket"].(string)
				if code != http.StatusAccepted || res["code_sent_to"] != "139****5678" || !strings.Contains(msg, "139****5678") || ticket == "" || res["token"] != nil || res["expires"] != nil || res["resident"] != nil {
					t.Fatalf("%s: %d %v", lang, code, res)
				}
				msgs[lang], tickets[lang] = msg, ticket
			}
			if msgs["zh"] == msgs["mn"] {
				t.Error("the refusal is not in Mongolian")
			}
			sent, err := r.Service.AccountMessages(ctx, known.Phone)
			if err != nil || len(sent) != 2 {
				t.Fatalf("messages to the phone on record: %d %v", len(sent), err)
			}
			smsCode := regexp.MustCompile(`验证码为(\d{6})`).FindStringSubmatch(sent[1].Body)[1]
			// the code of the second registration finishes it only with the second's ticket
			code, res, _ := apiCall(t, r.URL, "POST", "/api/v1/residents", "", map[string]string{"id_number": known.IDNumber, "sms_code": smsCode, "registration_ticket": tickets["zh"]})
			if field, _ := fieldOf(res); code != http.StatusUnprocessableEntity || field != "sms_code" {
				t.Fatalf("the code with another registration's ticket: %d %v", code, res)
			}
			code, res, _ = apiCall(t, r.URL, "POST", "/api/v1/residents", "", map[string]string{"id_number": known.IDNumber, "sms_code": smsCode, "registration_ticket": tickets["mn"]})
			if code != http.StatusCreated || res["token"] == "" {
				t.Fatalf("confirm: %d %v", code, res)
			}

			// the second factor: enrol the supervisor through the service, then sign in by the API
			me, sess, err := r.Service.Login(ctx, "supervisor", demo.Password, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			en, _ := r.Service.NewEnrolment(me)
			secret, _ := people.DecodeTOTPSecret(en.Secret)
			now := r.DB.Now()
			r.DB.Now = func() time.Time { return now } // the codes below are computed for this instant
			if _, err := r.Service.Enrol(ctx, me, sess.Token, en.Secret, people.HOTP(secret, people.TOTPStepAt(now)-1, 6)); err != nil {
				t.Fatal(err)
			}
			code, res, _ = apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "supervisor", "password": demo.Password}, "Accept-Language", "mn")
			if field, msg := fieldOf(res); code != http.StatusUnauthorized || field != "totp" || msg == "" {
				t.Fatalf("without the code: %d %v", code, res)
			}
			code, res, _ = apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "supervisor", "password": demo.Password,
				"totp": people.HOTP(secret, people.TOTPStepAt(now), 6)})
			if code != http.StatusCreated || res["token"] == "" {
				t.Fatalf("with the code: %d %v", code, res)
			}
		})
	}
}

// The registration page of a known person's number asks for the code sent to the phone on record, and the
// code completes it.
func TestRegisterPageAsksForTheSMSCode(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	t1, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	known, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: t1[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	res := newClient(t, r.URL)
	code, page, _ := res.post("/resident/register", url.Values{"name": {"其其格"}, "id_number": {known.IDNumber}, "phone": {"13912345678"},
		"org": {t1[0].ID}, "password": {"Qiqige-2026-pw"}, "confirm_password": {"Qiqige-2026-pw"}})
	if code != http.StatusOK || !strings.Contains(page, `name="sms_code"`) || !strings.Contains(page, "139****5678") {
		t.Fatalf("register: %d\n%s", code, page)
	}
	code, page, _ = res.post("/resident/register", url.Values{"id_number": {known.IDNumber}, "sms_code": {"000000"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `name="sms_code"`) {
		t.Fatalf("a wrong code: %d\n%s", code, page)
	}
	sent, _ := r.Service.AccountMessages(ctx, known.Phone)
	sms := regexp.MustCompile(`验证码为(\d{6})`).FindStringSubmatch(sent[len(sent)-1].Body)[1]
	// another browser with the right code: the registration is this browser's (its ticket cookie)
	code, page, _ = newClient(t, r.URL).post("/resident/register", url.Values{"id_number": {known.IDNumber}, "sms_code": {sms}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `name="sms_code"`) {
		t.Fatalf("the code from another browser: %d\n%s", code, page)
	}
	code, _, loc := res.post("/resident/register", url.Values{"id_number": {known.IDNumber}, "sms_code": {sms}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/my") {
		t.Fatalf("the right code: %d %s", code, loc)
	}
}
