package clock

import (
	"slices"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Statutory is what the law alone fixes for a year whose official schedule (the State Council's yearly notice)
// is not loaded: the holidays of all citizens of 《全国年节及纪念日放假办法》 第二条 and, by its 第六条, a working
// day made up for each of them that falls on a Saturday or Sunday, on the working days right after it
// (FACTS.md §6.4). No 调休: only the yearly notice moves weekend days. The notice may add days off but cannot
// remove these, so a deadline counted on them is the best estimate, and provisional until the notice is loaded.
//
// Lunar dates and the solar term 清明 come from github.com/6tail/lunar-go, never from a hand table.
func Statutory(year int) Year {
	y := Year{Year: year, Notice: "《全国年节及纪念日放假办法》第二条、第六条（按法定节假日推算）"}
	day := func(m time.Month, d int) Date { return Date{year, m, d} }
	lunar := func(m, d int) Date {
		s := calendar.NewLunarFromYmd(year, m, d).GetSolar()
		return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
	}
	springFestival := lunar(1, 1)
	qm := calendar.NewLunarFromYmd(year, 3, 1).GetJieQiTable()["清明"]
	qingming := Date{qm.GetYear(), time.Month(qm.GetMonth()), qm.GetDay()}
	if year >= 2025 {
		// 第二条 as amended 2024-11-10, in force 2025-01-01: 13 days.
		y.Holidays = []Period{
			{"元旦", day(time.January, 1), day(time.January, 1)},
			{"春节", springFestival.AddDays(-1), springFestival.AddDays(2)}, // 除夕 to 初三
			{"清明节", qingming, qingming},
			{"劳动节", day(time.May, 1), day(time.May, 2)},
			{"端午节", lunar(5, 5), lunar(5, 5)},
			{"中秋节", lunar(8, 15), lunar(8, 15)},
			{"国庆节", day(time.October, 1), day(time.October, 3)},
		}
	} else {
		// 第二条 as revised 2013 (in force 2014-2024): 11 days, 春节 初一 to 初三, 劳动节 one day.
		y.Holidays = []Period{
			{"元旦", day(time.January, 1), day(time.January, 1)},
			{"春节", springFestival, springFestival.AddDays(2)},
			{"清明节", qingming, qingming},
			{"劳动节", day(time.May, 1), day(time.May, 1)},
			{"端午节", lunar(5, 5), lunar(5, 5)},
			{"中秋节", lunar(8, 15), lunar(8, 15)},
			{"国庆节", day(time.October, 1), day(time.October, 3)},
		}
	}
	y.Holidays = append(y.Holidays, makeUpDays(y.Holidays)...)
	return y
}

// makeUpName names the days of 第六条 in Statutory.
const makeUpName = "补假"

// makeUpDays applies 第六条: each holiday on a Saturday or Sunday is made up on the first Monday-to-Friday
// after its run of days off that is neither a holiday nor already a make-up day. Holidays that coincide
// (中秋 on 1 October) are one day off and owe nothing more.
func makeUpDays(holidays []Period) []Period {
	off := map[Date]bool{}
	for _, p := range holidays {
		for d := p.From; !d.After(p.To); d = d.AddDays(1) {
			off[d] = true
		}
	}
	days := make([]Date, 0, len(off))
	for d := range off {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b Date) int { return a.Sub(b) })
	weekend := func(d Date) bool { wd := d.Weekday(); return wd == time.Saturday || wd == time.Sunday }
	taken := map[Date]bool{}
	var out []Period
	for i := 0; i < len(days); {
		// one run of consecutive days off
		j := i
		for j+1 < len(days) && days[j+1] == days[j].AddDays(1) {
			j++
		}
		owed := 0
		for _, d := range days[i : j+1] {
			if weekend(d) {
				owed++
			}
		}
		for d := days[j]; owed > 0; {
			d = d.AddDays(1)
			if !weekend(d) && !off[d] && !taken[d] {
				taken[d] = true
				out = append(out, Period{makeUpName, d, d})
				owed--
			}
		}
		i = j + 1
	}
	return out
}
