package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

var ctx = context.Background()

// tree makes region > city > banner > two townships > a village each.
func tree(t *testing.T, db *store.DB) map[string]org.Org {
	t.Helper()
	out := map[string]org.Org{}
	err := db.Write(ctx, func(tx *store.Tx) error {
		mk := func(key, parent string, k org.Kind, code, name string) error {
			o := org.Org{ParentID: out[parent].ID, Kind: k, Code: code, NameZh: name}
			if err := tx.CreateOrg(access.System, &o); err != nil {
				return err
			}
			out[key] = o
			return nil
		}
		return errors.Join(
			mk("region", "", org.Region, "150000", "内蒙古自治区"),
			mk("city", "region", org.City, "150400", "赤峰市"),
			mk("banner", "city", org.Banner, "150421", "阿鲁科尔沁旗"),
			mk("t1", "banner", org.Township, "150421100", "天山镇"),
			mk("t2", "banner", org.Township, "150421105", "绍根镇"),
			mk("v1", "t1", org.Village, "150421100200", "杨树林村"),
			mk("v2", "t2", org.Village, "150421105200", "阿格坦塔拉嘎查"),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateTwice(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
	})
}

func TestOrgTree(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		sub, err := db.Subtree(ctx, o["t1"].Path)
		if err != nil {
			t.Fatal(err)
		}
		if len(sub) != 2 || sub[0].ID != o["t1"].ID || sub[1].ID != o["v1"].ID {
			t.Fatalf("subtree of 天山镇: %+v", sub)
		}
		all, _ := db.Subtree(ctx, o["banner"].Path, org.Village)
		if len(all) != 2 {
			t.Fatalf("villages of the banner: %d", len(all))
		}
		got, err := db.OrgByCode(ctx, "150421105200")
		if err != nil || got.NameZh != "阿格坦塔拉嘎查" || got.ParentID != o["t2"].ID {
			t.Fatalf("by code: %+v %v", got, err)
		}
		// a code is unique, and the failed insert leaves nothing behind
		before, _ := db.CountOrgs(ctx)
		err = db.Write(ctx, func(tx *store.Tx) error {
			dup := org.Org{ParentID: o["banner"].ID, Kind: org.Township, Code: "150421100", NameZh: "重复镇"}
			return tx.CreateOrg(access.System, &dup)
		})
		if e := errs.All(err); len(e) != 1 || e[0].Field != "code" || e[0].Key != "err.code.taken" {
			t.Fatalf("duplicate code: %v", err)
		}
		if after, _ := db.CountOrgs(ctx); after != before {
			t.Fatalf("a refused insert wrote %d rows", after-before)
		}
	})
}

func TestOrgOptimisticLocking(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)["t1"]
		rename := func(name string) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.UpdateOrgNames(access.System, o.ID, o.Version, name, "ᠲᠢᠶᠠᠨ ᠱᠠᠨ ᠪᠠᠯᠭᠠᠰᠤ", "天山", true)
				return err
			})
		}
		if err := rename("天山镇"); err != nil {
			t.Fatal(err)
		}
		if err := rename("天山鎮"); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a second edit from the same version must conflict, got %v", err)
		}
		got, _ := db.Org(ctx, o.ID)
		if got.NameZh != "天山镇" || got.Version != 2 || got.Abbr != "天山" {
			t.Fatalf("after edits: %+v", got)
		}
	})
}

// Of many people saving the same version at once, exactly one wins.
func TestOrgConcurrentEditsOneWins(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)["t2"]
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Write(ctx, func(tx *store.Tx) error {
					_, err := tx.UpdateOrgNames(access.System, o.ID, 1, "绍根镇", "", "", false)
					return err
				})
				mu.Lock()
				defer mu.Unlock()
				switch errs.CodeOf(err) {
				case "":
					wins++
				case errs.Conflict:
					conflicts++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 || conflicts != 9 {
			t.Fatalf("wins %d, conflicts %d", wins, conflicts)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		// A department carrying a code that the next file gives to a township makes the import fail late,
		// after the new banner was already inserted: the banner must go too.
		if err := db.Write(ctx, func(tx *store.Tx) error {
			d := org.Org{ParentID: o["banner"].ID, Kind: org.Department, Code: "150422100", NameZh: "某局"}
			return tx.CreateOrg(access.System, &d)
		}); err != nil {
			t.Fatal(err)
		}
		plan, err := org.ParseDivisions(strings.NewReader(`{"region":{"code":"150000","name":"内蒙古自治区"},"city":{"code":"150400","name":"赤峰市"},
			"banner":{"code":"150422","name":"巴林左旗"},"townships":[{"code9":"150422100","name":"林东镇"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountOrgs(ctx)
		auditBefore, _ := db.CountAudit(ctx)
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := tx.ImportPlan(access.System, plan); return err })
		if errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("want a refusal, got %v", err)
		}
		after, _ := db.CountOrgs(ctx)
		auditAfter, _ := db.CountAudit(ctx)
		if after != before || auditAfter != auditBefore {
			t.Fatalf("a refused import left %d organisations and %d audit entries", after-before, auditAfter-auditBefore)
		}
		if _, err := db.OrgByCode(ctx, "150422"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("the banner of a refused import exists: %v", err)
		}
	})
}

// A township stored by its 12-digit code (before imports kept the 9 digits) is the same township when a file
// names it by its 9: the import adds nothing.
func TestImportFindsATownshipByEitherForm(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		file := `{"region":{"code":"150000","name":"内蒙古自治区"},"city":{"code":"150400","name":"赤峰市"},
			"banner":{"code":"150422","name":"巴林左旗"},"townships":[{"code9":"150422100","name":"林东镇"}]}`
		plan, err := org.ParseDivisions(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.ImportPlan(access.System, plan); return err }); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(ctx, `UPDATE orgs SET code = '150422100000' WHERE code = '150422100'`); err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountOrgs(ctx)
		var created int
		if err := db.Write(ctx, func(tx *store.Tx) error { created, err = tx.ImportPlan(access.System, plan); return err }); err != nil || created != 0 {
			t.Fatalf("again: %d created, %v", created, err)
		}
		if after, _ := db.CountOrgs(ctx); after != before {
			t.Fatalf("%d organisations more", after-before)
		}
	})
}

func TestAuditTrailDetectsTampering(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.AuditLanes = 1          // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
		t1 := tree(t, db)["t1"].ID // each organisation's creation is the first entry of its chain
		n, err := db.VerifyAudit(ctx)
		if err != nil || n != 7 {
			t.Fatalf("intact trail: %d entries, %v", n, err)
		}
		// The database itself refuses edits and deletions of audit rows.
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET actor_name = 'x' WHERE chain = ? AND seq = 1`, t1); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if err := db.ExecRaw(ctx, `DELETE FROM audit_log WHERE chain = ? AND seq = 1`, t1); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
		// Someone with the database's keys removes the guard and edits one row: the chain names that row.
		unguard(t, db)
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET after_json = '{"NameZh":"伪造"}' WHERE chain = ? AND seq = 1`, t1); err != nil {
			t.Fatal(err)
		}
		_, err = db.VerifyAudit(ctx)
		var b *audit.Break
		if !errors.As(err, &b) || b.Chain != t1 || b.Seq != 1 {
			t.Fatalf("want a break at entry 1 of the township's chain, got %v", err)
		}
	})
}

func TestAuditTrailDetectsLostTail(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
		tree(t, db)
		notes(t, db, "org-a", 3)
		unguard(t, db)
		if err := db.ExecRaw(ctx, `DELETE FROM audit_log WHERE chain = 'org-a' AND seq = 3`); err != nil {
			t.Fatal(err)
		}
		_, err := db.VerifyAudit(ctx)
		var b *audit.Break
		if !errors.As(err, &b) || b.Chain != "org-a" || b.Seq != 3 {
			t.Fatalf("want the missing newest entry reported, got %v", err)
		}
	})
}

func unguard(t *testing.T, db *store.DB) {
	t.Helper()
	var err error
	if db.Dialect() == "sqlite" {
		err = errors.Join(db.ExecRaw(ctx, `DROP TRIGGER audit_log_no_update`), db.ExecRaw(ctx, `DROP TRIGGER audit_log_no_delete`))
	} else {
		err = db.ExecRaw(ctx, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestSessions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		s := people.Staff{Username: "clerk1", Name: "受理员", Role: access.Clerk, OrgID: o["t1"].ID, Lang: "zh"}
		var sess store.Session
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreateStaff(access.System, &s, "hash"); err != nil {
				return err
			}
			var err error
			sess, err = tx.StartSession(s, time.Hour)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, gs, err := db.SessionStaff(ctx, sess.Token)
		if err != nil || got.ID != s.ID || got.OrgPath != o["t1"].Path || gs.CSRF != sess.CSRF {
			t.Fatalf("session: %+v %v", got, err)
		}
		if _, _, err := db.SessionStaff(ctx, sess.Token+"x"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("a wrong token: %v", err)
		}
		db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		if _, _, err := db.SessionStaff(ctx, sess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("an expired session: %v", err)
		}
		db.Now = time.Now
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.EndSession(sess.Token) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionStaff(ctx, sess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("an ended session: %v", err)
		}
		// usernames are unique
		dup := people.Staff{Username: "clerk1", Name: "另一人", Role: access.Clerk, OrgID: o["t2"].ID, Lang: "zh"}
		err = db.Write(ctx, func(tx *store.Tx) error { return tx.CreateStaff(access.System, &dup, "hash") })
		if e := errs.All(err); len(e) != 1 || e[0].Field != "username" || e[0].Key != "err.username.taken" {
			t.Fatalf("duplicate username: %v", err)
		}
	})
}

// The same submission sent 20 times at once creates one applicant.
func TestIdempotentSubmission(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		var wg sync.WaitGroup
		ids := make([]string, 20)
		errors := make([]error, 20)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errors[i] = db.Write(ctx, func(tx *store.Tx) error {
					var err error
					ids[i], _, err = tx.Idempotent("key-1", "applicant", "agent-1", func() (string, error) {
						a := people.Applicant{Kind: people.Resident, Name: "巴特尔", IDNumber: "11010519491231002X", OrgID: o["v1"].ID}
						err := tx.CreateApplicant(access.System, &a)
						return a.ID, err
					})
					return err
				})
			}()
		}
		wg.Wait()
		for i := range ids {
			if errors[i] != nil {
				t.Fatalf("submission %d: %v", i, errors[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("submission %d made %s, the first %s", i, ids[i], ids[0])
			}
		}
		if n, _ := db.CountApplicants(ctx); n != 1 {
			t.Fatalf("%d applicants", n)
		}
	})
}

// A key remembers what its request asked (the fingerprint's first 32 characters; whole before): the same
// request again replays, another is refused, and a key kept before fingerprints matches any.
func TestIdempotentFingerprint(t *testing.T) {
	whole := strings.Repeat("ab", 32)
	other := strings.Repeat("cd", 32)
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		for i, c := range []struct {
			name, kept, again string // kept: as stored ("" none); again: the second request's fingerprint
			refused           bool
		}{
			{"the same request", "now", whole, false},
			{"another request", "now", other, true},
			{"another that shares the kept half", "now", whole[:32] + other[32:], false},
			{"kept whole before, the same again", whole, whole, false},
			{"kept whole before, another", whole, other, true},
			{"kept before fingerprints", "", other, false},
			{"sent again without one", "now", "", false},
		} {
			t.Run(c.name, func(t *testing.T) {
				key := fmt.Sprintf("fp-%d", i)
				first := whole
				if c.kept != "now" {
					first = "" // stored as an older Bianmin stored it, below
				}
				err := db.Write(ctx, func(tx *store.Tx) error {
					_, _, err := tx.IdempotentFor(key, "test", "agent-1", first, func() (string, error) { return "result-" + key, nil })
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				var stored string
				if err := db.QueryRowRaw(ctx, `SELECT fingerprint FROM idempotency WHERE key = ?`, key).Scan(&stored); err != nil {
					t.Fatal(err)
				}
				if c.kept == "now" && stored != whole[:32] {
					t.Fatalf("kept %q", stored)
				}
				if c.kept != "now" {
					if err := db.ExecRaw(ctx, `UPDATE idempotency SET fingerprint = ? WHERE key = ?`, c.kept, key); err != nil {
						t.Fatal(err)
					}
				}
				var id string
				var replay bool
				err = db.Write(ctx, func(tx *store.Tx) error {
					var err error
					id, replay, err = tx.IdempotentFor(key, "test", "agent-1", c.again, func() (string, error) { return "made again", nil })
					return err
				})
				if c.refused {
					if e := errs.All(err); len(e) != 1 || e[0].Key != "err.idempotency.reused" {
						t.Fatalf("not refused: %v", err)
					}
					return
				}
				if err != nil || !replay || id != "result-"+key {
					t.Fatalf("%q %v %v", id, replay, err)
				}
			})
		}
	})
}

// Writes that arrive together commit together on SQLite (group commit): one that fails leaves nothing,
// the others all land, and the audit chain holds.
func TestConcurrentWritesSomeFail(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 40)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx *store.Tx) error {
					w := org.Org{ParentID: o["t1"].ID, Kind: org.Center, NameZh: fmt.Sprintf("中心%02d", i)}
					if err := tx.CreateOrg(access.System, &w); err != nil {
						return err
					}
					if i%3 == 0 {
						return errors.New("changed my mind")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		kids, _ := db.Children(ctx, o["t1"].ID)
		centers := 0
		for _, k := range kids {
			if k.Kind == org.Center {
				centers++
			}
		}
		for i, err := range errs {
			if (i%3 == 0) != (err != nil) {
				t.Errorf("write %d: %v", i, err)
			}
		}
		if centers != 26 {
			t.Fatalf("%d centers, want 26", centers)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 7+26 {
			t.Fatalf("audit: %d entries, %v", n, err)
		}
	})
}
