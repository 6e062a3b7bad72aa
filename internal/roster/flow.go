package roster

import (
	"slices"
	"strings"

	"bianmin/internal/catalog"
)

// The 六有 board's 服务流程 (issue 11 point 10: "服务流程 (from the guides)"; the seed 三.(一).5 有服务流程): the
// hall's one flow, the window takes the application in (前台受理), the back office reviews and decides (后台审批),
// the window hands the result out (窗口出件) (受办分离, 三.(一).3), written with each item's own steps as its
// guide publishes them (GB/T 39046 办理流程). Items that go the same way (the same desks in the same order)
// share one line of the board, so that a poster of forty items shows a handful of flows, each naming its items
// by number; a step the items name alike keeps its name, one they name differently (旗民政局审核确认,
// 旗农牧局审核确认) is named by who does it (旗直部门).

// Desk of a flow step: who does it.
const (
	FlowFront      = "front"      // the window of the center or the station
	FlowBack       = "back"       // the township's back office
	FlowDepartment = "department" // the banner's department (a step at level 4 or above)
)

// FlowStep is one step of a flow: a step of the guides (its name in both scripts), or the window's taking in
// or handing out that every flow begins and ends with (Kind accept or issue, no name). Time limits differ item
// by item and stay on each item's guide: a poster shows who does what, in which order.
type FlowStep struct {
	Kind           string // "", "accept", "issue"
	Desk           string
	NameZh, NameMn string
	Special        string // a special procedure (公示 ...): its time does not count
}

// Flow is one way through the hall and the items (by their index in the list given) that go that way.
type Flow struct {
	Steps []FlowStep
	Items []int
}

// deskOf says who does a step of the guides: the window's clerk, a banner department (level 4 or above, or
// named as a department's step), or the township's back office.
func deskOf(s catalog.Step) string {
	switch {
	case s.Role == "clerk":
		return FlowFront
	case s.Role == "department" || (s.Level > 0 && s.Level <= 4):
		return FlowDepartment
	}
	return FlowBack
}

// Flows are the flows of items, each item's steps from its guide between the window's accept and issue (an
// item whose first step is the window's own keeps it as the accept: 受理 is then named as its guide names
// it), the flow with the most items first. mn gives a step name's Mongolian ("" when it has none yet).
func Flows(items []catalog.Item, mn func(string) string) []Flow {
	var out []Flow
	index := map[string]int{}
	for i, it := range items {
		steps := []FlowStep{}
		for j, s := range it.Steps {
			st := FlowStep{Desk: deskOf(s), NameZh: strings.TrimSpace(s.Name), Special: s.Special}
			st.NameMn = mn(st.NameZh)
			if j == 0 && st.Desk == FlowFront {
				st.Kind = "accept"
			}
			steps = append(steps, st)
		}
		if len(steps) == 0 || steps[0].Kind != "accept" {
			steps = append([]FlowStep{{Kind: "accept", Desk: FlowFront}}, steps...)
		}
		steps = append(steps, FlowStep{Kind: "issue", Desk: FlowFront})
		key := flowKey(steps)
		k, ok := index[key]
		if !ok {
			k = len(out)
			index[key] = k
			out = append(out, Flow{Steps: steps})
		}
		for j, st := range out[k].Steps { // a step its items name differently is named by who does it
			if st.NameZh != steps[j].NameZh {
				out[k].Steps[j].NameZh, out[k].Steps[j].NameMn = "", ""
			}
		}
		out[k].Items = append(out[k].Items, i)
	}
	slices.SortStableFunc(out, func(a, b Flow) int { return len(b.Items) - len(a.Items) })
	return out
}

func flowKey(steps []FlowStep) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.Kind + "|" + s.Desk + "|" + s.Special + "\n")
	}
	return b.String()
}
