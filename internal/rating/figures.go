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
