package delegation

import (
	"bianmin/internal/clock"
)

// The guidance period's figures (四.(一): for three months after the hand-over the department guides the
// township "实时在线指导"; issue 14 asks how that went): for one township and one delegated item, the cases
// received under the delegation in the period, how many were decided on time, how many the back office sent
// back a step (退回), and the township's help requests on the item asked in the period with their answers.

// PeriodCase is what the figures need of one case received in the period.
type PeriodCase struct {
	Decided bool // a decision was made
	OnTime  bool // decided within its limit
	Returns int  // back-office returns (退回) on it
}

// PeriodFigures are one township's figures for one delegated item's guidance period.
type PeriodFigures struct {
	From           clock.Date `json:"from"`
	Until          clock.Date `json:"until"` // the first day after the period
	Running        bool       `json:"running"`
	Cases          int        `json:"cases"`
	Decided        int        `json:"decided"`
	OnTime         int        `json:"on_time"`
	Returns        int        `json:"returns"`
	Help           int        `json:"help"`
	Answered       int        `json:"answered"`
	AnsweredInTime int        `json:"answered_in_time"`
	// AnswerMinutes is the mean wait for the first answer in working minutes, counted in the department's
	// opening hours on the calendar as the response clock is (0 without an answer): a question asked at
	// Friday's close and answered at Monday's opening waited none.
	AnswerMinutes int `json:"answer_minutes"`
}

// OnTimeRate is the on-time rate of the decided cases, in per cent with one decimal (false without one).
func (f PeriodFigures) OnTimeRate() (float64, bool) { return Rate(f.OnTime, f.Decided) }

// Guidance counts the guidance period [from, until) of a township's hand-over on today: the cases given (those
// received in it under the delegation, as the store read them) and the help requests of the township on the
// item asked in it (requests of other items, townships or days are left out here).
func Guidance(from, until, today clock.Date, township, itemID string, cs []PeriodCase, hs []Help, wait Waits) PeriodFigures {
	var in []Help
	for _, h := range hs {
		if h.TownshipID == township && h.ItemID == itemID && !h.Day.Before(from) && h.Day.Before(until) {
			in = append(in, h)
		}
	}
	f := Tally(cs, in, wait)
	f.From, f.Until, f.Running = from, until, !today.Before(from) && today.Before(until)
	return f
}

// Tally counts the cases and help requests given, all of them: decided, on time, returns; asked, answered,
// answered in time, and the mean wait for the first answer in working minutes (wait). The monthly public
// report's line on delegated items is a tally of the month's.
func Tally(cs []PeriodCase, hs []Help, wait Waits) PeriodFigures {
	f := PeriodFigures{Cases: len(cs)}
	for _, c := range cs {
		if c.Decided {
			f.Decided++
		}
		if c.Decided && c.OnTime {
			f.OnTime++
		}
		f.Returns += c.Returns
	}
	waited := 0
	for _, h := range hs {
		f.Help++
		if h.Answered() {
			f.Answered++
			waited += wait(h)
		}
		if h.AnsweredInTime() {
			f.AnsweredInTime++
		}
	}
	if f.Answered > 0 {
		f.AnswerMinutes = waited / f.Answered
	}
	return f
}
