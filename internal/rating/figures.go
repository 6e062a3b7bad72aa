package rating

// Figures are the published 好差评 figures of some ratings (GB/T 39734-2020 10 结果运用, 附录B 公开评价指标值;
// 国办发〔2019〕51号: 评价结果及整改情况向社会公开): counts and rates, never raters. Ratings excluded by an upheld
// appeal are not in them.
type Figures struct {
	Total            int `json:"total"`
	Good             int `json:"good"`               // levels 1-3
	Bad              int `json:"bad"`                // 差评数: levels 4-5
	Rectified        int `json:"rectified"`          // 差评 whose rectification was fed back
	Revisited        int `json:"revisited"`          // 差评 whose rater rated the rectification
	RevisitSatisfied int `json:"revisit_satisfied"`  // … 满意 or 基本满意
	Overdue          int `json:"overdue,omitempty"`  // rectifications past their deadline now
	Excluded         int `json:"excluded,omitempty"` // excluded by upheld appeals (shown apart, never counted)
}

// Add adds other figures.
func (f *Figures) Add(o Figures) {
	f.Total += o.Total
	f.Good += o.Good
	f.Bad += o.Bad
	f.Rectified += o.Rectified
	f.Revisited += o.Revisited
	f.RevisitSatisfied += o.RevisitSatisfied
	f.Overdue += o.Overdue
	f.Excluded += o.Excluded
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// GoodRate is 好评率: 好评 over all counted ratings.
func (f Figures) GoodRate() float64 { return rate(f.Good, f.Total) }

// RectifyRate is 整改率: 差评 rectified and fed back over 差评.
func (f Figures) RectifyRate() float64 { return rate(f.Rectified, f.Bad) }

// RevisitRate is 回访满意率: raters satisfied with the rectification over raters revisited.
func (f Figures) RevisitRate() float64 { return rate(f.RevisitSatisfied, f.Revisited) }

// Sub is the difference of two figures, for a tally moved by a change.
func (f Figures) Sub(o Figures) Figures {
	return Figures{Total: f.Total - o.Total, Good: f.Good - o.Good, Bad: f.Bad - o.Bad, Rectified: f.Rectified - o.Rectified,
		Revisited: f.Revisited - o.Revisited, RevisitSatisfied: f.RevisitSatisfied - o.RevisitSatisfied, Overdue: f.Overdue - o.Overdue,
		Excluded: f.Excluded - o.Excluded}
}

// Contribution is what one rating adds to the figures, with its rectification (nil for a 好评): one rating,
// good or bad; a bad one rectified when fed back, revisited when its rater answered, satisfied when 满意 or
// 基本满意. A rating excluded by an upheld appeal adds only to Excluded (国办发〔2019〕51号: 排除误评和恶意差评).
func Contribution(r Rating, x *Rectification) Figures {
	if r.Excluded {
		return Figures{Excluded: 1}
	}
	f := Figures{Total: 1}
	if !r.Level.Bad() {
		f.Good = 1
		return f
	}
	f.Bad = 1
	if x != nil {
		if x.Done() {
			f.Rectified = 1
		}
		if x.Verdict != "" {
			f.Revisited = 1
			if x.Verdict.Satisfied() {
				f.RevisitSatisfied = 1
			}
		}
	}
	return f
}
