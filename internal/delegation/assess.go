package delegation

// The assessment (四.(二): "将旗直相关部门在权力下放过程中对乡级用权跟进指导情况和表现，纳入年度绩效考核‘放管服’改革
// 指标体系进行重点考评"): per department and year, counted from the records themselves, so that the table
// equals plain counts of what is stored.

// Figures are one department's figures for one year.
type Figures struct {
	DeptID      string `json:"dept_id"`
	Items       int    `json:"items"`         // delegations whose start date falls in the year (items delegated)
	Townships   int    `json:"townships"`     // townships in those delegations
	Handovers   int    `json:"handovers"`     // hand-overs recorded in the year
	Help        int    `json:"help"`          // help requests asked in the year
	HelpInTime  int    `json:"help_in_time"`  // of them, first answered by the clock's due time
	Rounds      int    `json:"rounds"`        // inspection rounds planned in the year
	Visited     int    `json:"visited"`       // of them, visited
	Findings    int    `json:"findings"`      // findings of those rounds
	Rectified   int    `json:"rectified"`     // of them, rectified and accepted
	Cases       int    `json:"cases"`         // cases of the delegated items received at the townships under the delegation in the year
	CasesOnTime int    `json:"cases_on_time"` // of them, closed on time
	// 好差评 of those cases (internal/rating; ratings excluded by an upheld appeal are not counted): all
	// counted ratings, and of them the good (levels 1-3) and the bad (差评, levels 4-5)
	Ratings     int `json:"ratings"`
	GoodRatings int `json:"good_ratings"`
	BadRatings  int `json:"bad_ratings"`
}

// Year is a year's records, as the store reads them (cases as facts: their delegation, received day, closed
// on time).
type Year struct {
	Year      int
	Dels      []Delegation
	Help      []Help
	Rounds    []Round
	CaseFacts []CaseFact
}

// CaseFact is what the assessment needs of a case decided under a delegation.
type CaseFact struct {
	DeptID    string
	OnTime    bool
	Good, Bad int // the case's counted ratings, good and bad
}

// Assess counts a year's figures per department, in the order the departments first appear.
func Assess(y Year) []Figures {
	by := map[string]*Figures{}
	var order []string
	get := func(id string) *Figures {
		if f, ok := by[id]; ok {
			return f
		}
		by[id] = &Figures{DeptID: id}
		order = append(order, id)
		return by[id]
	}
	for _, d := range y.Dels {
		f := get(d.DeptID)
		if d.Start().Y == y.Year {
			f.Items++
			f.Townships += len(d.Townships)
		}
		for _, t := range d.Townships {
			if t.Handed() && t.HandedDay.Y == y.Year {
				f.Handovers++
			}
		}
	}
	for _, h := range y.Help {
		if h.Day.Y != y.Year {
			continue
		}
		f := get(h.DeptID)
		f.Help++
		if h.AnsweredInTime() {
			f.HelpInTime++
		}
	}
	for _, r := range y.Rounds {
		if r.Planned.Y != y.Year {
			continue
		}
		f := get(r.DeptID)
		f.Rounds++
		if r.Visited() {
			f.Visited++
		}
		f.Findings += len(r.Findings)
		for _, x := range r.Findings {
			if x.Step == Accepted {
				f.Rectified++
			}
		}
	}
	for _, c := range y.CaseFacts {
		f := get(c.DeptID)
		f.Cases++
		if c.OnTime {
			f.CasesOnTime++
		}
		f.Ratings += c.Good + c.Bad
		f.GoodRatings += c.Good
		f.BadRatings += c.Bad
	}
	out := make([]Figures, len(order))
	for i, id := range order {
		out[i] = *by[id]
	}
	return out
}

// Rate is part of whole in per cent with one decimal, and false when there is no whole.
func Rate(part, whole int) (float64, bool) {
	if whole == 0 {
		return 0, false
	}
	return float64(part*1000/whole) / 10, true
}
