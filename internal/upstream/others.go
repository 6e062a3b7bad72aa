package upstream

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/rating"
)

// ForRating is a rating as the region's unified 好差评 system takes it: GB/T 39046-2020 表9 (6.6 评价) with
// its code sets (评价渠道, A.8 满意度代码). Who rated never leaves (国办发〔2019〕51号: the rater is protected;
// 表9's 评价人 stays empty). Its key is the rating: an appeal's exclusion would follow it in order.
func ForRating(r rating.Rating, loc *time.Location) Record {
	no := r.CaseNo
	return Record{Table: Evaluation, Key: "rating:" + r.ID, Data: map[string]string{
		"evaluate_id": r.ID, "project_no": no, "channel": r.Channel.Table9(), "evaluate_time": r.RatedAt.In(loc).Format(Stamp),
		"evaluate_times": strconv.Itoa(max(r.Times, 1)), "satisfaction": strconv.Itoa(int(r.Level)), "evaluate_text": r.Text,
		"area_code": r.Division, "subject": r.Kind(), "task_name": r.ItemName,
	}}
}

// Card is an e-supervision record (GB/T 39046-2020 表11 电子监察; FACTS.md §3): a case's card turned yellow
// (时限即将到期: 预警) or red (超时: 纠错), by a move or by the sweep.
type Card struct {
	CaseID, CaseNo, TaskCode, Area, Dept string
	Red                                  bool
	Step                                 bool // the card of the step (环节超时), not of the whole case
	At                                   time.Time
}

// ForCard is the record of a card. 监察规则编号 names the rule that turned it: Bianmin's rules are
// "case.yellow", "case.red", "step.yellow", "step.red" (the thresholds are settings: -yellow, -yellow-min).
func ForCard(c Card, loc *time.Location) Record {
	warn, colour := "1", "yellow"
	if c.Red {
		warn, colour = "2", "red"
	}
	scope := "case"
	if c.Step {
		scope = "step"
	}
	// each card of a case is its own key: pushed once, whatever moves follow
	return Record{Table: Supervise, Key: "sv:" + c.CaseID + ":" + scope + "." + colour, Data: map[string]string{
		"supervise_no": c.CaseNo + "-" + scope + "-" + colour, "project_no": c.CaseNo, "rule_no": scope + "." + colour, "warn_type": warn,
		"state_time": c.At.In(loc).Format(Stamp), "dept_name": c.Dept, "area_code": c.Area,
	}}
}

// Event is the body a webhook receives: the kind, when, and the record (the exchange shape, so that a local
// system and the upper platform read the same fields).
type Event struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"` // case, rating, supervision, test
	At     string `json:"at"`
	Record Record `json:"record"`
}

// Webhook headers: the time of sending (Unix seconds) and the signature, "sha256=" and the hex of
// HMAC-SHA256 under the subscription's secret over the timestamp, a full stop, and the body.
const (
	HeaderTimestamp = "X-Bianmin-Timestamp"
	HeaderSignature = "X-Bianmin-Signature"
	HeaderID        = "X-Bianmin-Delivery"
)

// Sign is the signature of a body sent at ts.
func Sign(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// SignatureTolerance is how far a receiver may accept a timestamp from its own clock (against replays).
const SignatureTolerance = 5 * time.Minute

// Verify checks a webhook delivery as a receiver should: the signature over timestamp and body, and a
// timestamp within SignatureTolerance of now.
func Verify(secret []byte, tsHeader, sigHeader string, body []byte, now time.Time) bool {
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return false
	}
	want := Sign(secret, ts, body)
	return strings.HasPrefix(sigHeader, "sha256=") && hmac.Equal([]byte(want), []byte(sigHeader))
}
