package web_test

import (
	"net/http"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/testkit"
)

// The API refuses a return and a denial without reasons (cases.ReasonKey: 行政许可法 第38条 for the
// denial), naming the field by its label, in Chinese and in Mongolian, on both databases; nothing moves.
func TestAPIRefusesMovesWithoutReasons(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			ctx := t.Context()
			c, seen := dibaoCase(t, r, "")
			c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}})
			login := func(user string) string { return apiLogin(t, r, user) }
			refused := func(token, action string, input map[string]any, version int, wantZh, wantMn string) {
				t.Helper()
				for _, lang := range []struct{ accept, label, message string }{{"zh", "理由", wantZh}, {"mn", "ᠰᠢᠯᠲᠠᠭᠠᠨ", wantMn}} {
					code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+c.ID+"/moves", token,
						map[string]any{"version": version, "action": action, "input": input}, "Accept-Language", lang.accept)
					if code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
						t.Fatalf("%s without reasons (%s): %d %v", action, lang.accept, code, out)
					}
					body := out["error"].(map[string]any)
					fields, _ := body["fields"].([]any)
					if len(fields) != 1 {
						t.Fatalf("%s (%s): fields %v", action, lang.accept, body)
					}
					f := fields[0].(map[string]any)
					if f["field"] != "reason" || f["label"] != lang.label || f["message"] != lang.message {
						t.Errorf("%s (%s): %v, want reason %q %q", action, lang.accept, f, lang.label, lang.message)
					}
				}
				if now, _ := r.DB.Case(ctx, c.ID); now.Version != version {
					t.Fatalf("%s: the refused move changed the case", action)
				}
			}
			// at the township's 初审 the reviewer sends it back without saying why
			refused(login("tianshan.reviewer"), "return", map[string]any{"reason": "  "}, c.Version, "必须填写", "ᠵᠠᠪᠠᠯ ᠲᠠᠭᠯᠠᠬᠤ")
			c = actAll(t, r, c, caseMove{cases.Pass, cases.Input{}}, caseMove{cases.Pass, cases.Input{}})
			if c.Step != len(c.Steps)-1 {
				t.Fatalf("not at the last step: %d of %d", c.Step, len(c.Steps))
			}
			// the banner department denies without reasons: grant left out counts as a denial, never a grant
			refused(login("minzheng"), "decide", map[string]any{}, c.Version, "不予许可须说明理由", "ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠬᠦ ᠦᠭᠡᠢ ᠰᠢᠯᠲᠠᠭᠠᠨ ᠢ ᠲᠠᠢᠯᠪᠤᠷᠢᠯᠠᠨ᠎ᠠ")
		})
	}
}
