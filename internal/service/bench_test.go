package service_test

import (
	"fmt"
	"slices"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkLogin is a login at the production password-hash setting (argon2id, 19 MiB, 2 passes): the cost
// that throttles guessing, paid once per sign-in.
func BenchmarkLogin(b *testing.B) {
	db := testkit.Open(b, testkit.SQLite(b))
	svc := testkit.Demo(b, db)
	if err := svc.ChangePassword(ctx, mustStaff(b, svc, "tianshan.clerk"), "", demo.Password, "production-hash-pw", "production-hash-pw"); err != nil {
		b.Fatal(err)
	}
	prod, _ := service.New(db, svc.Catalog, service.DefaultConfig())
	// re-hash at the production setting
	if err := prod.ChangePassword(ctx, mustStaff(b, svc, "tianshan.clerk"), "", "production-hash-pw", "production-hash-p2", "production-hash-p2"); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++ // a client address per attempt, so that the per-address throttle does not stop the benchmark
		if _, _, err := prod.Login(ctx, "tianshan.clerk", "production-hash-p2", fmt.Sprint("10.0.", n/250, ".", n%250)); err != nil {
			b.Fatal(err)
		}
	}
}

func mustStaff(b *testing.B, svc *service.Service, username string) people.Staff {
	c, err := svc.DB.CredentialsByUsername(ctx, username)
	if err != nil {
		b.Fatal(err)
	}
	return c.Staff
}

// BenchmarkSearch is the portal's search over 5,000 published items, with the queries residents type:
// Chinese words, pinyin, initials and Mongolian. It reports the 50th and 99th percentile per query.
func BenchmarkSearch(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			svc := testkit.Demo(b, db)
			base := demo.DemoItems()
			qualifiers := []string{"", "变更", "注销", "补办", "延续", "查询", "年审"}
			townships := []string{"天山镇", "天山口镇", "双胜镇", "坤都镇", "巴彦花镇", "绍根镇", "扎嘎斯台镇", "新民乡", "先锋乡", "罕苏木苏木", "赛罕塔拉苏木", "巴拉奇如德苏木", "乌兰哈达乡", "巴彦温都尔苏木", "罕乌拉街道", "欧沐沦街道"}
			var batch []catalog.Item
			n, _ := db.CountItems(ctx)
			for _, q := range qualifiers {
				for _, t := range townships {
					for _, it := range base {
						if n >= 5000 {
							break
						}
						it.NameZh = it.NameZh + q + "（" + t + "）"
						batch = append(batch, it)
						n++
						if len(batch) == 500 {
							if _, err := svc.ImportItems(ctx, access.System, batch, true); err != nil {
								b.Fatal(err)
							}
							batch = batch[:0]
						}
					}
				}
			}
			if len(batch) > 0 {
				if _, err := svc.ImportItems(ctx, access.System, batch, true); err != nil {
					b.Fatal(err)
				}
			}
			if total, _ := db.CountItems(ctx); total < 5000 {
				b.Fatalf("%d items", total)
			}
			build := time.Now()
			if _, err := svc.Search(ctx, "低保", 1); err != nil { // builds the index once, as the first search after a change does
				b.Fatal(err)
			}
			buildTime := time.Since(build)
			queries := []string{"户口", "低保", "dibao", "db", "社保卡", "残疾人补贴", "宅基地", "ᠠᠮᠢᠳᠤᠷᠠᠯ", "养老保险", "sbk"}
			var lat []time.Duration
			per := map[string][]time.Duration{}
			i := 0
			for b.Loop() {
				q := queries[i%len(queries)]
				i++
				start := time.Now()
				res, err := svc.Search(ctx, q, 20)
				d := time.Since(start)
				lat = append(lat, d)
				per[q] = append(per[q], d)
				if err != nil || len(res) == 0 {
					b.Fatalf("%q: %v", q, err)
				}
			}
			for q, ds := range per {
				slices.Sort(ds)
				b.Logf("%-12s p50 %v p99 %v", q, ds[len(ds)/2], ds[len(ds)*99/100])
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(buildTime.Milliseconds()), "index-build-ms")
		})
	}
}
