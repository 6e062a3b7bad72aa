package web

import (
	"testing"

	"bianmin/internal/i18n"
)

// A material whose counts its source did not state shows 未注明 on the guide, never 0.
func TestCountsUnstatedOnTheGuide(t *testing.T) {
	p := &Page{cat: i18n.MustLoad(), Lang: i18n.Zh}
	if got := p.Counts(-1, 3); got != "原件 未注明，复印件 3 份" {
		t.Errorf("unknown originals: %q", got)
	}
	if got := p.Counts(1, 0); got != "原件 1 份，复印件 0 份" {
		t.Errorf("known counts: %q", got)
	}
}
