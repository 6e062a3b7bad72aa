package catalogfile

import (
	"slices"
	"strings"
	"testing"

	"bianmin/internal/catalog"
)

func TestReadLimit(t *testing.T) {
	wd := func(n int) catalog.Limit { return catalog.Limit{Value: n, Unit: catalog.WorkingDays} }
	for _, c := range []struct {
		in   string
		want catalog.Limit
		ok   bool
	}{
		{"24工作日", wd(24), true},
		{"1个工作日", wd(1), true},
		{"20个工作日。", wd(20), true},
		{"２０个工作日", wd(20), true},
		{"二十个工作日", wd(20), true},
		{"十五个工作日内", wd(15), true},
		{"15个工作日内办结", wd(15), true},
		{"自受理之日起20个工作日内完成", wd(20), true},
		{"受理后5个工作日内办结。", wd(5), true},
		{"10个自然日", catalog.Limit{Value: 10, Unit: catalog.NaturalDays}, true},
		{"即时办结", catalog.Limit{Unit: catalog.Instant}, true},
		{"即办", catalog.Limit{Unit: catalog.Instant}, true},
		{"当场办结。", catalog.Limit{Unit: catalog.Instant}, true},
		{"20个工作日（不含公示时间）", catalog.Limit{Value: 20, Unit: catalog.WorkingDays, Note: "不含公示时间"}, true},
		// 天 and 日 are kept as stated, with the wording, for review: never guessed as working days
		{"20天", catalog.Limit{Value: 20, Unit: catalog.StatedDays, Note: "原文：20天"}, true},
		{"30日内", catalog.Limit{Value: 30, Unit: catalog.StatedDays, Note: "原文：30日内"}, true},
		{"0个工作日", catalog.Limit{}, false},
		{"视情况而定", catalog.Limit{}, false},
		{"", catalog.Limit{}, false},
		{"网上1个工作日内办结，窗口即时办结", catalog.Limit{}, false},
	} {
		got, ok := readLimit(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("readLimit(%q) = %+v %v, want %+v %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestReadCounts(t *testing.T) {
	u := catalog.UnknownCount
	for _, c := range []struct {
		form, count string
		o, c        int
	}{
		{"", "", u, u},
		{"原件及复印件", "", 1, 1},
		{"原件和复印件", "3份", 1, 3},
		{"原件", "", 1, 0},
		{"复印件", "3份", 0, 3},
		{"", "原件1份", 1, u},
		{"", "原件一份", 1, u},
		{"", "复印件2份", u, 2},
		{"", "原件1份，复印件2份", 1, 2},
		{"", "原件及复印件各1份", 1, 1},
		{"", "一式四份", 4, 0},
		{"", "一式两份", 2, 0},
		{"", "3张", u, u},
		{"", "一张;复印件3份", u, 3},
		{"原件和复印件;纸质、电子", "纸质材料份数2;原件1;复印件1 (as parsed from table row '2 1 1')", 1, 1},
		{"纸质", "", u, u},
		{"复印件", "一式两份", 0, 2},
	} {
		o, cp := readCounts(c.form, c.count)
		if o != c.o || cp != c.c {
			t.Errorf("readCounts(%q, %q) = %d, %d; want %d, %d", c.form, c.count, o, cp, c.o, c.c)
		}
	}
}

func TestReadFreeVisitsLevelType(t *testing.T) {
	for in, want := range map[string]bool{"此项不收费": true, "不收费": true, "免费": true, "不收费。": true, "否": true, "无": true,
		"本事项不收费": true, "0元": true, "工本费10元": false, "": false, "按规定收费": false} {
		if readFree(in) != want {
			t.Errorf("readFree(%q) != %v", in, want)
		}
	}
	for _, c := range []struct {
		in     string
		n      int
		reason string
		ok     bool
	}{
		{"0", 0, "", true}, {"0次", 0, "", true}, {"1次", 1, "", true}, {"１次", 1, "", true}, {"一次", 1, "", true},
		{"最多跑一次", 1, "", true}, {"1次（需现场核验原件）", 1, "需现场核验原件", true}, {"1次，需本人到场签字", 1, "需本人到场签字", true},
		{"视情况", 0, "", false}, {"", 0, "", false},
	} {
		n, reason, ok := readVisits(c.in)
		if n != c.n || reason != c.reason || ok != c.ok {
			t.Errorf("readVisits(%q) = %d %q %v", c.in, n, reason, ok)
		}
	}
	for in, want := range map[string]int{"乡镇级": 5, "苏木乡镇级": 5, "乡级": 5, "镇级": 5, "镇级发布": 5, "镇(街)": 5, "乡镇（街道）": 5, "苏木级": 5,
		"街道级": 5, "团场级(相当于乡镇级)": 0, "嘎查村/苏木乡镇/旗县": 0, "区级审批、镇级初审": 0, "市、县、乡镇(街道)": 0, "": 0} {
		if got, _ := readLevel(in); got != want {
			t.Errorf("readLevel(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]string{"行政给付": "05", "公共服务": "20", "行政许可事项": "01", "行政确认类": "07", "网办类、办理类 (as shown in 事项类型)": "", "其他": ""} {
		if got, _ := readType(in); got != want {
			t.Errorf("readType(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][]int{"窗口办理、网上办理": {catalog.AtWindow, catalog.OnlinePC}, "窗口办理": {catalog.AtWindow},
		"掌上办理；邮寄": {catalog.Mobile, catalog.ByPost}, "自助终端": nil} {
		if got, _ := readHandlingForms(in); !slices.Equal(got, want) {
			t.Errorf("readHandlingForms(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]string{"必要": catalog.Required, "是": catalog.Required, "非必要": catalog.Optional, "容缺后补": catalog.Deferrable, "视情况": ""} {
		if got, _ := readNecessity(in); got != want {
			t.Errorf("readNecessity(%q) = %q", in, got)
		}
	}
}

// A material or step described at length is not refused: its name is its start, and its whole text is kept.
func TestLongTextsKept(t *testing.T) {
	long := strings.Repeat("材", 250)
	step := strings.Repeat("步", 600)
	it := MapGuide(Guide{Name: "测试", Materials: []GuideMaterial{{Name: text(long)}}, ProcessSteps: texts{step}}, "民政局")
	if n := len([]rune(it.Materials[0].Name)); n != 200 || !strings.Contains(it.Materials[0].Notes, long) {
		t.Errorf("material: %d runes, notes %d", n, len(it.Materials[0].Notes))
	}
	if n := len([]rune(it.Steps[0].Name)); n != 500 || it.Source.Unmapped["process_steps[0]"] != step {
		t.Errorf("step: %d runes", n)
	}
	if err := it.CheckDraft(); err != nil {
		t.Errorf("a long guide as a draft: %v", err)
	}
}

// The unit of extensions, where a guide states it: 工作日 or 自然日 is read; 天/日 alone says neither and is
// kept as the guide's text, never guessed (行政许可法 第82条).
func TestReadExtensionUnit(t *testing.T) {
	for in, want := range map[string]catalog.Unit{"工作日": catalog.WorkingDays, "个工作日": catalog.WorkingDays, "按工作日计算": catalog.WorkingDays,
		"自然日": catalog.NaturalDays, "以自然日计算": catalog.NaturalDays, "天": "", "日": "", "": ""} {
		if got, _ := readExtensionUnit(in); got != want {
			t.Errorf("readExtensionUnit(%q) = %q, want %q", in, got, want)
		}
	}
	items, err := ReadGuides(strings.NewReader(`[{"name":"临时救助","extension_unit":"自然日"},{"name":"低保","extension_unit":"天"},{"name":"养老"}]`), "民政局")
	if err != nil {
		t.Fatal(err)
	}
	if items[0].ExtensionUnit != catalog.NaturalDays || items[1].ExtensionUnit != "" || items[1].Source.Unmapped["extension_unit"] != "天" || items[2].ExtensionUnit != "" {
		t.Errorf("guides: %+v", items)
	}
}
