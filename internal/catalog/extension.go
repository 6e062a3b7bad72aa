package catalog

import "bianmin/internal/errs"

// License is the type code of 行政许可 (GB/T 39046 A.1).
const License = "01"

// ExtensionIn is the unit an approved extension of a case of the item is counted in. 行政许可法 第82条:
// "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日": a 行政许可's extension (第42条) is in
// working days whatever the unit of the item's own limit. Other kinds of item extend in their own unit
// (ExtensionUnit), working days when it says nothing.
func (it Item) ExtensionIn() Unit {
	if it.TypeCode == License || it.ExtensionUnit != NaturalDays {
		return WorkingDays
	}
	return NaturalDays
}

// checkExtensionUnit: an extension unit is working or natural days, and a 行政许可 can have only working days.
func (it Item) checkExtensionUnit(l *errs.List) {
	switch {
	case it.ExtensionUnit != "" && it.ExtensionUnit != WorkingDays && it.ExtensionUnit != NaturalDays:
		l.Add(errs.Field("extension_unit", "err.item.code_set"))
	case it.TypeCode == License && it.ExtensionUnit == NaturalDays:
		l.Add(errs.Field("extension_unit", "err.item.extension_unit_license"))
	}
}
