package demo

import (
	"context"
	"fmt"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/joint"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// The demo catalog: township and village items modelled on FACTS.md §8 and the fixture guides. Time limits
// follow the sources cited there where they exist (低保 25 of 30 working days with a 7-day 公示, 残疾人两项补贴
// 20 ...); elsewhere they are typical values, and the phones are demo numbers. Mongolian names are compositions
// from attested words, so all are marked for review.

type itemSpec struct {
	zh, mn    string
	aliases   string // space-separated
	typ, dept string
	legal     int // working days; 0 = instant
	promised  int
	village   string
	topics    string
	flow      string // assist: township 受理+初审, 公示, banner 审核; simple: 受理, 审核; instant
	materials string // space-separated keys of the material pool, the item's own application form first
	result    string
	online    int // online depth 0..4
}

var pool = map[string]catalog.Material{
	"id":        {Name: "居民身份证", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "申请人自备", Standard: "在有效期内，与申请人一致"},
	"hukou":     {Name: "居民户口簿", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "申请人自备", Standard: "户主页及本人页"},
	"photo":     {Name: "近期一寸免冠彩色照片", Form: "paper", Originals: 2, Necessity: catalog.Required, Source: "申请人自备"},
	"income":    {Name: "家庭收入和财产状况声明", Form: "paper", Originals: 1, Necessity: catalog.Required, Source: "申请人自备", Pledge: true, Notes: "可以告知承诺方式提交"},
	"bank":      {Name: "本人银行卡或一卡通", Form: "paper", Copies: 1, Necessity: catalog.Deferrable, Source: "申请人自备", Notes: "可容缺，5个工作日内补齐"},
	"disab":     {Name: "中华人民共和国残疾人证", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "政府部门核发"},
	"marriage":  {Name: "结婚证", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "政府部门核发"},
	"birth":     {Name: "出生医学证明", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "医疗机构出具"},
	"medical":   {Name: "医疗机构诊断证明及费用票据", Form: "paper", Originals: 1, Necessity: catalog.Required, Source: "医疗机构出具"},
	"veteran":   {Name: "退出现役证明或入伍通知书", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "政府部门核发"},
	"land":      {Name: "土地承包经营权证或草原承包合同", Form: "paper", Copies: 1, Necessity: catalog.Required, Source: "政府部门核发"},
	"death":     {Name: "死亡证明或火化证明", Form: "paper", Originals: 1, Copies: 1, Necessity: catalog.Required, Source: "医疗机构出具"},
	"residence": {Name: "居住证明", Form: "paper", Originals: 1, Necessity: catalog.Optional, Source: "申请人自备", Pledge: true},
	"agency":    {Name: "授权委托书及代办人身份证", Form: "paper", Originals: 1, Necessity: catalog.Optional, Source: "申请人自备", Notes: "委托他人或嘎查村代办员办理时提交"},
}

var demoItems = []itemSpec{
	{"最低生活保障", "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠬᠠᠮᠤᠭ ᠤᠨ ᠪᠠᠭ᠎ᠠ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ", "低保 农村低保 城市低保", "07", "民政局", 30, 25, "proxy", "社会救助", "assist", "app id hukou income bank agency", "低保证", 2},
	{"特困人员救助供养", "ᠲᠤᠰᠬᠠᠢ ᠶᠠᠳᠠᠭᠤ ᠬᠦᠮᠦᠰ ᠦᠨ ᠲᠤᠰᠠᠯᠠᠮᠵᠢ", "特困 五保", "07", "民政局", 30, 25, "proxy", "社会救助", "assist", "app id hukou income agency", "特困人员救助供养证", 2},
	{"临时救助", "ᠲᠦᠷ ᠴᠠᠭ ᠤᠨ ᠲᠤᠰᠠᠯᠠᠮᠵᠢ", "急难救助", "05", "民政局", 20, 15, "proxy", "社会救助", "assist", "app id hukou medical income agency", "", 2},
	{"高龄津贴", "ᠥᠨᠳᠥᠷ ᠨᠠᠰᠤᠲᠠᠨ ᠤ ᠨᠥᠬᠥᠪᠥᠷᠢ", "高龄补贴 老年补贴", "05", "民政局", 20, 10, "proxy", "养老", "simple", "app id hukou bank agency", "", 2},
	{"经济困难老年人护理补贴", "ᠶᠠᠳᠠᠭᠤ ᠨᠠᠰᠤᠲᠠᠨ ᠤ ᠠᠰᠠᠷᠠᠯᠲᠠ ᠶᠢᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "护理补贴", "05", "民政局", 20, 15, "proxy", "养老", "simple", "app id hukou income bank", "", 2},
	{"孤儿基本生活费发放", "ᠥᠨᠥᠴᠢᠨ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠵᠠᠷᠤᠳᠠᠯ", "孤儿补贴", "05", "民政局", 30, 20, "proxy", "儿童", "assist", "app id hukou death agency", "", 2},
	{"事实无人抚养儿童基本生活补贴", "ᠠᠰᠠᠷᠠᠬᠤ ᠬᠦᠮᠦᠨ ᠦᠭᠡᠢ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "无人抚养儿童", "05", "民政局", 30, 20, "proxy", "儿童", "assist", "app id hukou agency", "", 2},
	{"惠民殡葬补贴", "ᠣᠷᠣᠮᠵᠢ ᠶᠢᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "丧葬补贴 殡葬补助", "05", "民政局", 20, 10, "proxy", "身后", "simple", "app id hukou death bank", "", 2},
	{"老年人优待证办理", "ᠨᠠᠰᠤᠲᠠᠨ ᠤ ᠬᠠᠷᠠᠭᠠᠯᠵᠠᠯ ᠤᠨ ᠦᠨᠡᠮᠯᠡᠯ", "老年证 老年优待证", "20", "民政局", 0, 0, "proxy", "养老", "instant", "app id photo", "老年人优待证", 3},
	{"居民家庭经济状况核对", "ᠠᠢᠯ ᠦᠨ ᠡᠳ ᠠᠰᠢᠭ ᠤᠨ ᠪᠠᠢᠳᠠᠯ ᠢ ᠮᠠᠭᠠᠳᠯᠠᠬᠤ", "经济状况核对", "20", "民政局", 10, 5, "", "社会救助", "simple", "app id hukou income", "", 2},
	{"城乡居民基本养老保险参保登记", "ᠬᠣᠲᠠ ᠬᠥᠳᠡᠭᠡ ᠶᠢᠨ ᠰᠠᠭᠤᠭᠠᠯᠢᠴᠢᠨ ᠤ ᠲᠡᠲᠡᠭᠦᠯᠦᠷ ᠦᠨ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠳᠤ ᠳᠠᠩᠰᠠᠯᠠᠬᠤ", "居民养老保险参保 养老保险登记", "20", "人力资源和社会保障局", 0, 0, "handle", "社会保障", "instant", "app id hukou", "", 3},
	{"城乡居民养老保险待遇申领", "ᠲᠡᠲᠡᠭᠦᠯᠦᠷ ᠦᠨ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠤᠨ ᠲᠡᠲᠡᠭᠦᠯᠦᠷ ᠢ ᠠᠪᠬᠤ", "养老金领取 领养老金", "20", "人力资源和社会保障局", 20, 10, "proxy", "退休", "simple", "app id hukou bank agency", "", 2},
	{"城乡居民养老保险关系注销登记", "ᠲᠡᠲᠡᠭᠦᠯᠦᠷ ᠦᠨ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠢ ᠬᠠᠰᠤᠬᠤ", "养老保险注销", "20", "人力资源和社会保障局", 10, 5, "proxy", "身后", "simple", "app id death hukou", "", 2},
	{"社会保障卡申领", "ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠪᠠᠲᠤᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠺᠠᠷᠲ ᠠᠪᠬᠤ", "社保卡 社保卡办理", "20", "人力资源和社会保障局", 20, 10, "proxy", "社会保障卡居民服务", "simple", "app id photo", "社会保障卡", 3},
	{"社会保障卡挂失与补换", "ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠪᠠᠲᠤᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠺᠠᠷᠲ ᠢ ᠰᠣᠯᠢᠬᠤ", "社保卡补办 社保卡挂失", "20", "人力资源和社会保障局", 5, 1, "proxy", "社会保障卡居民服务", "simple", "app id", "社会保障卡", 3},
	{"社会保障卡密码重置", "ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠪᠠᠲᠤᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠺᠠᠷᠲ ᠤᠨ ᠨᠢᠭᠤᠴᠠ ᠲᠡᠮᠳᠡᠭ", "社保卡密码", "20", "人力资源和社会保障局", 0, 0, "", "社会保障卡居民服务", "instant", "id", "", 3},
	{"就业创业证申领", "ᠠᠵᠢᠯ ᠡᠷᠬᠢᠯᠡᠬᠦ ᠦᠨᠡᠮᠯᠡᠯ", "就业失业登记 就业证", "20", "人力资源和社会保障局", 5, 1, "proxy", "就业", "simple", "app id hukou photo", "就业创业证", 3},
	{"灵活就业人员参保登记", "ᠤᠶᠠᠩ ᠠᠵᠢᠯᠲᠠᠨ ᠤ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠤᠨ ᠳᠠᠩᠰᠠ", "灵活就业参保", "20", "人力资源和社会保障局", 0, 0, "handle", "就业", "instant", "app id", "", 3},
	{"城乡居民基本医疗保险参保登记", "ᠬᠣᠲᠠ ᠬᠥᠳᠡᠭᠡ ᠶᠢᠨ ᠡᠮᠨᠡᠯᠭᠡ ᠶᠢᠨ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠳᠤ ᠳᠠᠩᠰᠠᠯᠠᠬᠤ", "医保参保 居民医保", "20", "医疗保障局", 0, 0, "handle", "就医", "instant", "app id hukou", "", 3},
	{"医疗救助", "ᠡᠮᠨᠡᠯᠭᠡ ᠶᠢᠨ ᠲᠤᠰᠠᠯᠠᠮᠵᠢ", "大病救助", "05", "医疗保障局", 20, 15, "proxy", "社会救助 就医", "assist", "app id hukou medical bank agency", "", 2},
	{"门诊慢特病待遇认定", "ᠤᠳᠠᠭᠠᠨ ᠡᠪᠡᠳᠴᠢᠨ ᠦ ᠡᠮᠨᠡᠯᠭᠡ ᠶᠢᠨ ᠲᠡᠲᠡᠭᠦᠯᠦᠷ", "慢病认定 慢特病", "07", "医疗保障局", 30, 20, "proxy", "就医", "simple", "app id medical photo", "门诊慢特病待遇认定通知书", 3},
	{"异地就医备案", "ᠪᠤᠰᠤᠳ ᠭᠠᠵᠠᠷ ᠡᠮᠨᠡᠯᠭᠡ ᠬᠢᠯᠭᠡᠬᠦ ᠳᠠᠩᠰᠠ", "异地就医 转诊备案", "20", "医疗保障局", 0, 0, "", "就医", "instant", "id", "", 3},
	{"生育登记", "ᠲᠥᠷᠥᠯᠲᠡ ᠶᠢᠨ ᠳᠠᠩᠰᠠ", "生育服务证 一孩登记 二孩登记 三孩登记", "20", "卫生健康委员会", 0, 0, "proxy", "新生儿出生", "instant", "app id hukou marriage", "生育服务证", 3},
	{"农村部分计划生育家庭奖励扶助", "ᠬᠥᠳᠡᠭᠡ ᠶᠢᠨ ᠲᠥᠷᠥᠯᠲᠡ ᠶᠢᠨ ᠰᠢᠳᠬᠡᠯ ᠦᠨ ᠰᠢᠭᠠᠩᠨᠠᠯ", "奖励扶助 计生奖扶", "05", "卫生健康委员会", 30, 20, "proxy", "计划生育", "assist", "app id hukou marriage bank", "", 2},
	{"计划生育特别扶助", "ᠲᠥᠷᠥᠯᠲᠡ ᠶᠢᠨ ᠣᠨᠴᠠᠭᠠᠢ ᠳᠡᠮᠵᠢᠯᠭᠡ", "特别扶助 计生特扶", "05", "卫生健康委员会", 30, 20, "proxy", "计划生育", "assist", "app id hukou death bank", "", 2},
	{"独生子女父母奖励", "ᠭᠠᠭᠴᠠ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠡᠴᠢᠭᠡ ᠡᠬᠡ ᠶᠢᠨ ᠰᠢᠭᠠᠩᠨᠠᠯ", "独生子女奖励", "05", "卫生健康委员会", 20, 10, "proxy", "计划生育", "simple", "app id hukou marriage", "", 2},
	{"家庭医生签约服务", "ᠠᠢᠯ ᠦᠨ ᠡᠮᠴᠢ ᠶᠢᠨ ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ", "家庭医生", "20", "卫生健康委员会", 0, 0, "handle", "就医", "instant", "id", "", 3},
	{"乡村建设规划许可证核发", "ᠬᠥᠳᠡᠭᠡ ᠶᠢᠨ ᠪᠠᠷᠢᠯᠭ᠎ᠠ ᠶᠢᠨ ᠲᠥᠯᠥᠪᠯᠡᠭᠡ ᠶᠢᠨ ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠯ", "乡村规划许可", "01", "自然资源局", 20, 15, "proxy", "置业", "banner", "app id hukou land", "乡村建设规划许可证", 2},
	{"农村村民宅基地审批", "ᠬᠥᠳᠡᠭᠡ ᠶᠢᠨ ᠰᠠᠭᠤᠴᠠ ᠶᠢᠨ ᠭᠠᠵᠠᠷ ᠤᠨ ᠵᠥᠪᠰᠢᠶᠡᠷᠡᠯ", "宅基地 宅基地申请", "01", "农牧局", 20, 15, "proxy", "置业", "assist", "app id hukou land", "农村宅基地批准书", 2},
	{"耕地地力保护补贴", "ᠲᠠᠷᠢᠶᠠᠯᠠᠩ ᠤᠨ ᠭᠠᠵᠠᠷ ᠤᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "地力补贴 种粮补贴", "05", "农牧局", 20, 15, "proxy", "农牧业", "assist", "app id land bank", "", 2},
	{"草原生态保护补助奖励", "ᠨᠤᠲᠤᠭ ᠤᠨ ᠠᠮᠢ ᠠᠬᠤᠢ ᠶᠢᠨ ᠬᠠᠮᠠᠭᠠᠯᠠᠯᠲᠠ ᠶᠢᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "草原补奖 禁牧补助 草畜平衡奖励", "05", "农牧局", 30, 20, "proxy", "农牧业", "assist", "app id land bank", "", 2},
	{"农机购置补贴申请受理", "ᠲᠠᠷᠢᠶᠠᠯᠠᠩ ᠤᠨ ᠮᠠᠰᠢᠨ ᠤ ᠨᠥᠬᠥᠪᠥᠷᠢ", "农机补贴", "05", "农牧局", 20, 15, "proxy", "农牧业", "simple", "app id bank", "", 2},
	{"残疾人证申领", "ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠦᠨᠡᠮᠯᠡᠯ ᠠᠪᠬᠤ", "残疾证 办残疾证", "07", "残疾人联合会", 20, 15, "proxy", "残疾人服务", "simple", "app id hukou photo medical", "中华人民共和国残疾人证", 2},
	{"困难残疾人生活补贴", "ᠶᠠᠳᠠᠭᠤ ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "残疾人两项补贴 生活补贴", "05", "残疾人联合会", 24, 20, "proxy", "残疾人服务", "assist", "app id hukou disab bank agency", "", 2},
	{"重度残疾人护理补贴", "ᠬᠦᠨᠳᠦ ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠠᠰᠠᠷᠠᠯᠲᠠ ᠶᠢᠨ ᠨᠥᠬᠥᠪᠥᠷᠢ", "残疾人两项补贴 护理补贴", "05", "残疾人联合会", 24, 20, "proxy", "残疾人服务", "assist", "app id hukou disab bank agency", "", 2},
	{"义务兵家庭优待金发放", "ᠴᠡᠷᠢᠭ ᠦᠨ ᠠᠢᠯ ᠦᠨ ᠬᠠᠷᠠᠭᠠᠯᠵᠠᠯ ᠤᠨ ᠮᠥᠩᠭᠡ", "优待金", "05", "退役军人事务局", 20, 15, "proxy", "退役军人", "simple", "app id hukou veteran bank", "", 2},
	{"光荣牌悬挂", "ᠴᠣᠯᠠ ᠶᠢᠨ ᠬᠠᠪᠲᠠᠰᠤ", "光荣牌", "20", "退役军人事务局", 0, 0, "proxy", "退役军人", "instant", "app id veteran", "", 2},
	{"退役军人信息采集", "ᠬᠠᠯᠠᠭᠳᠠᠭᠰᠠᠳ ᠤᠨ ᠮᠡᠳᠡᠭᠡ ᠴᠤᠭᠯᠠᠭᠤᠯᠬᠤ", "退役军人登记", "20", "退役军人事务局", 0, 0, "handle", "退役军人", "instant", "id veteran", "", 3},
	{"居民身份证申领", "ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ ᠠᠪᠬᠤ", "身份证办理 换身份证", "07", "公安局", 60, 20, "", "户籍", "police", "hukou photo", "居民身份证", 2},
	{"户口迁入登记", "ᠡᠷᠦᠬᠡ ᠰᠢᠯᠵᠢᠬᠦ ᠳᠠᠩᠰᠠ", "户口迁移 落户 户籍迁入", "07", "公安局", 20, 5, "proxy", "户籍", "simple", "app hukou id marriage", "户口簿", 2},
	{"出生登记", "ᠲᠥᠷᠥᠯᠲᠡ ᠶᠢᠨ ᠡᠷᠦᠬᠡ ᠶᠢᠨ ᠳᠠᠩᠰᠠ", "新生儿落户 新生儿上户口 报户口", "07", "公安局", 0, 0, "proxy", "新生儿出生 户籍", "instant", "app birth hukou marriage", "户口簿", 3},
	{"法律援助申请受理", "ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠳᠡᠮᠵᠢᠯᠭᠡ ᠶᠢᠨ ᠭᠤᠶᠤᠯᠲᠠ", "法律援助", "20", "司法局", 7, 3, "proxy", "法律服务", "simple", "app id income", "", 2},
	{"人民调解", "ᠠᠷᠠᠳ ᠤᠨ ᠡᠪᠯᠡᠷᠡᠭᠦᠯᠬᠦ", "民间纠纷调解 调解", "20", "司法局", 30, 15, "proxy", "法律服务", "simple", "app id", "调解协议书", 2},
	{"个体工商户设立登记", "ᠬᠤᠪᠢ ᠠᠵᠤ ᠠᠬᠤᠢ ᠶᠢᠨ ᠳᠠᠩᠰᠠ", "个体户注册 办营业执照", "07", "市场监督管理局", 15, 3, "", "开办", "simple", "app id residence", "营业执照", 3},
	{"自然人代开增值税普通发票", "ᠬᠤᠪᠢ ᠬᠦᠮᠦᠨ ᠳᠤ ᠲᠠᠲᠠᠪᠤᠷᠢ ᠶᠢᠨ ᠪᠢᠯᠸᠲ ᠨᠡᠬᠡᠬᠦ", "代开发票", "20", "税务局", 0, 0, "", "纳税", "instant", "app id", "增值税普通发票", 3},
	{"城乡居民社会保险费缴纳", "ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠳᠠᠭᠠᠳᠬᠠᠯ ᠤᠨ ᠲᠥᠯᠥᠪᠦᠷᠢ ᠲᠤᠰᠢᠶᠠᠬᠤ", "社保缴费 医保缴费 养老保险缴费", "20", "税务局", 0, 0, "handle", "社会保障", "instant", "id", "", 3},
}

// buildItem turns a spec into a complete item that passes every consistency rule.
func buildItem(s itemSpec, bannerPhone int) catalog.Item {
	it := catalog.Item{
		NameZh: s.zh, NameMn: s.mn, MnReview: true, TypeCode: s.typ, Level: 5, Department: s.dept,
		Implementer: "苏木乡镇人民政府（街道办事处）便民服务中心", ImplementerNature: 1,
		LegalBasis: []string{"依据" + s.dept + "主管的法律法规及内蒙古自治区实施办法（演示数据）"},
		Conditions: "本旗户籍居民或常住人员，符合" + s.zh + "相关政策规定条件。",
		Free:       true, Place: "苏木乡镇便民服务中心综合受理窗口", Hours: "工作日 上午8:30-12:00，下午14:30-17:30（法定节假日除外）",
		ConsultPhone: fmt.Sprintf("0476-78%05d", bannerPhone), ComplaintPhone: "0476-12345",
		Visits: 1, VisitReason: "需核验原件", HandlingForms: []int{catalog.AtWindow, catalog.OnlinePC}, OnlineDepth: s.online,
		Delivery: []string{"window", "post"}, Village: s.village, Scope: "跨乡", Appointment: true,
	}
	if s.aliases != "" {
		it.Aliases = strings.Fields(s.aliases)
	}
	if s.topics != "" {
		it.Topics = strings.Fields(s.topics)
	}
	// Most demo items ask for the ID card or another paper original that the window must see, so they promise
	// one visit (catalog.checkOnlinePromise). 异地就医备案 and 社会保险费缴纳, published at Ⅳ级 before that rule,
	// are Ⅲ级 with one visit to show the ID card. 独生子女父母奖励 is 全程网办 (fullyOnline).
	if s.zh == "异地就医备案" || s.zh == "城乡居民社会保险费缴纳" {
		it.VisitReason = "需到窗口核验居民身份证原件（暂不支持在线提交材料）"
		it.OnlineURL = "https://zwfw.nmg.gov.cn/"
	}
	if s.result != "" {
		it.ResultName, it.ResultType, it.ResultSample = s.result, "证照", "/static/samples/result.pdf"
	}
	for _, k := range strings.Fields(s.materials) {
		if k == "app" {
			it.Materials = append(it.Materials, catalog.Material{Name: s.zh + "申请表", Form: "both", Originals: 1, Necessity: catalog.Required,
				Source: "在线填报或窗口领取", BlankForm: "/static/forms/application.pdf", Sample: "/static/forms/application-sample.pdf", Notes: "代办时由嘎查村代办员协助填写"})
			continue
		}
		it.Materials = append(it.Materials, pool[k])
		// 告知承诺 where the item has a proof a pledge may replace (国办发〔2020〕42号)
		it.PledgeAllowed = it.PledgeAllowed || pool[k].Pledgeable()
	}
	if s.zh == fullyOnlineItem {
		fullyOnline(&it)
	}
	switch s.flow {
	case "instant":
		it.LegalLimit = catalog.Limit{Unit: catalog.Instant}
		it.PromisedLimit = catalog.Limit{Unit: catalog.Instant, Note: "材料齐全当场办结；17:30后受理的次个工作日办结"}
		it.CaseKind = catalog.InstantCase
		it.Steps = []catalog.Step{{Name: "受理并办结", Role: "clerk", Level: 5, Limit: catalog.Limit{Unit: catalog.Instant}}}
	case "assist":
		it.LegalLimit = catalog.Limit{Value: s.legal, Unit: catalog.WorkingDays}
		it.PromisedLimit = catalog.Limit{Value: s.promised, Unit: catalog.WorkingDays, Note: "公示期不计入办理时限"}
		it.CaseKind = catalog.PromisedCase
		first := max(1, s.promised/2-1)
		it.Steps = []catalog.Step{
			{Name: "受理", Role: "clerk", Level: 5, Limit: catalog.Limit{Value: 1, Unit: catalog.WorkingDays}},
			{Name: "苏木乡镇入户调查与初审", Role: "reviewer", Level: 5, Limit: catalog.Limit{Value: first, Unit: catalog.WorkingDays}},
			{Name: "嘎查村公示", Role: "reviewer", Level: 6, Limit: catalog.Limit{Value: 7, Unit: catalog.NaturalDays}, Special: "公示"},
			{Name: "旗" + s.dept + "审核确认", Role: "department", Level: 4, Limit: catalog.Limit{Value: s.promised - first - 1, Unit: catalog.WorkingDays}},
		}
	case "police":
		// received at the township window for the public security organ, which decides (公安机关: 居民身份证法
		// 第8条); the township only takes the application in (代收)
		it.LegalLimit = catalog.Limit{Value: s.legal, Unit: catalog.WorkingDays}
		it.PromisedLimit = catalog.Limit{Value: s.promised, Unit: catalog.WorkingDays}
		it.CaseKind = catalog.PromisedCase
		it.Steps = []catalog.Step{
			{Name: "苏木乡镇窗口代收", Role: "clerk", Level: 5, Limit: catalog.Limit{Value: 1, Unit: catalog.WorkingDays}},
			{Name: "旗公安局审核签发", Role: "department", Level: 4, Limit: catalog.Limit{Value: s.promised - 1, Unit: catalog.WorkingDays}},
		}
	case "banner":
		// received at the township window, reviewed and decided by the banner department until it delegates
		// the item to the township (赋权, the seed 四.(一); internal/delegation hands the step down)
		it.LegalLimit = catalog.Limit{Value: s.legal, Unit: catalog.WorkingDays}
		it.PromisedLimit = catalog.Limit{Value: s.promised, Unit: catalog.WorkingDays}
		it.CaseKind = catalog.PromisedCase
		it.Steps = []catalog.Step{
			{Name: "受理", Role: "clerk", Level: 5, Limit: catalog.Limit{Value: 1, Unit: catalog.WorkingDays}},
			{Name: "审核决定", Role: "department", Level: 4, Limit: catalog.Limit{Value: s.promised - 1, Unit: catalog.WorkingDays}},
		}
	default:
		it.LegalLimit = catalog.Limit{Value: s.legal, Unit: catalog.WorkingDays}
		it.PromisedLimit = catalog.Limit{Value: s.promised, Unit: catalog.WorkingDays}
		it.CaseKind = catalog.PromisedCase
		it.Steps = []catalog.Step{{Name: "受理", Role: "clerk", Level: 5, Limit: catalog.Limit{Value: 1, Unit: catalog.WorkingDays}}}
		if s.promised > 1 {
			it.Steps = append(it.Steps, catalog.Step{Name: "审核决定", Role: "reviewer", Level: 5, Limit: catalog.Limit{Value: s.promised - 1, Unit: catalog.WorkingDays}})
		}
	}
	if s.zh == "农村村民宅基地审批" {
		it.Steps = homesteadSteps()
	}
	// the competent organ (实施主体) is the organ whose step decides: the banner department for a banner step
	if n := len(it.Steps); n > 0 && it.Steps[n-1].Level <= 4 {
		it.Implementer = "阿鲁科尔沁旗" + s.dept
	}
	return it
}

// DemoItems returns the demo catalog's items, each complete and consistent.
func DemoItems() []catalog.Item {
	out := make([]catalog.Item, len(demoItems))
	for i, s := range demoItems {
		out[i] = buildItem(s, 10000+i)
	}
	return out
}

// LoadCatalog publishes the demo catalog, implements every township item at every township of the banner
// and adds two bundles. The 乡村建设规划许可 is 自然资源局's to decide until it delegates it (/delegations).
func LoadCatalog(ctx context.Context, svc *service.Service) error {
	for _, f := range []func(context.Context, *service.Service) error{loadItems, loadPlaces, loadBundles} {
		if err := f(ctx, svc); err != nil {
			return err
		}
	}
	return svc.RebuildSearchIndex(ctx)
}

// loadItems imports and publishes the demo items (one transaction).
func loadItems(ctx context.Context, svc *service.Service) error {
	if _, err := svc.ImportItems(ctx, access.System, DemoItems(), true); err != nil {
		return fmt.Errorf("demo catalog: %w", err)
	}
	return nil
}

// loadPlaces says where every township takes every item (one transaction, which records its step).
func loadPlaces(ctx context.Context, svc *service.Service) error {
	all, err := svc.DB.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		return err
	}
	banner, err := svc.DB.OrgByCode(ctx, "150421")
	if err != nil {
		return err
	}
	townships, err := svc.DB.Subtree(ctx, banner.Path, org.Township)
	if err != nil {
		return err
	}
	return svc.DB.Write(ctx, func(tx *store.Tx) error {
		for _, t := range townships {
			for _, it := range all {
				im := store.Implementation{ItemID: it.ID, OrgID: t.ID, Window: "综合受理窗口", Place: t.NameZh + "便民服务中心综合受理窗口"}
				if err := tx.SetImplementation(access.System, im); err != nil {
					return err
				}
			}
		}
		return tx.MarkStep(StepPlaces)
	})
}

// loadBundles makes the two bundles, one transaction each; one already there is kept.
func loadBundles(ctx context.Context, svc *service.Service) error {
	all, err := svc.DB.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		return err
	}
	byName := map[string]catalog.Item{}
	for _, it := range all {
		byName[it.NameZh] = it
	}
	have, err := svc.DB.Bundles(ctx)
	if err != nil {
		return err
	}
	bundles := []catalog.Bundle{
		{NameZh: "新生儿出生一件事", NameMn: "ᠰᠢᠨ᠎ᠡ ᠲᠥᠷᠥᠭᠰᠡᠨ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠨᠢᠭᠡ ᠬᠡᠷᠡᠭ", Lead: "卫生健康委员会",
			ItemIDs: []string{byName["生育登记"].ID, byName["出生登记"].ID, byName["城乡居民基本医疗保险参保登记"].ID, byName["社会保障卡申领"].ID},
			Form:    []string{"新生儿姓名", "出生日期", "父母身份证号码", "户籍地址", "联系电话"}},
		{NameZh: "残疾人服务一件事", NameMn: "ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠨᠢᠭᠡ ᠬᠡᠷᠡᠭ", Lead: "残疾人联合会",
			ItemIDs: []string{byName["残疾人证申领"].ID, byName["困难残疾人生活补贴"].ID, byName["重度残疾人护理补贴"].ID},
			Form:    []string{"申请人姓名", "身份证号码", "残疾类别", "家庭经济状况", "联系电话"},
			// both subsidies need the 残疾人证 that the first item grants
			WaitsFor: map[string]string{byName["困难残疾人生活补贴"].ID: byName["残疾人证申领"].ID, byName["重度残疾人护理补贴"].ID: byName["残疾人证申领"].ID}},
	}
next:
	for _, b := range bundles {
		for _, h := range have {
			if h.NameZh == b.NameZh {
				continue next
			}
		}
		if _, err := svc.CreateBundle(ctx, access.System, b); err != nil {
			return fmt.Errorf("demo bundle %s: %w", b.NameZh, err)
		}
	}
	return nil
}

// fullyOnlineItem is the demo's 全程网办 item (网上办理深度 Ⅳ, 0 visits): its application form is filled in on
// the item's form and every other material is a photo or scan handed in as a file (issue 13).
const fullyOnlineItem = "独生子女父母奖励"

func fullyOnline(it *catalog.Item) {
	it.Visits, it.VisitReason, it.OnlineDepth = 0, "", 4
	it.HandlingForms = []int{catalog.AtWindow, catalog.OnlinePC, catalog.Mobile}
	it.Delivery = []string{"window", "electronic"}
	photo := func(name, standard string) catalog.Material {
		return catalog.Material{Name: name, Form: "electronic", Originals: 0, Copies: 1, Necessity: catalog.Required, Source: "申请人自备",
			Standard: standard, Notes: "手机拍照或扫描上传（JPEG、PNG、PDF），每页不超过300KB，系统自动压缩"}
	}
	it.Materials = []catalog.Material{
		{Name: it.NameZh + "申请表", Form: "both", Originals: 1, Necessity: catalog.Required, Source: "在线填报或窗口领取",
			BlankForm: "/static/forms/application.pdf", Sample: "/static/forms/application-sample.pdf", Notes: "在线填写，打印后签字"},
		photo("居民身份证（正反面照片）", "在有效期内，与申请人一致，四角完整、字迹清晰"),
		photo("结婚证（照片）", "持证人页清晰可辨"),
	}
	married := catalog.Condition{Field: "marriage", Equals: "married"}
	it.Form = []catalog.FormField{
		{Key: "name", LabelZh: "申请人姓名", LabelMn: "ᠭᠤᠶᠤᠴᠢᠯᠠᠭᠴᠢ ᠶᠢᠨ ᠨᠡᠷ᠎ᠡ", Type: catalog.FieldText, Required: true},
		{Key: "id_number", LabelZh: "申请人身份证号", LabelMn: "ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ ᠦᠨ ᠳ᠋ᠤᠭᠠᠷ", Type: catalog.FieldIDNumber, Required: true},
		{Key: "phone", LabelZh: "联系电话", LabelMn: "ᠬᠠᠷᠢᠯᠴᠠᠬᠤ ᠤᠲᠠᠰᠤ", Type: catalog.FieldPhone, Required: true},
		{Key: "child_name", LabelZh: "独生子女姓名", LabelMn: "ᠭᠠᠭᠴᠠ ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠨᠡᠷ᠎ᠡ", Type: catalog.FieldText, Required: true},
		{Key: "child_born", LabelZh: "子女出生日期", LabelMn: "ᠬᠡᠦᠬᠡᠳ ᠦᠨ ᠲᠥᠷᠥᠭᠰᠡᠨ ᠡᠳᠦᠷ", Type: catalog.FieldDate, Required: true, HintZh: "例如 2001-09-01", HintMn: "2001-09-01"},
		{Key: "marriage", LabelZh: "婚姻状况", LabelMn: "ᠭᠡᠷᠯᠡᠯᠲᠡ ᠶᠢᠨ ᠪᠠᠢᠳᠠᠯ", Type: catalog.FieldChoice, Required: true, Choices: []catalog.Choice{
			{Value: "married", Zh: "已婚", Mn: "ᠭᠡᠷᠯᠡᠭᠰᠡᠨ"}, {Value: "widowed", Zh: "丧偶", Mn: "ᠪᠡᠯᠪᠡᠰᠦᠷᠡᠭᠰᠡᠨ"}, {Value: "divorced", Zh: "离异", Mn: "ᠰᠠᠯᠤᠭᠰᠠᠨ"}}},
		{Key: "spouse_id", LabelZh: "配偶身份证号", LabelMn: "ᠬᠠᠨᠢ ᠶᠢᠨ ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ ᠦᠨ ᠳ᠋ᠤᠭᠠᠷ", Type: catalog.FieldIDNumber, Required: true, When: &married},
	}
}

// homesteadSteps are 宅基地审批's steps with joint handling (issue 19): the township's 初审 signed off by its
// 分管领导 and then the head of 农牧局 (会签, in sequence); after the village's 公示, 自然资源局 and 农牧局 review
// it at once (并联审批: a denial or return by either counts, deny-on-any; 农牧局 leads); 农牧局 decides.
func homesteadSteps() []catalog.Step {
	wd := func(n int) catalog.Limit { return catalog.Limit{Value: n, Unit: catalog.WorkingDays} }
	return []catalog.Step{
		{Name: "受理", Role: "clerk", Level: 5, Limit: wd(1)},
		{Name: "苏木乡镇入户调查与初审", Role: "reviewer", Level: 5, Limit: wd(6), Countersign: &catalog.StepCountersign{Mode: joint.InSequence,
			Signers: []catalog.StepSigner{{Title: "分管领导", Role: "director", Org: catalog.HandlingTownship}, {Title: "部门负责人", Role: "director", Org: "农牧局"}}}},
		{Name: "嘎查村公示", Role: "reviewer", Level: 6, Limit: catalog.Limit{Value: 7, Unit: catalog.NaturalDays}, Special: "公示"},
		{Name: "旗自然资源局、农牧局并联审查", Role: "department", Level: 4, Limit: wd(4),
			Parallel: &catalog.StepParallel{Bodies: []string{"自然资源局", "农牧局"}, Lead: "农牧局", Rule: joint.DenyOnAny}},
		{Name: "旗农牧局审批", Role: "department", Level: 4, Limit: wd(4)},
	}
}
