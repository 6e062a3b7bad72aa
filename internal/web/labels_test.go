package web

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
)

// Every field error names its field by its label in the reader's language (issue 12, item 7): a row of a
// list by what it is (the material's name), or by its label and number; never by its key.
func TestFieldErrorsNameTheirField(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cat: cat}
	tests := []struct {
		err    *errs.Error
		zh, mn string
	}{
		{errs.Field("materials[0]", "err.case.not_owed").With("name", "居民户口簿"), "申请材料「居民户口簿」", "居民户口簿"},
		{errs.Field("materials[2]", "err.item.code_set"), "申请材料第3项", "3"},
		{errs.Field("reason", "err.required"), "理由", "ᠰᠢᠯᠲᠠᠭᠠᠨ"},
		{errs.Field("owed_by", "err.required"), "后补期限", "ᠨᠥᠬᠥᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ"},
		{errs.Field("grant", "err.case.choose_decision"), "决定", "ᠱᠢᠢᠳᠪᠦᠷᠢ"},
	}
	for _, tt := range tests {
		for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
			fe := s.fieldErrors(lang, tt.err)
			want := tt.zh
			if lang == i18n.Mn {
				want = tt.mn
			}
			if len(fe) != 1 || !strings.Contains(fe[0].Label, want) || strings.Contains(fe[0].Label, "[") || strings.Contains(fe[0].Label, "_") {
				t.Errorf("%s in %s: %+v, want a label with %q", tt.err.Field, lang, fe, want)
			}
		}
	}
	// an empty date is reported as required, not as too early
	c := cases.Case{State: cases.Received, Steps: []cases.Step{{Name: "受理", Role: "clerk"}, {Name: "审核", Role: "reviewer"}}}
	_, err = c.Apply(cases.AcceptOwed, cases.Front, cases.Input{Materials: []cases.MaterialCheck{{Name: "银行卡", Check: cases.Owed, Deferrable: true}}}, time.Now(), clock.New(clock.Default(), clock.DefaultRules()))
	for _, fe := range s.fieldErrors(i18n.Zh, err) {
		if fe.Field == "owed_by" && fe.Message != "必须填写" {
			t.Errorf("an empty date: %q", fe.Message)
		}
	}
}
