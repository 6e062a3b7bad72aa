package store

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestZZList(t *testing.T) {
	stmts, _, err := scanSQL(".", nil)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bcases\b`)
	col := regexp.MustCompile(`applicant_id|receiving_org`)
	for _, s := range stmts {
		if re.MatchString(s.Text) && col.MatchString(s.Text) && !strings.HasPrefix(strings.TrimSpace(s.Text), "INSERT") {
			fmt.Printf("== %s %s\n%s\n", s.Func, s.Pos, oneLine(s.Text))
		}
	}
}
