package enquiry

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/errs"
)

// 首问负责 (DB50/T 957.1-2019 5.1): only the owner answers or hands over; a hand-over needs its reason and
// stays on the record; once answered, nothing more.
func TestFirstAsked(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	e := Enquiry{ID: "e", Question: "低保要带什么", Owner: "a", OwnerName: "A", State: Open, Version: 1}
	steps := []struct {
		name  string
		do    func(Enquiry) (Enquiry, error)
		code  errs.Code
		owner string
	}{
		{"a stranger answers", func(e Enquiry) (Enquiry, error) { return e.Answer("b", "x", at) }, errs.Forbidden, "a"},
		{"a stranger hands over", func(e Enquiry) (Enquiry, error) { return e.HandOver("b", "B", "c", "C", "x", at) }, errs.Forbidden, "a"},
		{"to oneself", func(e Enquiry) (Enquiry, error) { return e.HandOver("a", "A", "a", "A", "x", at) }, errs.Invalid, "a"},
		{"without reason", func(e Enquiry) (Enquiry, error) { return e.HandOver("a", "A", "b", "B", "", at) }, errs.Invalid, "a"},
		{"handed over", func(e Enquiry) (Enquiry, error) { return e.HandOver("a", "A", "b", "B", "需民政办核实", at) }, "", "b"},
		{"the former owner answers", func(e Enquiry) (Enquiry, error) { return e.Answer("a", "x", at) }, errs.Forbidden, "b"},
		{"an empty answer", func(e Enquiry) (Enquiry, error) { return e.Answer("b", "", at) }, errs.Invalid, "b"},
		{"answered", func(e Enquiry) (Enquiry, error) { return e.Answer("b", "带身份证、户口簿", at) }, "", "b"},
		{"answered twice", func(e Enquiry) (Enquiry, error) { return e.Answer("b", "x", at) }, errs.Conflict, "b"},
		{"handed over after", func(e Enquiry) (Enquiry, error) { return e.HandOver("b", "B", "a", "A", "x", at) }, errs.Conflict, "b"},
	}
	for _, s := range steps {
		next, err := s.do(e)
		if errs.CodeOf(err) != s.code {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err == nil {
			e = next
		}
		if e.Owner != s.owner {
			t.Fatalf("%s: owner %s", s.name, e.Owner)
		}
	}
	if len(e.Handovers) != 1 || e.State != Answered || e.Version != 3 {
		t.Fatalf("%+v", e)
	}
}

func TestCheckAndLink(t *testing.T) {
	for _, c := range []struct {
		e      Enquiry
		fields string
	}{
		{Enquiry{Question: "q"}, ""},
		{Enquiry{}, "question"},
		{Enquiry{Question: "q", AskerPhone: "138-0000 1234"}, ""},
		{Enquiry{Question: "q", AskerPhone: "call me"}, "asker_phone"},
		{Enquiry{Question: strings.Repeat("问", MaxQuestion+1), AskerName: strings.Repeat("名", MaxName+1)}, "question,asker_name"},
	} {
		var got []string
		for _, e := range errs.All(c.e.Check()) {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != c.fields {
			t.Errorf("%+v: %v", c.e, got)
		}
	}
	e := Enquiry{State: Open}
	e, err := e.Link("c1", "N1", time.Now())
	if err != nil || e.State != Answered || e.CaseNo != "N1" {
		t.Fatalf("%+v %v", e, err)
	}
	if _, err := e.Link("c2", "N2", time.Now()); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("linked to a second case: %v", err)
	}
}
