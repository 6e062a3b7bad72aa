package web

import (
	"bianmin/internal/cases"
	"bianmin/internal/files"
)

// settledChecks are the materials of a resubmitted case whose checks stand (行政许可法 第32条: after the
// one-time notice only what it asked for is checked again).
func settledChecks(c cases.Case) map[string]cases.Check {
	if !c.Corrected || c.State != cases.Received {
		return nil
	}
	out := map[string]cases.Check{}
	for _, m := range c.Materials {
		if m.Check != "" {
			out[m.Name] = m.Check
		}
	}
	return out
}

// Offers reports whether the window's form offers a check for a material: 不适用 only for optional ones,
// 容缺后补 only for deferrable ones, 告知承诺 only for proofs on an item that allows it. The service refuses
// the others whatever a form sends; the form does not offer them.
func (v caseView) Offers(m cases.MaterialCheck, k cases.Check) bool {
	switch k {
	case cases.NotApplicable:
		return !m.Required && !m.Deferrable
	case cases.Owed:
		return m.Deferrable
	case cases.Pledged:
		return m.Pledgeable && v.Work.Case.PledgeAllowed
	case cases.Electronic:
		return len(v.Paper.ByMaterial[m.Name]) > 0 // seen on screen: there are files to see
	}
	return true
}

// FilesOf are the files handed in for a material, which the check records as standing for it.
func (v caseView) FilesOf(name string) []files.File { return v.Paper.ByMaterial[name] }

// keepChecked puts what the desk chose back on the rows after a refused move, so that nothing typed is lost.
func keepChecked(rows, sent []cases.MaterialCheck) {
	for _, m := range sent {
		for i := range rows {
			if rows[i].Name == m.Name && m.Check != "" {
				rows[i].Check, rows[i].Note = m.Check, m.Note
			}
		}
	}
}
