package cases

import (
	"testing"

	"bianmin/internal/errs"
)

// What each station mode requires (seed 三.(三); 行政许可法 第29条; 民法典 第165条): 代办 its authorisation,
// 代理 its standing authorisation, 协办 nothing on paper; an unknown mode is refused.
func TestCheckProxy(t *testing.T) {
	for _, tc := range []struct {
		mode                  ProxyMode
		auth, standing, image string
		want                  string
	}{
		{Entrusted, "委托书", "", "", ""},
		{Entrusted, " ", "", "", "authorisation"},
		{Assisted, "", "", "", ""},
		{StandingAuth, "", "s1", "", ""},
		{StandingAuth, "委托书", "", "", "standing"},
		{"proxy", "委托书", "", "", "proxy_mode"},
		{Entrusted, "委托书", "", string(make([]byte, MaxAuthImage+1)), "auth_image"},
	} {
		var got string
		if all := errs.All(CheckProxy(tc.mode, tc.auth, tc.standing, tc.image)); len(all) > 0 {
			got = all[0].Field
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.mode, got, tc.want)
		}
	}
}

// A result goes back by the station only to the station it came from.
func TestIssueViaStation(t *testing.T) {
	for _, ch := range []Channel{ByStation, AtWindow} {
		c := Case{Channel: ch, State: Decided}
		_, err := c.Apply(Issue, Front, Input{Method: ViaStation}, at("2026-03-02 10:00"), clk)
		if (err == nil) != (ch == ByStation) {
			t.Errorf("%s: %v", ch, err)
		}
	}
}
