package supervision

// Assistance is what e-supervision counts of 帮办 for special groups (seed 三.(六): "为残障等特殊人群提供代办
// 帮办服务"; issue 13, item 7): the cases received for applicants marked as needing help, and the home visits
// (上门服务) requested and carried out, over a period. The marks themselves are personal (个人信息保护法 第28
// 条), so supervision sees counts only, never who.
type Assistance struct {
	Received        int `json:"received"` // all cases received in the period, for the share
	Assisted        int `json:"assisted"`
	VisitsRequested int `json:"visits_requested"`
	VisitsDone      int `json:"visits_done"`
}

// AssistedShare is the share of received cases that were assisted.
func (a Assistance) AssistedShare() float64 { return share(a.Assisted, a.Received) }

// VisitsDoneRate is the share of requested visits carried out (of those asked in the period).
func (a Assistance) VisitsDoneRate() float64 { return share(a.VisitsDone, a.VisitsRequested) }
