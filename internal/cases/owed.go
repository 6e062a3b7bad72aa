package cases

import (
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// OwedWithin is how far ahead a 容缺 acceptance may set the day the owed materials are due, in natural
// days. Practice (FACTS.md §5.4: 民政 容缺受理通知书, 补正时限 ≤ 承诺时限) keeps it within the item's promised
// limit; a year is the outer bound Bianmin holds every desk to, so that no date such as 9999-12-31 keeps
// a case 容缺 for ever and out of the overdue list (OwedOverdue).
const OwedWithin = 366

// checkOwedBy refuses an owed-by date that is not after today, or more than OwedWithin days ahead.
func checkOwedBy(by, today clock.Date, l *errs.List) {
	switch last := today.AddDays(OwedWithin); {
	case by.IsZero():
		l.Add(errs.Field("owed_by", "err.required")) // an empty date is missing, not early
	case !today.Before(by):
		l.Add(errs.Field("owed_by", "err.case.owed_by"))
	case by.After(last):
		l.Add(errs.Field("owed_by", "err.case.owed_by_far").With("date", last.String()))
	}
}
