package service

import "bianmin/internal/cases"

// DueKey is the message naming the due day a case shows: the window's intake (行政许可法 第32条), the
// decision (第42条), or issue and delivery (第44条).
func (w Work) DueKey() string {
	switch w.Phase {
	case cases.PhaseIntake:
		return "case.intake_due"
	case cases.PhaseIssue:
		return "case.issue_due"
	}
	return "case.due"
}
