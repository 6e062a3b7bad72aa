package store_test

import (
	"fmt"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

func TestZZPrefix(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	rows, err := db.QueryRaw(ctx, `SELECT m.tbl_name, m.name, coalesce(m.sql, ''), group_concat(i.name, ',') FROM sqlite_master m, pragma_index_info(m.name) i WHERE m.type = 'index' GROUP BY m.name ORDER BY m.tbl_name`)
	if err != nil {
		t.Fatal(err)
	}
	type ix struct{ tbl, name, sql, cols string }
	var all []ix
	for rows.Next() {
		var x ix
		rows.Scan(&x.tbl, &x.name, &x.sql, &x.cols)
		all = append(all, x)
	}
	rows.Close()
	for _, a := range all {
		for _, b := range all {
			if a.tbl == b.tbl && a.name != b.name && strings.HasPrefix(b.cols+",", a.cols+",") {
				fmt.Printf("%s: %s (%s) %q is a prefix of %s (%s) %q\n", a.tbl, a.name, a.cols, a.sql, b.name, b.cols, b.sql)
			}
		}
	}
}
