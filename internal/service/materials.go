package service

import (
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
)

// Asked is what an item version asks of each material, as the window's check needs it: required, deferrable
// (容缺后补, FACTS.md §5.4), replaceable by a pledge (告知承诺, 国办发〔2020〕42号: a proof, never identity nor the
// application form, whatever an old version's flag says).
func Asked(it catalog.Item) []cases.MaterialCheck {
	out := make([]cases.MaterialCheck, len(it.Materials))
	for i, m := range it.Materials {
		out[i] = cases.MaterialCheck{Name: m.Name, Required: m.Necessity == catalog.Required,
			Deferrable: m.Necessity == catalog.Deferrable, Pledgeable: m.Pledgeable()}
	}
	return out
}

// pledgeNotice is the signed 告知承诺书 an acceptance with pledges brings beside its 受理通知书: a numbered
// notice of its own (42号: 书面承诺).
func pledgeNotice(c cases.Case, ev cases.Event) []string {
	if (ev.Action == cases.Accept || ev.Action == cases.AcceptOwed) && c.Pledge != nil {
		return []string{cases.NoticePledge}
	}
	return nil
}
