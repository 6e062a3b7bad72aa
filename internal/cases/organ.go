package cases

import "bianmin/internal/errs"

// Who acts in whose name. A case is decided by its competent organ (实施主体 / 决定机关): the organisation of
// the step that decides it. Acts of the organ are made by the organ's own staff and printed in its name;
// a village station only receives and forwards (代办).

// OrganAct reports whether a move is an act of the organ: 受理 and 不予受理 (行政许可法 第32条: the organ
// accepts or refuses, with a paper under its own seal) and the decision (第37-38条). A station never makes
// one, except on an item published 嘎查村可直接办理, which the station concludes as its front desk.
func OrganAct(a Action) bool {
	switch a {
	case Accept, AcceptOwed, Refuse, Decide:
		return true
	}
	return false
}

// StationRefusal is what a station's agent is told when making an act of the organ: the station receives
// and forwards; the township window accepts or refuses.
func StationRefusal(a Action) *errs.Error {
	return &errs.Error{Code: errs.Forbidden, Field: "action", Key: "err.case.station_forwards", Args: map[string]string{"action": "case." + string(a)}}
}

// DecidingOrg is the organisation in whose name the case is decided (决定机关): the item's department when
// the step that decides (the last) is at the banner or above (A.2 level 4 or less), the handling township
// otherwise. Decisions, decision notices and extensions are in its name and approved by its head (第42条).
func (c Case) DecidingOrg() string {
	if n := len(c.Steps); n > 0 && c.Steps[n-1].Level >= 1 && c.Steps[n-1].Level <= 4 && c.Department != "" {
		return c.Department
	}
	return c.Handling
}

// NoticeOrgan is the organisation a notice of a kind is issued in the name of: the decision, its extension
// and its service (送达) are the deciding organ's; the intake notices (补正, 受理, 不予受理) are the handling
// township's, which receives for the deciding organ when that is another (ReceivesFor).
func (c Case) NoticeOrgan(kind string) string {
	switch kind {
	case NoticeGrant, NoticeDeny, NoticeExtension, NoticeDelivery, NoticeRevoke:
		return c.DecidingOrg()
	}
	return c.Handling
}

// ReceivesFor is the organ for which the handling township receives the application (受委托代收), "" when
// the township decides it itself: a receipt says so.
func (c Case) ReceivesFor() string {
	if d := c.DecidingOrg(); d != c.Handling {
		return d
	}
	return ""
}
