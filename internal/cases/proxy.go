package cases

import (
	"slices"
	"strings"

	"bianmin/internal/errs"
)

// How a village station applies (seed 三.(三): "主要承担……代办、协办、代理等职责"). The three modes differ in
// who stands before the station and on what paper the agent acts:
//
//   - 代办 (Entrusted): the agent applies in the resident's name with their signed authorisation for this one
//     application (行政许可法 第29条: 申请人可以委托代理人提出申请; 民法典 第165条: the 授权委托书 names the
//     agent, the matter, the powers and the term and is signed by the one who authorises). The paper stays at
//     the station; the case keeps what it said and a reference to its image.
//   - 协办 (Assisted): the resident applies in person at the station and the agent helps (fills in, checks the
//     papers): no authorisation, the agent recorded as the helper.
//   - 代理 (StandingAuth): a standing authorisation for a resident who cannot come (民法典 第163条, 第165条: scope
//     and term in writing); every case under it links to it, and it ends at its expiry (民法典 第173条(一):
//     代理期限届满 terminates the agency), so an application after that day is refused.

// ProxyMode is one of the three.
type ProxyMode string

const (
	Entrusted    ProxyMode = "entrusted" // 代办
	Assisted     ProxyMode = "assisted"  // 协办
	StandingAuth ProxyMode = "standing"  // 代理
)

// ProxyModes in the order forms list them; 代办 first, as it is what a station did before the modes.
var ProxyModes = []ProxyMode{Entrusted, Assisted, StandingAuth}

// MaxAuthImage caps the reference to the authorisation's image (a stored file's id or a paper's number).
const MaxAuthImage = 200

// Proxy is how a station case was applied for, kept on the case.
type Proxy struct {
	Mode ProxyMode `json:"proxy_mode,omitempty"`
	// Helper is the agent who helped the resident (协办); AgentID is set for 代办 and 代理 only.
	Helper string `json:"helper,omitempty"`
	// StandingID is the standing authorisation (代理) the case was applied for under, and its number.
	StandingID string `json:"standing_id,omitempty"`
	StandingNo string `json:"standing_no,omitempty"`
	// AuthImage refers to the image of the signed authorisation (代办): a stored file's id once electronic
	// materials are there, until then what the agent records of the paper (its number, where it is kept).
	AuthImage string `json:"auth_image,omitempty"`
}

// CheckProxy is what each mode requires of a station's intake: 代办 the resident's authorisation, 代理 a
// standing authorisation (its scope and term checked by the stations package), 协办 nothing on paper: the
// resident is there. An unknown mode is refused naming the field.
func CheckProxy(mode ProxyMode, authorisation, standing, authImage string) error {
	var l errs.List
	l.Add(TooLong("auth_image", authImage, MaxAuthImage))
	switch mode {
	case Entrusted:
		if strings.TrimSpace(authorisation) == "" {
			l.Add(errs.Field("authorisation", "err.required"))
		}
	case StandingAuth:
		if strings.TrimSpace(standing) == "" {
			l.Add(errs.Field("standing", "err.required"))
		}
	case Assisted:
	default:
		l.Add(errs.Field("proxy_mode", "err.item.code_set"))
	}
	return l.Err()
}

// ValidProxyMode reports whether m is one of the modes.
func ValidProxyMode(m ProxyMode) bool { return slices.Contains(ProxyModes, m) }

// ViaStation is the issue method of a result sent back to the village station a case came from: the station
// hands it to the resident and records the delivery with their signature (the seed's 代办员 "brings results
// back"; 行政许可法 第44条: the result is served within ten working days, so the issue clock runs until then).
const ViaStation = "station"
