package catalogfile

import (
	"strings"

	"bianmin/internal/catalog"
)

// The sheet 申请表 of the Excel template: a row per field of an item's application form (catalog.FormField).
// It is optional, so that templates made before forms existed import as they did. Options are written
// "值:中文:蒙古文" separated by "；", a condition "字段代码=值".

// SheetForm is the sheet of application-form fields.
const SheetForm = "申请表"

var formHeaders = []string{"事项序号", "字段代码", "中文标签", "蒙古文标签", "类型", "必填", "选项", "显示条件", "中文提示", "蒙古文提示"}
var formFields = []string{"", "key", "label_zh", "label_mn", "type", "required", "choices", "when", "hint_zh", "hint_mn"}

var fieldTypeNames = map[string]string{catalog.FieldText: "文本", catalog.FieldNumber: "数字", catalog.FieldDate: "日期",
	catalog.FieldChoice: "选项", catalog.FieldIDNumber: "身份证号", catalog.FieldPhone: "电话"}

// formRow writes a field as the sheet's cells after the item's reference.
func formRow(f catalog.FormField) []any {
	var opts []string
	for _, c := range f.Choices {
		o := c.Value + ":" + c.Zh
		if c.Mn != "" {
			o += ":" + c.Mn
		}
		opts = append(opts, o)
	}
	when := ""
	if f.When != nil {
		when = f.When.Field + "=" + f.When.Equals
	}
	return []any{f.Key, f.LabelZh, f.LabelMn, name(fieldTypeNames, f.Type), yesNo(f.Required), strings.Join(opts, "；"), when, f.HintZh, f.HintMn}
}

// readFormRow reads a row's cells (v[0] is the item's reference); an unknown type name is kept as written,
// for the item's own check to name.
func readFormRow(v []string) catalog.FormField {
	f := catalog.FormField{Key: v[1], LabelZh: v[2], LabelMn: v[3], Type: key(fieldTypeNames, v[4]), Required: v[5] == "是", HintZh: v[8], HintMn: v[9]}
	for _, o := range splitList(v[6]) {
		parts := strings.SplitN(o, ":", 3)
		c := catalog.Choice{Value: strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			c.Zh = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			c.Mn = strings.TrimSpace(parts[2])
		}
		f.Choices = append(f.Choices, c)
	}
	if k, val, ok := strings.Cut(v[7], "="); ok {
		f.When = &catalog.Condition{Field: strings.TrimSpace(k), Equals: strings.TrimSpace(val)}
	}
	return f
}
