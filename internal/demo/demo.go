// Package demo loads the demo world: 阿鲁科尔沁旗 with its real township-level units and codes, the villages
// of the division fixture, banner departments, a service center with windows for every township, a station
// for every village, and a demo account for every role.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

//go:embed data/divisions-150421.json
var divisionsJSON []byte

// Password is the password of every demo account.
const Password = "Bianmin-2026"

// Login is a demo account, printed at start-up.
type Login struct {
	Username, Role, Where string
}

// Mongolian names for the demo. None of these is attested in the glossary of shared/fixtures; they are
// transliterations and compositions from attested words (ᠪᠠᠯᠭᠠᠰᠤ 镇, ᠰᠤᠮᠤ 苏木, ᠰᠢᠶᠠᠩ 乡, ᠲᠣᠪᠴᠢᠶ᠎ᠠ 局 ...),
// so every one is loaded marked for review, and administrators can correct them on the organisation page.
var townshipMn = map[string]string{
	"天山镇":     "ᠲᠢᠶᠠᠨ ᠱᠠᠨ ᠪᠠᠯᠭᠠᠰᠤ",
	"天山口镇":    "ᠲᠢᠶᠠᠨ ᠱᠠᠨ ᠺᠧᠦ ᠪᠠᠯᠭᠠᠰᠤ",
	"双胜镇":     "ᠱᠤᠸᠠᠩ ᠱᠧᠩ ᠪᠠᠯᠭᠠᠰᠤ",
	"坤都镇":     "ᠬᠦᠨᠳᠦ ᠪᠠᠯᠭᠠᠰᠤ",
	"巴彦花镇":    "ᠪᠠᠶᠠᠨ ᠬᠤᠸᠠ ᠪᠠᠯᠭᠠᠰᠤ",
	"绍根镇":     "ᠱᠣᠭᠣᠨ ᠪᠠᠯᠭᠠᠰᠤ",
	"扎嘎斯台镇":   "ᠵᠠᠭᠠᠰᠤᠲᠠᠢ ᠪᠠᠯᠭᠠᠰᠤ",
	"新民乡":     "ᠰᠢᠨ ᠮᠢᠨ ᠰᠢᠶᠠᠩ",
	"先锋乡":     "ᠰᠢᠶᠠᠨ ᠹᠧᠩ ᠰᠢᠶᠠᠩ",
	"罕苏木苏木":   "ᠬᠠᠨ ᠰᠤᠮᠤ ᠰᠤᠮᠤ",
	"赛罕塔拉苏木":  "ᠰᠠᠶᠢᠬᠠᠨ ᠲᠠᠯ᠎ᠠ ᠰᠤᠮᠤ",
	"巴拉奇如德苏木": "ᠪᠠᠯᠵᠢᠷᠤᠳ ᠰᠤᠮᠤ",
	"乌兰哈达乡":   "ᠤᠯᠠᠭᠠᠨᠬᠠᠳᠠ ᠰᠢᠶᠠᠩ",
	"巴彦温都尔苏木": "ᠪᠠᠶᠠᠨ ᠥᠨᠳᠥᠷ ᠰᠤᠮᠤ",
	"罕乌拉街道":   "ᠬᠠᠨ ᠠᠭᠤᠯᠠ ᠭᠤᠳᠤᠮᠵᠢ",
	"欧沐沦街道":   "ᠥᠮᠥᠯᠥᠨ ᠭᠤᠳᠤᠮᠵᠢ",
	"天山街道":    "ᠲᠢᠶᠠᠨ ᠱᠠᠨ ᠭᠤᠳᠤᠮᠵᠢ",
}

var unitMn = map[string]string{
	"内蒙古自治区": "ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ ᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠣᠨ", // attested, high
	"赤峰市":    "ᠤᠯᠠᠭᠠᠨᠬᠠᠳᠠ ᠬᠣᠲᠠ",
}

// Department is a banner department of the demo.
type department struct{ zh, mn, abbr, user string }

var departments = []department{
	{"民政局", "ᠢᠷᠭᠡᠨ ᠬᠡᠷᠡᠭ ᠦᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿民", "minzheng"},
	{"人力资源和社会保障局", "ᠬᠦᠮᠦᠨ ᠬᠦᠴᠦᠨ ᠨᠥᠭᠡᠴᠡ ᠪᠠ ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠪᠠᠲᠤᠯᠠᠭᠠᠨ ᠤ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿人社", "renshe"},
	{"医疗保障局", "ᠡᠮᠨᠡᠯᠭᠡ ᠶᠢᠨ ᠪᠠᠲᠤᠯᠠᠭᠠᠨ ᠤ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿医保", "yibao"},
	{"卫生健康委员会", "ᠡᠷᠡᠭᠦᠯ ᠬᠠᠮᠢᠭᠠᠯᠠᠯ ᠤᠨ ᠵᠥᠪᠯᠡᠯ", "阿卫健", "weijian"},
	{"自然资源局", "ᠪᠠᠢᠭᠠᠯᠢ ᠶᠢᠨ ᠨᠥᠭᠡᠴᠡ ᠶᠢᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿自然", "ziran"},
	{"农牧局", "ᠲᠠᠷᠢᠶᠠᠯᠠᠩ ᠮᠠᠯᠵᠢᠯ ᠤᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿农牧", "nongmu"},
	{"残疾人联合会", "ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠬᠣᠯᠪᠣᠭ᠎ᠠ", "阿残联", "canlian"},
	{"退役军人事务局", "ᠬᠠᠯᠠᠭᠳᠠᠭᠰᠠᠳ ᠤᠨ ᠬᠡᠷᠡᠭ ᠦᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿退役", "tuiyi"},
	{"政务服务局", "ᠵᠠᠰᠠᠭ ᠤᠨ ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿政服", ""},
	{"公安局", "ᠴᠠᠭᠳᠠᠭ᠎ᠠ ᠶᠢᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿公", ""},
	{"司法局", "ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿司", ""},
	{"市场监督管理局", "ᠵᠠᠬ ᠵᠡᠭᠡᠯᠢ ᠶᠢᠨ ᠬᠢᠨᠠᠨ ᠬᠠᠮᠢᠶᠠᠷᠬᠤ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿市监", ""},
	{"税务局", "ᠲᠠᠲᠠᠪᠤᠷᠢ ᠶᠢᠨ ᠲᠣᠪᠴᠢᠶ᠎ᠠ", "阿税", ""},
}

const (
	centerMn  = " ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠲᠥᠪ"    // 便民服务中心: 服务 + 中心
	stationMn = " ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠥᠷᠲᠡᠭᠡ" // 便民服务站
)

type window struct {
	zh, mn  string
	desk    org.Desk
	general bool
}

var windows = []window{
	{"综合受理窗口一", "ᠶᠡᠷᠦᠩᠬᠡᠢ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠴᠣᠩᠬᠣ 1", org.FrontDesk, true},
	{"综合受理窗口二", "ᠶᠡᠷᠦᠩᠬᠡᠢ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠴᠣᠩᠬᠣ 2", org.FrontDesk, true},
	{"出件窗口", "ᠦᠷ᠎ᠡ ᠲᠠᠷᠬᠠᠭᠠᠬᠤ ᠴᠣᠩᠬᠣ", org.FrontDesk, false},
	{"后台审办区", "ᠬᠢᠨᠠᠨ ᠰᠢᠢᠳᠪᠦᠷᠢᠯᠡᠬᠦ ᠬᠡᠰᠡᠭ", org.BackOffice, false},
}

// The steps of the demo world's load, in order. Each is recorded when done (in its own transaction where
// the step is one), so that a start that finds the load unfinished goes on from the first step not done.
const (
	StepBegin       = "world.begin"
	StepDivisions   = "world.divisions"
	StepDepartments = "world.departments"
	StepCenters     = "world.centers"
	StepStaff       = "world.staff"
	StepItems       = "world.catalog.items"
	StepPlaces      = "world.catalog.places"
	StepBundles     = "world.catalog.bundles"
	StepResident    = "world.resident"
	StepWorld       = "world.done"
)

// StepError says which step of a load stopped, and why (a cancelled context when it was stopped).
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("demo load, step %s: %v", e.Step, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }

// Unfinished reports whether the database holds a load of the demo world that was begun and not finished.
func Unfinished(ctx context.Context, svc *service.Service) (bool, error) {
	done, err := svc.DB.StepsDone(ctx)
	return done[StepBegin] && !done[StepWorld], err
}

// Load builds the demo world in steps, each recorded when done: into an empty database, or finishing a load
// that was stopped (Ctrl-C, a kill, a crash) from the first step not done. It refuses a database that holds
// organisations it did not load.
func Load(ctx context.Context, svc *service.Service) ([]Login, error) {
	done, err := svc.DB.StepsDone(ctx)
	if err != nil {
		return nil, err
	}
	if done[StepWorld] {
		return Logins(), nil
	}
	if !done[StepBegin] {
		n, err := svc.DB.CountOrgs(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("demo: the database already holds %d organisations", n)
		}
		if err := svc.DB.MarkStep(ctx, StepBegin); err != nil {
			return nil, err
		}
	}
	for _, s := range []struct {
		name string
		do   func(context.Context, *service.Service) error
		// inTx: the step records itself in its own transaction
		inTx bool
	}{
		{StepDivisions, loadDivisions, false},
		{StepDepartments, loadDepartments, true},
		{StepCenters, loadCenters, true},
		{StepStaff, loadStaff, false},
		{StepItems, loadItems, false},
		{StepPlaces, loadPlaces, true},
		{StepBundles, loadBundles, false},
		{StepResident, loadResident, false},
	} {
		if done[s.name] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, &StepError{s.name, err}
		}
		if err := s.do(ctx, svc); err != nil {
			return nil, &StepError{s.name, err}
		}
		if !s.inTx {
			if err := svc.DB.MarkStep(ctx, s.name); err != nil {
				return nil, &StepError{s.name, err}
			}
		}
	}
	if err := svc.RebuildSearchIndex(ctx); err != nil {
		return nil, err
	}
	// every string a person reads, listed for the Mongolian reviewers (issue 17)
	if err := svc.SyncMn(ctx); err != nil {
		return nil, err
	}
	if err := svc.DB.MarkStep(ctx, StepWorld); err != nil {
		return nil, err
	}
	return Logins(), nil
}

func divisionFile() (org.DivisionFile, error) {
	var f org.DivisionFile
	if err := json.Unmarshal(divisionsJSON, &f); err != nil {
		return f, err
	}
	for i, t := range f.Townships {
		f.Townships[i].NameMn = townshipMn[t.Name]
	}
	f.Region.NameMn, f.City.NameMn = unitMn[f.Region.Name], unitMn[f.City.Name]
	return f, nil
}

// loadDivisions imports the division file: all or nothing, and a second run adds nothing.
func loadDivisions(ctx context.Context, svc *service.Service) error {
	f, err := divisionFile()
	if err != nil {
		return err
	}
	b, _ := json.Marshal(f)
	if _, err := svc.ImportDivisions(ctx, access.System, bytes.NewReader(b)); err != nil {
		return fmt.Errorf("demo divisions: %w", err)
	}
	return nil
}

func bannerOrg(ctx context.Context, svc *service.Service) (org.Org, error) {
	f, err := divisionFile()
	if err != nil {
		return org.Org{}, err
	}
	return svc.DB.OrgByCode(ctx, f.Banner.Code)
}

func loadDepartments(ctx context.Context, svc *service.Service) error {
	banner, err := bannerOrg(ctx, svc)
	if err != nil {
		return err
	}
	return svc.DB.Write(ctx, func(tx *store.Tx) error {
		for _, d := range departments {
			o := org.Org{ParentID: banner.ID, Kind: org.Department, NameZh: d.zh, NameMn: d.mn, MnReview: true, Abbr: d.abbr}
			if err := tx.CreateOrg(access.System, &o); err != nil {
				return err
			}
		}
		return tx.MarkStep(StepDepartments)
	})
}

func loadCenters(ctx context.Context, svc *service.Service) error {
	sys := access.System
	banner, err := bannerOrg(ctx, svc)
	if err != nil {
		return err
	}
	units, err := svc.DB.Subtree(ctx, banner.Path, org.Township, org.Village)
	if err != nil {
		return err
	}
	return svc.DB.Write(ctx, func(tx *store.Tx) error {
		for _, u := range units {
			switch u.Kind {
			case org.Township:
				// The abbreviation numbers the township's notices; the uncoded street office of the file gets
				// its Mongolian name here too.
				if mn := townshipMn[u.NameZh]; mn != "" {
					if _, err := tx.UpdateOrgNames(sys, u.ID, u.Version, u.NameZh, townshipMn[u.NameZh], abbr(u.NameZh), true); err != nil {
						return err
					}
				}
				c := org.Org{ParentID: u.ID, Kind: org.Center, NameZh: u.NameZh + "便民服务中心", MnReview: true, Abbr: abbr(u.NameZh)}
				if mn := townshipMn[u.NameZh]; mn != "" {
					c.NameMn = mn + centerMn
				}
				if err := tx.CreateOrg(sys, &c); err != nil {
					return err
				}
				for _, w := range windows {
					o := org.Org{ParentID: c.ID, Kind: org.Window, NameZh: w.zh, NameMn: w.mn, MnReview: true, Desk: w.desk, General: w.general}
					if err := tx.CreateOrg(sys, &o); err != nil {
						return err
					}
				}
			case org.Village:
				s := org.Org{ParentID: u.ID, Kind: org.Station, NameZh: u.NameZh + "便民服务站", MnReview: true}
				if u.NameMn != "" {
					s.NameMn = u.NameMn + stationMn
				}
				if err := tx.CreateOrg(sys, &s); err != nil {
					return err
				}
			}
		}
		return tx.MarkStep(StepCenters)
	})
}

// loadStaff makes the demo accounts, one transaction each; an account already there (from a load that was
// stopped within this step) is kept.
func loadStaff(ctx context.Context, svc *service.Service) error {
	banner, err := bannerOrg(ctx, svc)
	if err != nil {
		return err
	}
	units, err := svc.DB.Subtree(ctx, banner.Path, org.Department, org.Township, org.Village)
	if err != nil {
		return err
	}
	byName := map[string]org.Org{banner.NameZh: banner}
	for _, u := range units {
		byName[string(u.Kind)+"/"+u.NameZh] = u
	}
	for _, p := range demoPeople {
		o := byName[string(p.kind)+"/"+p.unit]
		if p.kind == org.Banner {
			o = banner
		}
		if o.ID == "" {
			return fmt.Errorf("demo: no organisation %s for %s", p.unit, p.user)
		}
		var n int
		if err := svc.DB.QueryRowRaw(ctx, `SELECT count(*) FROM staff WHERE username = ?`, p.user).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		in := service.StaffInput{Username: p.user, Name: p.name, Role: p.role, OrgID: o.ID, Lang: "zh", Password: Password}
		if _, err := svc.CreateStaff(ctx, access.System, in); err != nil {
			return fmt.Errorf("demo staff %s: %w", p.user, err)
		}
	}
	return nil
}

func loadResident(ctx context.Context, svc *service.Service) error {
	var n int
	if err := svc.DB.QueryRowRaw(ctx, `SELECT count(*) FROM residents WHERE id_number = ?`, Resident.IDNumber).Scan(&n); err != nil || n > 0 {
		return err
	}
	vs, err := svc.DB.OrgsByName(ctx, org.Village, Resident.Village)
	if err != nil || len(vs) == 0 {
		return fmt.Errorf("demo: no village %s for the demo resident (%v)", Resident.Village, err)
	}
	res, _, err := svc.RegisterResident(ctx, service.RegisterInput{Name: Resident.Name, IDNumber: Resident.IDNumber, Phone: Resident.Phone,
		OrgID: vs[0].ID, Password: Password, Confirm: Password, Lang: "zh"}, "demo")
	if err != nil {
		return fmt.Errorf("demo resident: %w", err)
	}
	// The demo resident's identity card was seen at the window: the account files online freely.
	return svc.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetResidentIdentity(access.System, res, people.IdentityWindow) })
}

type demoPerson struct {
	user, name, role string
	kind             org.Kind
	unit             string // the name of the organisation the account belongs to
}

var demoPeople = []demoPerson{
	{"admin", "系统管理员", "admin", org.Banner, "阿鲁科尔沁旗"},
	{"supervisor", "电子监察员", "supervisor", org.Banner, "阿鲁科尔沁旗"},
	{"minzheng", "民政局审核员", "department", org.Department, "民政局"},
	// the head of 民政局 (本行政机关负责人): approves extensions of the cases 民政局 decides (行政许可法 第42条)
	{"minzheng.head", "民政局局长", "director", org.Department, "民政局"},
	{"gongan", "公安局户政民警", "department", org.Department, "公安局"},
	// the heads of the other departments that decide demo items at their own step (居民身份证申领 by 公安局:
	// 居民身份证法 第8条), for the same reason
	{"gongan.head", "公安局局长", "director", org.Department, "公安局"},
	{"yibao.head", "医疗保障局局长", "director", org.Department, "医疗保障局"},
	{"weijian.head", "卫生健康委员会主任", "director", org.Department, "卫生健康委员会"},
	{"nongmu.head", "农牧局局长", "director", org.Department, "农牧局"},
	// 宅基地's 并联审批 (issue 19): the two departments' reviewers; 自然资源局's also decides the 乡村建设规划许可
	// until it delegates it to townships (issue 14), and is the townships' counterpart; its head answers the
	// help requests that go late
	{"nongmu", "农牧局审核员", "department", org.Department, "农牧局"},
	{"ziran", "自然资源局审核员", "department", org.Department, "自然资源局"},
	{"canlian", "残联审核员", "department", org.Department, "残疾人联合会"},
	{"ziran.head", "自然资源局局长", "director", org.Department, "自然资源局"},
	{"canlian.head", "残疾人联合会理事长", "director", org.Department, "残疾人联合会"},
	{"tianshan.clerk", "天山镇综合受理员", "clerk", org.Township, "天山镇"},
	{"tianshan.reviewer", "天山镇审办员", "reviewer", org.Township, "天山镇"},
	{"tianshan.director", "天山镇中心主任", "director", org.Township, "天山镇"},
	{"shaogen.clerk", "绍根镇综合受理员", "clerk", org.Township, "绍根镇"},
	{"shaogen.reviewer", "绍根镇审办员", "reviewer", org.Township, "绍根镇"},
	{"shaogen.director", "绍根镇中心主任", "director", org.Township, "绍根镇"},
	{"yangshulin.agent", "杨树林村代办员", "agent", org.Village, "杨树林村"},
	{"xishuangshan.agent", "西双山村代办员", "agent", org.Village, "西双山村"},
	{"agetan.agent", "阿格坦塔拉嘎查代办员", "agent", org.Village, "阿格坦塔拉嘎查"},
	// native Mongolian reviewers: one for the banner (the interface, the catalog, every name), one for a
	// township's own names (issue 17)
	{"fanyi", "蒙古文译审员", "translator", org.Banner, "阿鲁科尔沁旗"},
	{"tianshan.fanyi", "天山镇蒙古文译审员", "translator", org.Township, "天山镇"},
}

// Logins lists the demo accounts without touching the database (for a restart of the demo).
func Logins() []Login {
	out := make([]Login, len(demoPeople))
	for i, p := range demoPeople {
		out[i] = Login{Username: p.user, Role: p.role, Where: p.unit}
	}
	return append(out, residentLogin())
}

// Resident is the demo resident's own account on the portal (the online channel): they sign in at
// /resident/login with the ID number and Password, and apply from a guide.
var Resident = struct{ Name, IDNumber, Phone, Village string }{"巴特尔", "150421198503152018", "13904760001", "潘家湾村"}

func residentLogin() Login {
	return Login{Username: Resident.IDNumber, Role: "resident", Where: Resident.Village + " (/resident/login)"}
}

// abbr is the short name used in notice numbers: the name without its 镇/乡/苏木/街道.
func abbr(name string) string {
	for _, s := range []string{"街道", "苏木", "镇", "乡"} {
		if t := strings.TrimSuffix(name, s); t != name && t != "" {
			return t
		}
	}
	return name
}
