package delegation

import (
	"time"

	"bianmin/internal/clock"
)

// Pairing and the guidance period (四.(一): "结对指导帮扶" and "移交后3个月内，旗直职能部门……进行实时在线指导").

// DefaultGuidanceMonths is the seed's three months after the hand-over (四.(一): "移交后3个月内"); a setting
// (-guidance-months), since a banner may keep guiding longer.
const DefaultGuidanceMonths = 3

// Pair names a township handler's counterpart at the department for one delegated item (结对). A change
// closes the pair (Until) and opens a new one, so the history stays.
type Pair struct {
	ID              string    `json:"id"`
	ItemID          string    `json:"item_id"`
	ItemName        string    `json:"item_name"`
	DeptID          string    `json:"dept_id"`
	TownshipID      string    `json:"township_id"`
	TownshipStaff   string    `json:"township_staff"`
	TownshipName    string    `json:"township_name"` // the handler's name
	DeptStaff       string    `json:"dept_staff"`
	DeptName        string    `json:"dept_name"` // the counterpart's name
	Since           time.Time `json:"since"`
	Until           time.Time `json:"until,omitzero"`
	By              string    `json:"by"`
	TownshipOrgName string    `json:"-"`
}

// Current reports whether the pair stands.
func (p Pair) Current() bool { return p.Until.IsZero() }

// GuidancePeriod is the guidance period of a hand-over on day: from that day for months months (Until is the first
// day after it).
func GuidancePeriod(handed clock.Date, months int) (from, until clock.Date) {
	t := time.Date(handed.Y, handed.M, handed.D, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	return handed, clock.DateOf(t)
}

// Sight is what the guidance rule lets a counterpart do with a case.
type Sight int

const (
	NoSight  Sight = iota
	ReadOnly       // reads the case
	Comment        // reads and comments (in the period)
)

// Guided is what a case is, for the guidance rule.
type Guided struct {
	ItemID   string
	Township string     // the handling township
	Received clock.Date // the day it was received
}

// Guide is the guidance rule (四.(一): the department guides the township's handling of the delegated item "移
// 交后3个月内"): the counterpart of a standing pair for the case's item at its township reads a case of that
// item received within the guidance period of the township's hand-over, and comments on it while the period
// runs (today before its end). After the period the case is the township's alone: no reading, no comment.
// Another item, another township, a case received outside the period, or no pair: nothing.
func Guide(staff string, pairs []Pair, ds []Delegation, c Guided, today clock.Date, months int) Sight {
	paired := false
	for _, p := range pairs {
		if p.Current() && p.DeptStaff == staff && p.ItemID == c.ItemID && p.TownshipID == c.Township {
			paired = true
		}
	}
	if !paired {
		return NoSight
	}
	for _, d := range ds {
		if d.ItemID != c.ItemID {
			continue
		}
		t, i := d.Township(c.Township)
		if i < 0 || !t.Handed() {
			continue
		}
		from, until := GuidancePeriod(t.HandedDay, months)
		if c.Received.Before(from) || !c.Received.Before(until) || !today.Before(until) {
			continue
		}
		return Comment
	}
	return NoSight
}

// InPeriod reports whether the township's guidance period of d runs on day.
func (d Delegation) InPeriod(township string, day clock.Date, months int) bool {
	t, i := d.Township(township)
	if i < 0 || !t.Handed() {
		return false
	}
	from, until := GuidancePeriod(t.HandedDay, months)
	return !day.Before(from) && day.Before(until)
}

// MaxComment is a guidance comment's limit in characters.
const MaxComment = 2000

// CaseComment is a guidance comment on a case: staff only, never shown to the applicant.
type CaseComment struct {
	ID     string    `json:"id"`
	CaseID string    `json:"case_id"`
	By     string    `json:"by"`
	Name   string    `json:"name"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
}
