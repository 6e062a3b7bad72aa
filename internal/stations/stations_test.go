package stations

import (
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

func day(s string) clock.Date {
	d, err := clock.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fieldOf(err error) string {
	if all := errs.All(err); len(all) > 0 {
		return all[0].Field + " " + all[0].Key
	}
	return ""
}

// 代理: a standing authorisation covers the resident's cases of the items in scope within its term, and
// nothing after its last day (民法典 第173条(一)), before its first, once revoked, or another's case.
func TestAuthorisationCovers(t *testing.T) {
	a := Authorisation{ApplicantID: "ap", Items: []string{"dibao", "gaoling"}, From: day("2026-03-01"), Until: day("2026-08-31")}
	revoked := a
	revoked.Revoked = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		a         Authorisation
		applicant string
		item      string
		on        string
		want      string
	}{
		{"first day", a, "ap", "dibao", "2026-03-01", ""},
		{"last day still holds", a, "ap", "gaoling", "2026-08-31", ""},
		{"the day after expiry", a, "ap", "dibao", "2026-09-01", "standing err.standing.expired"},
		{"before its term", a, "ap", "dibao", "2026-02-28", "standing err.standing.not_yet"},
		{"an item outside its scope", a, "ap", "hukou", "2026-05-01", "standing err.standing.scope"},
		{"another resident's case", a, "other", "dibao", "2026-05-01", "standing err.standing.other_applicant"},
		{"revoked", revoked, "ap", "dibao", "2026-05-01", "standing err.standing.revoked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if e := tc.a.Covers(tc.applicant, tc.item, day(tc.on)); e != nil {
				got = e.Field + " " + e.Key
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if !a.Holds(day("2026-08-31")) || a.Holds(day("2026-09-01")) || revoked.Holds(day("2026-05-01")) {
		t.Error("Holds disagrees with Covers")
	}
}

// A new authorisation names its items, reason and signed paper, starts no earlier than today and lasts at
// most MaxTerm days.
func TestAuthorisationValidate(t *testing.T) {
	ok := Authorisation{Items: []string{"dibao"}, Reason: "卧床", SignedRef: "委托书 2026-01", From: day("2026-03-02"), Until: day("2027-03-01")}
	today := day("2026-03-02")
	for _, tc := range []struct {
		name string
		edit func(*Authorisation)
		want string
	}{
		{"complete", func(*Authorisation) {}, ""},
		{"no items", func(a *Authorisation) { a.Items = nil }, "items err.required"},
		{"no reason", func(a *Authorisation) { a.Reason = " " }, "reason err.required"},
		{"no signed paper", func(a *Authorisation) { a.SignedRef = "" }, "signed_ref err.required"},
		{"starts in the past", func(a *Authorisation) { a.From = day("2026-03-01") }, "from err.standing.from_past"},
		{"ends before it starts", func(a *Authorisation) { a.Until = day("2026-03-01") }, "until err.standing.until_before"},
		{"longer than a year", func(a *Authorisation) { a.Until = day("2027-03-04") }, "until err.standing.term"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.edit(&a)
			if got := fieldOf(a.Validate(today)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// 帮办 marks need the separate consent (个人信息保护法 第29条) and who gave it; "other" says what.
func TestMarkValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Mark
		want string
	}{
		{"elderly with consent", Mark{Needs: []Need{Elderly}, Consent: true, ConsentBy: "本人"}, ""},
		{"no consent", Mark{Needs: []Need{Disabled}, ConsentBy: "本人"}, "consent err.assist.consent"},
		{"consent by nobody", Mark{Needs: []Need{Disabled}, Consent: true}, "consent_by err.required"},
		{"no need", Mark{Consent: true, ConsentBy: "本人"}, "needs err.required"},
		{"unknown need", Mark{Needs: []Need{"vip"}, Consent: true, ConsentBy: "本人"}, "needs err.item.code_set"},
		{"other without note", Mark{Needs: []Need{Other}, Consent: true, ConsentBy: "本人"}, "note err.required"},
		{"withdrawn needs no consent", Mark{Needs: []Need{Elderly}, Withdrawn: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldOf(tc.m.Validate()); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if (Mark{Needs: []Need{Elderly}, Consent: true, Withdrawn: true}).Active() || !(Mark{Needs: []Need{Elderly}, Consent: true}).Active() {
		t.Error("Active")
	}
}

// A home visit goes requested → scheduled → done (or cancelled); each move has its rules, a refused move
// changes nothing.
func TestVisitMoves(t *testing.T) {
	req := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC)
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		state VisitState
		move  VisitMove
		in    VisitInput
		want  string // "" ok, else field+key (or the key of a conflict)
		then  VisitState
	}{
		{"schedule", VisitRequested, Schedule, VisitInput{At: at(4, 10), Visitors: "杨"}, "", VisitScheduled},
		{"reschedule", VisitScheduled, Schedule, VisitInput{At: at(5, 10), Visitors: "杨"}, "", VisitScheduled},
		{"schedule before the request", VisitRequested, Schedule, VisitInput{At: at(1, 10), Visitors: "杨"}, "at err.visit.before_request", VisitRequested},
		{"schedule without visitors", VisitRequested, Schedule, VisitInput{At: at(4, 10)}, "visitors err.required", VisitRequested},
		{"record", VisitScheduled, Record, VisitInput{At: at(4, 11), Record: "收取材料", Materials: []string{"身份证复印件", " "}}, "", VisitDone},
		{"record in the future", VisitScheduled, Record, VisitInput{At: at(6, 11), Record: "收取材料"}, "at err.visit.when_done", VisitScheduled},
		{"record without what was done", VisitScheduled, Record, VisitInput{At: at(4, 11)}, "record err.required", VisitScheduled},
		{"record before it was scheduled", VisitRequested, Record, VisitInput{At: at(4, 11), Record: "x"}, " err.visit.state", VisitRequested},
		{"cancel", VisitScheduled, Cancel, VisitInput{Reason: "住院"}, "", VisitCancelled},
		{"cancel without reason", VisitRequested, Cancel, VisitInput{}, "reason err.required", VisitRequested},
		{"nothing after done", VisitDone, Cancel, VisitInput{Reason: "x"}, " err.visit.state", VisitDone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Visit{State: tc.state, Requested: req}
			got := fieldOf(v.Apply(tc.move, tc.in, "agent", now))
			if got != tc.want || v.State != tc.then {
				t.Errorf("got %q in %s, want %q in %s", got, v.State, tc.want, tc.then)
			}
			if tc.move == Record && tc.want == "" && (len(v.Materials) != 1 || v.DoneBy != "agent") {
				t.Errorf("recorded %+v", v)
			}
		})
	}
}

// The resident (or, with their relation, someone else) signs for the result handed over at the station.
func TestHandoverValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Handover
		want string
	}{
		{"the applicant signs", Handover{Signer: "巴特尔", Signed: true}, ""},
		{"a family member with relation", Handover{Signer: "其其格", Relation: "妻", Signed: true}, ""},
		{"someone else without relation", Handover{Signer: "其其格", Signed: true}, "relation err.handover.relation"},
		{"not signed", Handover{Signer: "巴特尔"}, "signed err.handover.unsigned"},
		{"no signer", Handover{Signed: true}, "signer err.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldOf(tc.h.Validate("巴特尔")); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
