package store_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"bianmin/internal/ids"
	"bianmin/internal/testkit"
)

func TestZZExplain(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := testkit.Open(t, e)
			orgs := []string{ids.New(), ids.New(), ids.New(), ids.New(), ids.New(), ids.New(), ids.New(), ids.New()}
			var apps []string
			for i := 0; i < 2000; i++ {
				apps = append(apps, ids.New())
			}
			states := []string{"delivered", "delivered", "delivered", "accepted", "received", "issued", "refused"}
			received := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
			if os.Getenv("ZZDROP") != "" {
				for _, ix := range []string{"cases_applicant", "cases_receiving_received", "applicants_org"} {
					if err := db.ExecRaw(ctx, `DROP INDEX `+ix); err != nil {
						t.Fatal(err)
					}
				}
			}
			if e.Name == "postgres" {
				db.ExecRaw(ctx, `ALTER TABLE cases DISABLE TRIGGER ALL`)
			} else {
				db.ExecRaw(ctx, `PRAGMA foreign_keys = OFF`)
			}
			n := 20000
			for done := 0; done < n; done += 500 {
				var b strings.Builder
				b.WriteString(`INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, state, step, version, doc, received_at, updated_at, received_on, department) VALUES `)
				var args []any
				for i := done; i < done+500; i++ {
					if i > done {
						b.WriteString(",")
					}
					b.WriteString("(?, ?, ?, ?, ?, 1, ?, ?, 3, 9, '{}', ?, ?, ?, ?)")
					at := received.Add(time.Duration(i) * 20 * time.Minute)
					args = append(args, ids.New(), fmt.Sprintf("N%09d", i), orgs[i%4], orgs[(i/3)%8], fmt.Sprint("item", i%40), apps[(i*7)%len(apps)], states[i%len(states)], at, at, at.Year()*10000+int(at.Month())*100+at.Day(), fmt.Sprint("dept", i%10))
				}
				if err := db.ExecRaw(ctx, b.String(), args...); err != nil {
					t.Fatal(err)
				}
			}
			db.ExecRaw(ctx, `ANALYZE`)
			explain := "EXPLAIN QUERY PLAN "
			if e.Name == "postgres" {
				explain = "EXPLAIN (COSTS OFF) "
			}
			qs := []struct {
				name string
				q    string
				args []any
			}{
				{"OpenCasesOf", `SELECT doc FROM cases WHERE applicant_id = ? AND state NOT IN ('delivered', 'refused', 'terminated', 'revoked') ORDER BY received_at DESC LIMIT 20`, []any{apps[5]}},
				{"CasesOfApplicant", `SELECT doc FROM cases WHERE applicant_id = ? ORDER BY received_at DESC, case_no DESC LIMIT 20`, []any{apps[5]}},
				{"CasesUnderStanding", `SELECT doc FROM cases WHERE applicant_id = ? AND receiving_org = ? ORDER BY received_at DESC LIMIT 20`, []any{apps[5], orgs[1]}},
				{"TopItems", `SELECT item_id FROM (SELECT item_id FROM cases WHERE receiving_org = ? ORDER BY received_at DESC LIMIT 200) AS recent GROUP BY item_id ORDER BY count(*) DESC, item_id LIMIT 10`, []any{orgs[1]}},
				{"TopItems2", `SELECT item_id FROM (SELECT item_id FROM cases WHERE receiving_org = ? ORDER BY received_on DESC, id DESC LIMIT 200) AS recent GROUP BY item_id ORDER BY count(*) DESC, item_id LIMIT 10`, []any{orgs[1]}},
				{"Check", `SELECT p.id FROM applicants p WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.applicant_id = p.id)`, nil},
				{"FindIDNumber", `SELECT c.id FROM cases c WHERE c.applicant_id IN (SELECT id FROM applicants WHERE id_number = ?) ORDER BY c.received_on DESC, c.id DESC LIMIT 20`, []any{"x"}},
				{"FindIDNumberScoped", `SELECT c.id FROM cases c WHERE ((c.handling_org || '') IN (?) OR (c.receiving_org || '') IN (?)) AND c.applicant_id IN (SELECT id FROM applicants WHERE id_number = ?) ORDER BY c.received_on DESC, c.id DESC LIMIT 20`, []any{orgs[1], orgs[1], "x"}},
				{"PendingStationOriginals", `SELECT c.doc FROM cases c WHERE c.receiving_org = ? AND c.state NOT IN ('refused', 'terminated', 'revoked', 'delivered') AND NOT EXISTS (SELECT 1 FROM station_list_cases l WHERE l.case_id = c.id AND l.kind = 'originals') ORDER BY c.case_no`, []any{orgs[1]}},
				{"FindWindow", `SELECT c.id FROM cases c WHERE ((c.handling_org || '') IN (?) OR (c.receiving_org || '') IN (?)) AND c.receiving_org = ? ORDER BY c.received_on DESC, c.id DESC LIMIT 20`, []any{orgs[1], orgs[1], orgs[1]}},
				{"FindWindowLead", `SELECT c.id FROM cases c WHERE (c.handling_org IN (?) OR c.receiving_org IN (?)) AND c.receiving_org = ? AND c.state = 'accepted' ORDER BY c.received_on DESC, c.id DESC LIMIT 20`, []any{orgs[1], orgs[1], orgs[1]}},
				{"AssistedOpen", `SELECT c.doc FROM cases c JOIN orgs r ON r.id = c.receiving_org WHERE c.applicant_id IN (SELECT applicant_id FROM applicant_needs WHERE active = 1) AND c.state NOT IN ('delivered', 'refused', 'terminated', 'revoked') AND r.path >= ? AND r.path < ? AND c.doc LIKE '%"helped":true%' ORDER BY c.received_at LIMIT 10`, []any{"a", "b"}},
				{"ApplicantsOrg", `SELECT id FROM applicants WHERE org_id = ? ORDER BY id DESC LIMIT 20`, []any{orgs[1]}},
			}
			run := func(label string) {
				for _, q := range qs {
					rows, err := db.QueryRaw(ctx, explain+q.q, q.args...)
					if err != nil {
						t.Fatalf("%s: %v", q.name, err)
					}
					cols, _ := rows.Columns()
					var lines []string
					for rows.Next() {
						vals := make([]any, len(cols))
						ptr := make([]any, len(cols))
						for i := range vals {
							ptr[i] = &vals[i]
						}
						rows.Scan(ptr...)
						lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
					}
					rows.Close()
					fmt.Printf("[%s %s] %s:\n    %s\n", e.Name, label, q.name, strings.Join(lines, "\n    "))
				}
			}
			run(os.Getenv("ZZDROP"))
		})
	}
}
