package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/app"
	"bianmin/internal/clock"
)

// calendarDue prints the due day of something accepted on a day with a limit of n working (or natural) days,
// on the calendars the database holds (the shipped years and those loaded), and whether it is provisional:
// counted over a year whose official schedule is not loaded, on the statutory holidays alone.
func calendarDue(ctx context.Context, m *app.Main, out io.Writer, args []string, natural bool) error {
	if len(args) != 2 {
		return fmt.Errorf("calendar due: give the acceptance date and the limit, e.g. bianmin calendar due 2026-12-30 5")
	}
	day, err := clock.ParseDate(args[0])
	if err != nil {
		return fmt.Errorf("calendar due: the acceptance date is YYYY-MM-DD, not %q", args[0])
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 || n > 1000 {
		return fmt.Errorf("calendar due: the limit is a number of days from 0 to 1000, not %q", args[1])
	}
	clk, err := m.Service.Clock(ctx)
	if err != nil {
		return err
	}
	unit, what := clock.WorkingDays, "working days"
	if natural {
		unit, what = clock.NaturalDays, "natural days"
	}
	// a day, not a moment: the middle of the working morning (the 即办 cut-off does not come into it)
	accepted := time.Date(day.Y, day.M, day.D, 10, 0, 0, 0, clk.Rules.Location)
	due := clk.DueOn(accepted, unit, n)
	from := "counting from the day after"
	if !clk.Rules.CountFromNextDay {
		from = "counting the acceptance day"
	}
	fmt.Fprintf(out, "%s: %d %s after %s (%s)\n", due.Day, n, what, day, from)
	if !due.Provisional {
		fmt.Fprintln(out, "final: counted on the official holiday schedules")
		return nil
	}
	var missing []string
	for y := day.Y; y <= due.Day.Y; y++ {
		if !clk.Cal.Covers(y) {
			missing = append(missing, strconv.Itoa(y))
		}
	}
	fmt.Fprintf(out, "provisional (按法定节假日推算): no official schedule loaded for %s; counted on the statutory holidays of 《全国年节及纪念日放假办法》 (第二条, 第六条), without 调休\n",
		strings.Join(missing, ", "))
	return nil
}
