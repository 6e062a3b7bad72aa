package cases

import "time"

// The public timeline: what a resident reads of their case, in their words rather than the desk's. Nobody
// is named and no desk (前台, 后台) appears: only the stages the law gives the applicant a right to know —
// that the application was received, accepted or refused (行政许可法 第32条), that it is being examined
// (第34条), the decision, granted or not (第38条), and that the result reached them (第44条) — with the
// dates, and what they must do next.

// Stage is one stage of the public timeline.
type Stage string

const (
	StageReceived   Stage = "received"   // 收到申请
	StageCorrection Stage = "correction" // 需补正材料 (第32条 一次告知)
	StageAccepted   Stage = "accepted"   // 已受理
	StageRefused    Stage = "refused"    // 不予受理 (第32条): the case ends here
	StageReview     Stage = "review"     // 审核中 (第34条)
	StageDecided    Stage = "decided"    // 已办结：准予 / 不予 (第38条)
	StageDelivered  Stage = "delivered"  // 已送达 (第44条)
	StageTerminated Stage = "terminated" // 已终止
	StageRevoked    Stage = "revoked"    // 已撤销 (告知承诺 proved false)
)

// PublicStep is one stage with the day it was reached (zero while it is still ahead).
type PublicStep struct {
	Stage   Stage
	At      time.Time
	Done    bool // reached and passed, or reached and final
	Current bool // where the case stands now
}

// Outcome of a decision as the public reads it.
const (
	Granted = "granted" // 准予
	Denied  = "denied"  // 不予
)

// PublicView is the whole public timeline of a case.
type PublicView struct {
	Steps   []PublicStep
	Outcome string // Granted, Denied, or "" before the decision
	// Next says what the resident must do now (a key suffix: "public.next.<Next>").
	Next string
	// Remedies: the resident was refused or denied and may seek 行政复议 or 行政诉讼 (行政许可法 第38条第2款).
	Remedies bool
}

// PublicTimeline reads a case and its events as the resident should: the stages in order, each with its day,
// the outcome, and the next thing to do.
func PublicTimeline(c Case, events []Event) PublicView {
	first := func(acts ...Action) time.Time {
		for _, e := range events {
			for _, a := range acts {
				if e.Action == a {
					return e.At
				}
			}
		}
		return time.Time{}
	}
	last := func(a Action) time.Time {
		for i := len(events) - 1; i >= 0; i-- {
			if events[i].Action == a {
				return events[i].At
			}
		}
		return time.Time{}
	}
	var v PublicView
	add := func(s Stage, at time.Time, done bool) {
		v.Steps = append(v.Steps, PublicStep{Stage: s, At: at, Done: done})
	}
	received := c.Received
	if received.IsZero() && len(events) > 0 {
		received = events[0].At
	}
	add(StageReceived, received, true)
	if at := first(AskCorrection); !at.IsZero() || c.State == Correction {
		add(StageCorrection, at, c.State != Correction)
	}
	accepted := c.Accepted
	if accepted.IsZero() {
		accepted = first(Accept, AcceptOwed)
	}
	switch {
	case c.State == Refused:
		add(StageRefused, last(Refuse), true)
		v.Remedies = true
	case c.State == Terminated && accepted.IsZero():
		add(StageTerminated, last(Terminate), true)
	default:
		add(StageAccepted, accepted, !accepted.IsZero())
		reviewing := c.State.running()
		add(StageReview, accepted, !accepted.IsZero() && !reviewing)
		if c.State == Terminated {
			add(StageTerminated, last(Terminate), true)
			break
		}
		decided := time.Time{}
		if c.Decision != nil {
			decided = c.Decision.At
			v.Outcome = Denied
			if c.Decision.Grant {
				v.Outcome = Granted
			} else {
				v.Remedies = true
			}
		}
		add(StageDecided, decided, c.Decision != nil)
		add(StageDelivered, last(Deliver), c.State == Delivered || (c.State == Revoked && !last(Deliver).IsZero()))
		if c.State == Revoked {
			add(StageRevoked, last(Revoke), true)
		}
	}
	// The current stage is the last one reached, unless the case waits in review or correction.
	cur := -1
	for i, s := range v.Steps {
		if s.Done || (s.Stage == StageReview && (c.State.running())) ||
			(s.Stage == StageCorrection && c.State == Correction) {
			cur = i
		}
	}
	if cur >= 0 {
		v.Steps[cur].Current = true
	}
	v.Next = nextForResident(c)
	return v
}

// nextForResident names what the applicant must do now.
func nextForResident(c Case) string {
	switch c.State {
	case Received:
		return "wait_check" // the window checks the materials; nothing to do
	case Correction:
		return "bring_materials" // 一次告知: bring what the notice lists
	case Accepted:
		return "wait_decision"
	case Suspended:
		if n := len(c.Suspensions); n > 0 && SuspendKindCode(c.Suspensions[n-1].Kind) == "correction" {
			return "bring_materials"
		}
		return "wait_suspended" // 听证, 检验 ...: the clock stands, nothing to bring
	case Decided:
		return "wait_issue"
	case Issued:
		if c.Delivery != nil {
			switch c.Delivery.Method {
			case "post":
				return "receive_post"
			case "electronic":
				return "download"
			}
		}
		return "collect"
	case Delivered:
		return "none"
	case Refused:
		return "refused"
	case Terminated:
		return "terminated"
	case Revoked:
		return "revoked"
	}
	return "ask_window"
}
