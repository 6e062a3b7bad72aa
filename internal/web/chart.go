package web

import (
	"fmt"
	"html/template"
	"strings"

	"bianmin/internal/service"
	"bianmin/internal/supervision"
)

// Charts are drawn on the server as SVG: they print, need no script, and read on a slow link. Columns stand
// side by side with their names written vertically under them, the Mongolian name left of the Chinese one,
// as a traditional Mongolian page reads.

type bar struct {
	Mn, Zh string
	Values []float64 // one per series, each 0..1 of the chart's height
	Texts  []string  // the figure written above each column
}

// columnChart draws bars in series (at most two) with a title and a legend. The legend has a band of its own
// above the plot, so it never covers a bar; each column's names stand under it in a slot as wide as the
// column, the Mongolian name on the left, the Chinese on the right, so that neighbours never touch.
func columnChart(title string, series []string, bars []bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const legendH, top, plot, labels, colW, gap, left = 24, 52, 180, 170, 18, 16, 60
	// a slot holds the bars, or the two names written down the page (about 14 px each), whichever is wider
	per := max(colW*len(series)+gap, 44)
	width := left + per*len(bars) + 10
	height := top + plot + labels
	colours := []string{"#1d5fa7", "#d98b00"}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		template.HTMLEscapeString(title), width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	// the legend, in its band above the plot: each entry placed after the previous one's estimated width
	b.WriteString(`<g class="legend">`)
	x := left
	for i, s := range series {
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="17" font-size="12">%s</text>`,
			x, colours[i], x+16, template.HTMLEscapeString(s))
		x += 16 + textWidth(s, 12) + 24
	}
	b.WriteString(`</g>`)
	// the axis and its 0, 50% and 100% lines
	for _, f := range []float64{0, 0.5, 1} {
		y := top + plot - int(f*plot)
		fmt.Fprintf(&b, `<line x1="50" y1="%d" x2="%d" y2="%d" stroke="#bbb" stroke-width="1"/>`, y, width, y)
	}
	for i, br := range bars {
		x := left + i*per
		bx := x + (per-colW*len(series))/2 // the bars centred in their slot
		for j, v := range br.Values {
			v = min(max(v, 0), 1)
			h := int(v * plot)
			fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s %s</title></rect>`,
				bx+j*colW, top+plot-h, colW-2, h, colours[j], template.HTMLEscapeString(br.Mn), template.HTMLEscapeString(br.Zh), template.HTMLEscapeString(br.Texts[j]))
			fmt.Fprintf(&b, `<text class="value" x="%d" y="%d" font-size="10" text-anchor="middle">%s</text>`, bx+j*colW+colW/2-1, top+plot-h-3, template.HTMLEscapeString(br.Texts[j]))
		}
		mid := x + per/2
		// Mongolian script turned a quarter clockwise is Mongolian written top to bottom; Chinese keeps its
		// characters upright, one under another. (SVG's own writing-mode is not drawn by every browser.)
		// Turned, the Mongolian line's box (Noto Sans Mongolian's tall ascent) reaches about 17 px right of
		// its baseline and 4 px left: the baseline sits 20 px left of the slot's middle, the Chinese column
		// (12 px) is centred 7 px right of it, and the next slot's names begin 20 px on.
		if br.Mn != "" {
			fmt.Fprintf(&b, `<text class="label mn" lang="mn-Mong" x="%d" y="%d" font-size="12" transform="rotate(90 %d %d)">%s</text>`,
				mid-20, top+plot+6, mid-20, top+plot+6, template.HTMLEscapeString(clip(br.Mn, 16)))
		}
		fmt.Fprintf(&b, `<text class="label zh" lang="zh-Hans" x="%d" y="%d" font-size="12" text-anchor="middle">`, mid+7, top+plot+6)
		for i, r := range []rune(clip(br.Zh, 10)) {
			fmt.Fprintf(&b, `<tspan x="%d" y="%d">%s</tspan>`, mid+7, top+plot+18+i*13, template.HTMLEscapeString(string(r)))
		}
		b.WriteString(`</text>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// textWidth estimates how wide a line of text is drawn: a Chinese character is as wide as the type is
// high, a Latin letter, digit or Mongolian letter about two thirds of it.
func textWidth(s string, size int) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += size
		} else {
			w += size * 2 / 3
		}
	}
	return w
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// onTimeChart draws the on-time rate of each line (the first 24).
func onTimeChart(p *Page, lines []supervision.Line, labels map[string]service.Label) template.HTML {
	var bars []bar
	for _, l := range lines[:min(len(lines), 24)] {
		lb := labels[l.Value]
		bars = append(bars, bar{Mn: lb.Mn, Zh: or(lb.Zh, l.Value), Values: []float64{l.OnTimeRate()}, Texts: []string{Figure(l.OnTimeRate(), true)}})
	}
	return columnChart(p.T("sv.chart_on_time"), []string{p.T("sv.on_time_rate")}, bars)
}

// volumeChart draws received and completed of each line, scaled to the largest.
func volumeChart(p *Page, lines []supervision.Line, labels map[string]service.Label) template.HTML {
	most := 1
	for _, l := range lines {
		most = max(most, l.Received, l.Completed)
	}
	var bars []bar
	for _, l := range lines[:min(len(lines), 24)] {
		lb := labels[l.Value]
		bars = append(bars, bar{Mn: lb.Mn, Zh: or(lb.Zh, l.Value),
			Values: []float64{float64(l.Received) / float64(most), float64(l.Completed) / float64(most)},
			Texts:  []string{fmt.Sprint(l.Received), fmt.Sprint(l.Completed)}})
	}
	return columnChart(p.T("sv.chart_volume"), []string{p.T("sv.received"), p.T("sv.completed")}, bars)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
