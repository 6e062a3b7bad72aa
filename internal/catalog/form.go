package catalog

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
	"bianmin/internal/people"
)

// The item's application form (申请表): the fields an applicant fills in, at the window, at a village station
// or online, and that print as the paper form they sign. A form is part of the item version, so that a case
// keeps the form it was filled on. 行政许可法 第29条: the applicant hands in an application (申请书); where a
// form (格式文本) is required, the organ provides it free (第29条第2款) — here, on the portal and printed.

// The types a field may take.
const (
	FieldText     = "text"
	FieldNumber   = "number"
	FieldDate     = "date"
	FieldChoice   = "choice"
	FieldIDNumber = "id_number" // GB 11643, checked as at intake
	FieldPhone    = "phone"
)

// FieldTypes lists them in the order the editor offers them.
var FieldTypes = []string{FieldText, FieldNumber, FieldDate, FieldChoice, FieldIDNumber, FieldPhone}

// Form limits: a field's text, the number of fields, a choice's options.
const (
	MaxFormText   = 500
	MaxFormFields = 60
	MaxChoices    = 30
)

// Choice is one option of a choice field.
type Choice struct {
	Value string `json:"value"`
	Zh    string `json:"zh"`
	Mn    string `json:"mn,omitempty"`
}

// Condition shows a field (and makes its requirement count) only when an earlier choice field has a value:
// "配偶姓名" only when "婚姻状况" is 已婚.
type Condition struct {
	Field  string `json:"field"`
	Equals string `json:"equals"`
}

// FormField is one field of the form.
type FormField struct {
	Key      string     `json:"key"` // a-z, 0-9 and _, unique in the form: what stores the value
	LabelZh  string     `json:"label_zh"`
	LabelMn  string     `json:"label_mn,omitempty"`
	Type     string     `json:"type"`
	Required bool       `json:"required,omitempty"`
	Choices  []Choice   `json:"choices,omitempty"`
	When     *Condition `json:"when,omitempty"`
	HintZh   string     `json:"hint_zh,omitempty"`
	HintMn   string     `json:"hint_mn,omitempty"`
}

// Label in a language, Chinese where the Mongolian is missing.
func (f FormField) Label(lang string) string {
	if lang == "mn" && f.LabelMn != "" {
		return f.LabelMn
	}
	return f.LabelZh
}

// ChoiceLabel is the label of a chosen value in a language.
func (f FormField) ChoiceLabel(v, lang string) string {
	for _, c := range f.Choices {
		if c.Value == v {
			if lang == "mn" && c.Mn != "" {
				return c.Mn
			}
			return c.Zh
		}
	}
	return v
}

var fieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// checkForm: each field with a key of its own, a Chinese label, a known type; a choice with options; a
// condition on an earlier choice field and one of its values.
func checkForm(l *errs.List, it Item) {
	if len(it.Form) > MaxFormFields {
		l.Add(errs.Field("application_form", "err.form.too_many").With("max", strconv.Itoa(MaxFormFields)))
	}
	seen := map[string]FormField{}
	for i, f := range it.Form {
		p := "application_form[" + strconv.Itoa(i) + "]"
		if !fieldKeyRE.MatchString(f.Key) {
			l.Add(errs.Field(p+".key", "err.form.key").With("key", f.Key))
		} else if _, dup := seen[f.Key]; dup {
			l.Add(errs.Field(p+".key", "err.form.key_twice").With("key", f.Key))
		}
		text(l, p+".label_zh", f.LabelZh, true, 100)
		text(l, p+".label_mn", f.LabelMn, false, 200)
		text(l, p+".hint_zh", f.HintZh, false, 300)
		text(l, p+".hint_mn", f.HintMn, false, 600)
		if !slices.Contains(FieldTypes, f.Type) {
			l.Add(errs.Field(p+".type", "err.item.code_set"))
		}
		if f.Type == FieldChoice && (len(f.Choices) == 0 || len(f.Choices) > MaxChoices) {
			l.Add(errs.Field(p+".choices", "err.form.choices").With("max", strconv.Itoa(MaxChoices)))
		}
		for j, c := range f.Choices {
			if strings.TrimSpace(c.Value) == "" || strings.TrimSpace(c.Zh) == "" {
				l.Add(errs.Field(p+".choices["+strconv.Itoa(j)+"]", "err.required"))
			}
		}
		if w := f.When; w != nil {
			on, ok := seen[w.Field]
			if !ok || on.Type != FieldChoice || !slices.ContainsFunc(on.Choices, func(c Choice) bool { return c.Value == w.Equals }) {
				l.Add(errs.Field(p+".when", "err.form.condition").With("key", w.Field))
			}
		}
		seen[f.Key] = f
	}
}

// Shown reports whether a field is asked, given the values so far: always, or when its condition holds.
func (f FormField) Shown(values map[string]string) bool {
	return f.When == nil || values[f.When.Field] == f.When.Equals
}

var numberRE = regexp.MustCompile(`^-?[0-9]{1,12}(\.[0-9]{1,4})?$`)

// FillForm checks the values an applicant gave against the form and returns what the case keeps: the values
// of the fields asked (a field whose condition does not hold is dropped), trimmed, ID numbers in their plain
// form. Every fault is named by the field's own label in both languages (the arguments label_zh and
// label_mn), and a fault changes nothing.
func FillForm(form []FormField, values map[string]string) (map[string]string, error) {
	var l errs.List
	out := map[string]string{}
	for _, f := range form {
		v := strings.TrimSpace(values[f.Key])
		if !f.Shown(out) {
			continue
		}
		fail := func(key string) {
			l.Add(errs.Field("f_"+f.Key, key).With("label_zh", f.LabelZh).With("label_mn", f.Label("mn")))
		}
		if v == "" {
			if f.Required {
				fail("err.form.required")
			}
			continue
		}
		if utf8.RuneCountInString(v) > MaxFormText {
			fail("err.form.too_long")
			continue
		}
		switch f.Type {
		case FieldNumber:
			if !numberRE.MatchString(v) {
				fail("err.form.number")
			}
		case FieldDate:
			if _, err := time.Parse("2006-01-02", v); err != nil {
				fail("err.form.date")
			}
		case FieldChoice:
			if !slices.ContainsFunc(f.Choices, func(c Choice) bool { return c.Value == v }) {
				fail("err.form.choice")
			}
		case FieldIDNumber:
			v = people.NormalizeIDNumber(v)
			if people.CheckIDNumber("f_"+f.Key, v) != nil {
				fail("err.form.id_number")
			}
		case FieldPhone:
			if people.CheckPhone("f_"+f.Key, v) != nil {
				fail("err.form.phone")
			}
		}
		out[f.Key] = v
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// FilledOnline reports whether a material is the item's own application form and the item defines that
// form: it is then filled in on the form (at the window, at a station or online) and needs no paper.
func (it Item) FilledOnline(m Material) bool {
	return len(it.Form) > 0 && IsApplicationForm(m.Name)
}

// IsApplicationForm reports a material that is the application itself (申请表, 申请书, 登记表).
func IsApplicationForm(name string) bool {
	for _, w := range []string{"申请表", "申请书", "登记表"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
