package catalog

import (
	"testing"

	"bianmin/internal/errs"
)

var testForm = []FormField{
	{Key: "name", LabelZh: "申请人姓名", LabelMn: "ᠨᠡᠷ᠎ᠡ", Type: FieldText, Required: true},
	{Key: "children", LabelZh: "子女人数", Type: FieldNumber, Required: true},
	{Key: "born", LabelZh: "子女出生日期", Type: FieldDate},
	{Key: "married", LabelZh: "婚姻状况", Type: FieldChoice, Required: true, Choices: []Choice{{Value: "yes", Zh: "已婚"}, {Value: "no", Zh: "未婚"}}},
	{Key: "spouse_id", LabelZh: "配偶身份证号", Type: FieldIDNumber, Required: true, When: &Condition{Field: "married", Equals: "yes"}},
	{Key: "phone", LabelZh: "联系电话", Type: FieldPhone},
}

// Values are checked by type, required only where asked (a condition that does not hold drops the field),
// and every fault names the field by its label in both languages.
func TestFillForm(t *testing.T) {
	for _, c := range []struct {
		name   string
		values map[string]string
		faults map[string]string // field -> key
	}{
		{"complete", map[string]string{"name": "巴特尔", "children": "1", "married": "yes", "spouse_id": "15042119850315201-8", "phone": "13904761234", "born": "2010-05-01"}, nil},
		{"condition not met: the spouse is not asked", map[string]string{"name": "巴特尔", "children": "1", "married": "no", "spouse_id": "nonsense"}, nil},
		{"required missing", map[string]string{"children": "1", "married": "yes"}, map[string]string{"f_name": "err.form.required", "f_spouse_id": "err.form.required"}},
		{"types", map[string]string{"name": "x", "children": "一个", "born": "2010-13-01", "married": "maybe", "phone": "123"},
			map[string]string{"f_children": "err.form.number", "f_born": "err.form.date", "f_married": "err.form.choice", "f_phone": "err.form.phone"}},
		{"a wrong ID number", map[string]string{"name": "x", "children": "1", "married": "yes", "spouse_id": "150421198503152019"}, map[string]string{"f_spouse_id": "err.form.id_number"}},
	} {
		got, err := FillForm(testForm, c.values)
		faults := map[string]string{}
		for _, e := range errs.All(err) {
			faults[e.Field] = e.Key
			if e.Args["label_zh"] == "" || e.Args["label_mn"] == "" {
				t.Errorf("%s: %s is not named by its label: %v", c.name, e.Field, e.Args)
			}
		}
		if len(faults) != len(c.faults) {
			t.Errorf("%s: faults %v, want %v", c.name, faults, c.faults)
		}
		for f, k := range c.faults {
			if faults[f] != k {
				t.Errorf("%s: %s = %q, want %q", c.name, f, faults[f], k)
			}
		}
		if c.faults == nil && err == nil {
			if _, asked := got["spouse_id"]; asked != (c.values["married"] == "yes") {
				t.Errorf("%s: kept %v", c.name, got)
			}
			if c.values["married"] == "yes" && got["spouse_id"] != "150421198503152018" {
				t.Errorf("%s: the ID number is not kept in plain form: %q", c.name, got["spouse_id"])
			}
		}
	}
}

// A form's definition: keys of their own, labels, known types, choices, conditions on an earlier choice.
func TestCheckForm(t *testing.T) {
	for _, c := range []struct {
		name  string
		form  []FormField
		field string
	}{
		{"good", testForm, ""},
		{"bad key", []FormField{{Key: "Name!", LabelZh: "姓名", Type: FieldText}}, "application_form[0].key"},
		{"key twice", []FormField{{Key: "a", LabelZh: "甲", Type: FieldText}, {Key: "a", LabelZh: "乙", Type: FieldText}}, "application_form[1].key"},
		{"no label", []FormField{{Key: "a", Type: FieldText}}, "application_form[0].label_zh"},
		{"unknown type", []FormField{{Key: "a", LabelZh: "甲", Type: "file"}}, "application_form[0].type"},
		{"choice without options", []FormField{{Key: "a", LabelZh: "甲", Type: FieldChoice}}, "application_form[0].choices"},
		{"condition on a later field", []FormField{{Key: "b", LabelZh: "乙", Type: FieldText, When: &Condition{Field: "a", Equals: "x"}}, {Key: "a", LabelZh: "甲", Type: FieldChoice, Choices: []Choice{{Value: "x", Zh: "x"}}}}, "application_form[0].when"},
		{"condition on a value not offered", []FormField{{Key: "a", LabelZh: "甲", Type: FieldChoice, Choices: []Choice{{Value: "x", Zh: "x"}}}, {Key: "b", LabelZh: "乙", Type: FieldText, When: &Condition{Field: "a", Equals: "y"}}}, "application_form[1].when"},
	} {
		var l errs.List
		checkForm(&l, Item{Form: c.form})
		got := ""
		if len(l) > 0 {
			got = l[0].Field
		}
		if got != c.field || len(l) > 1 {
			t.Errorf("%s: %v, want %q", c.name, l, c.field)
		}
	}
}
