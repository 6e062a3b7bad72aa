package service

import (
	"bianmin/internal/cases"
)

// pledgeNotice is the signed 告知承诺书 an acceptance with pledges brings beside its 受理通知书: a numbered
// notice of its own (42号: 书面承诺).
func pledgeNotice(c cases.Case, ev cases.Event) []string {
	if (ev.Action == cases.Accept || ev.Action == cases.AcceptOwed) && c.Pledge != nil {
		return []string{cases.NoticePledge}
	}
	return nil
}
