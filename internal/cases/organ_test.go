package cases

import (
	"testing"

	"bianmin/internal/errs"
)

// A station receives and forwards: every act of the organ (受理, 容缺受理, 不予受理, 决定; 行政许可法 第32条) is
// refused to it with the reason, naming the field, whatever the state; what a station does is allowed.
func TestStationMakesNoActOfTheOrgan(t *testing.T) {
	for _, a := range Actions {
		c := dibao()
		_, err := c.Apply(a, Station, Input{Materials: materials(false), Reason: "x", Grant: true}, at("2026-03-02 10:00"), clk)
		e := errs.All(err)
		refusedAsStation := len(e) == 1 && e[0].Field == "action" && e[0].Key == "err.case.station_forwards" && errs.CodeOf(err) == errs.Forbidden
		if refusedAsStation != OrganAct(a) {
			t.Errorf("%s by the station: %v", a, err)
		}
	}
	for a, want := range map[Action]bool{Accept: true, AcceptOwed: true, Refuse: true, Decide: true, AskCorrection: false,
		Resubmit: false, Issue: false, Deliver: false, Terminate: false, ApproveExtension: false} {
		if OrganAct(a) != want {
			t.Errorf("OrganAct(%s) = %v", a, !want)
		}
	}
}

// The deciding organ is the organisation of the step that decides (the last): the item's department for a
// banner step, the handling township otherwise; the decision, its extension and its service are in its name,
// the intake notices in the township's, which receives for the deciding organ when that is another.
func TestDecidingOrgan(t *testing.T) {
	township := Step{Name: "审核决定", Role: "reviewer", Level: 5}
	bannerStep := Step{Name: "旗民政局审核确认", Role: "department", Level: 4}
	window := Step{Name: "受理", Role: "clerk", Level: 5}
	for _, tc := range []struct {
		name        string
		steps       []Step
		dept        string
		deciding    string
		receivesFor string
	}{
		{"decided at the banner department", []Step{window, township, bannerStep}, "minzheng", "minzheng", "minzheng"},
		{"decided at the township", []Step{window, township}, "minzheng", "tianshan", ""},
		{"instant, at the window", []Step{window}, "renshe", "tianshan", ""},
		{"a banner step but no department recorded", []Step{window, bannerStep}, "", "tianshan", ""},
		{"level unknown", []Step{window, {Name: "审核", Role: "department"}}, "minzheng", "tianshan", ""},
		{"no steps", nil, "minzheng", "tianshan", ""},
	} {
		c := Case{Handling: "tianshan", Department: tc.dept, Steps: tc.steps}
		if got := c.DecidingOrg(); got != tc.deciding {
			t.Errorf("%s: deciding %s, want %s", tc.name, got, tc.deciding)
		}
		if got := c.ReceivesFor(); got != tc.receivesFor {
			t.Errorf("%s: receives for %q, want %q", tc.name, got, tc.receivesFor)
		}
		for _, k := range NoticeKinds {
			want := "tianshan"
			if k == NoticeGrant || k == NoticeDeny || k == NoticeExtension || k == NoticeDelivery || k == NoticeRevoke {
				want = tc.deciding
			}
			if got := c.NoticeOrgan(k); got != want {
				t.Errorf("%s: %s notice by %s, want %s", tc.name, k, got, want)
			}
		}
	}
}

// A case that waits for another: not accepted while the other is undecided, accepted once it is granted,
// ended when it is denied, refused or terminated.
func TestWaitsFor(t *testing.T) {
	granted, denied := &Decision{Grant: true}, &Decision{Grant: false}
	for _, tc := range []struct {
		name  string
		on    Case
		await Awaited
		key   string // MayAccept's refusal
	}{
		{"received", Case{State: Received}, AwaitPending, "err.case.waits_for"},
		{"in correction", Case{State: Correction}, AwaitPending, "err.case.waits_for"},
		{"accepted", Case{State: Accepted}, AwaitPending, "err.case.waits_for"},
		{"suspended", Case{State: Suspended}, AwaitPending, "err.case.waits_for"},
		{"granted", Case{State: Decided, Decision: granted}, AwaitGranted, ""},
		{"granted and issued", Case{State: Issued, Decision: granted}, AwaitGranted, ""},
		{"granted and delivered", Case{State: Delivered, Decision: granted}, AwaitGranted, ""},
		{"denied", Case{State: Decided, Decision: denied}, AwaitFailed, "err.case.awaited_failed"},
		{"denied and delivered", Case{State: Delivered, Decision: denied}, AwaitFailed, "err.case.awaited_failed"},
		{"refused", Case{State: Refused}, AwaitFailed, "err.case.awaited_failed"},
		{"terminated", Case{State: Terminated}, AwaitFailed, "err.case.awaited_failed"},
	} {
		tc.on.ID, tc.on.ItemName = "cert", "残疾人证申领"
		if got := AwaitOf(tc.on); got != tc.await {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.await)
		}
		waiting := Case{State: Received, WaitsFor: "cert"}
		e := waiting.MayAccept(tc.on)
		if (e == nil) != (tc.key == "") || (e != nil && (e.Key != tc.key || e.Field != "waits_for" || e.Args["item"] != "残疾人证申领")) {
			t.Errorf("%s: may accept: %v", tc.name, e)
		}
		if (Case{State: Received}).MayAccept(tc.on) != nil {
			t.Errorf("%s: a case that waits for nothing is held", tc.name)
		}
		for _, s := range []State{Received, Correction, Accepted, Terminated} {
			w := Case{State: s, WaitsFor: "cert"}
			want := tc.await == AwaitFailed && (s == Received || s == Correction)
			if w.EndsWith(tc.on) != want {
				t.Errorf("%s: a waiting case %s ends: %v", tc.name, s, !want)
			}
			if (Case{State: s, WaitsFor: "other"}).EndsWith(tc.on) {
				t.Errorf("%s: a case waiting for another ends", tc.name)
			}
		}
	}
}
