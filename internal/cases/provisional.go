package cases

import "bianmin/internal/clock"

// DueDay is the case's deadline (Due) and whether it is provisional: counted over a year whose official
// holiday schedule is not loaded, on the statutory holidays alone (clock.Statutory). Zero before acceptance.
func (c Case) DueDay(clk clock.Clock, today clock.Date) clock.DueDay {
	due, ok := c.Due(clk, today)
	if !ok {
		return clock.DueDay{}
	}
	return clock.DueDay{Day: due, Provisional: clk.Provisional(c.DecisionStart(), due)}
}
