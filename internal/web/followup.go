package web

import (
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/service"
)

// AwaitText says, in the page's language, what a bundle's case waits for and where that leaves it: waiting
// for the other item's decision, free to be accepted once it is granted, or never once it is not.
func (p *Page) AwaitText(a *service.Awaiting) string {
	item := a.ItemNameIn(string(p.Lang))
	switch a.Await {
	case cases.AwaitGranted:
		return p.T("case.await_granted", "item", item)
	case cases.AwaitFailed:
		return p.T("err.case.awaited_failed", "item", item)
	}
	return p.T("case.waits_for", "item", item)
}

// ExtensionUnit names the unit an item's extensions are counted in, and why: a 行政许可's are working days by
// 行政许可法 第82条; another item's are its own unit, working days when it states none.
func (p *Page) ExtensionUnit(it catalog.Item) string {
	switch {
	case it.TypeCode == catalog.License:
		return p.T("extension_unit.license")
	case it.ExtensionUnit == catalog.NaturalDays:
		return p.T("extension_unit.natural_days")
	case it.ExtensionUnit == catalog.WorkingDays:
		return p.T("extension_unit.working_days")
	}
	return p.T("extension_unit.unstated")
}
