// Package org holds the organisation tree: the five administrative levels, banner departments, township
// service centers and their windows, village stations. Every permission in Bianmin is scoped to a subtree of
// this tree, so the tree's shape rules live here.
package org

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// Kind is what an organisation is.
type Kind string

const (
	Region     Kind = "region"     // 自治区
	City       Kind = "city"       // 市 / 盟
	Banner     Kind = "banner"     // 旗 / 县
	Township   Kind = "township"   // 苏木乡镇 / 街道
	Village    Kind = "village"    // 嘎查村 / 社区
	Department Kind = "department" // 旗直部门
	Center     Kind = "center"     // 便民服务中心
	Station    Kind = "station"    // 便民服务站
	Window     Kind = "window"     // 窗口 or back-office seat
)

// Kinds lists every kind, in tree order.
var Kinds = []Kind{Region, City, Banner, Township, Village, Department, Center, Station, Window}

// Level is the GB/T 39046 A.2 行使层级代码 of an administrative kind; 0 for the others.
func (k Kind) Level() int {
	switch k {
	case Region:
		return 2
	case City:
		return 3
	case Banner:
		return 4
	case Township:
		return 5
	case Village:
		return 6
	}
	return 0
}

// Administrative reports whether the kind is one of the five levels.
func (k Kind) Administrative() bool { return k.Level() > 0 }

// HoldsTownships reports whether a subtree rooted at an organisation of the kind holds the township of every
// organisation in it that lies in a township: a township's, or one above it. A village's, a station's or a
// department's subtree does not.
func (k Kind) HoldsTownships() bool { return k.Administrative() && k.Level() <= Township.Level() }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// allowedParents says where each kind may hang in the tree.
var allowedParents = map[Kind][]Kind{
	Region:     nil,
	City:       {Region},
	Banner:     {City},
	Township:   {Banner},
	Village:    {Township},
	Department: {Banner, City, Region},
	Center:     {Township},
	Station:    {Village},
	Window:     {Center, Department},
}

// CanHang reports whether a child of kind child may have a parent of kind parent ("" for a root).
func CanHang(child, parent Kind) bool {
	ps := allowedParents[child]
	if parent == "" {
		return child == Region
	}
	for _, p := range ps {
		if p == parent {
			return true
		}
	}
	return false
}

// Desk is the side of the hall a window serves (受办分离).
type Desk string

const (
	FrontDesk  Desk = "front" // 前台: consult, receive, issue
	BackOffice Desk = "back"  // 后台: review and decide, never meets the applicant
)

// Org is one node of the tree.
type Org struct {
	ID       string
	ParentID string
	Path     string // "/id1/id2/.../id/": the ids from the root down to this node
	Kind     Kind
	Code     string // division code (6, 9 or 12 digits) for administrative kinds; optional otherwise
	Subtype  string // 镇, 乡, 苏木, 街道, 嘎查, 村, 社区 ...: as the division list gives it
	NameZh   string
	NameMn   string
	// MnReview marks a Mongolian name that no native reviewer has confirmed yet.
	MnReview bool
	Abbr     string // abbreviation used in notice numbers
	Desk     Desk   // windows only
	General  bool   // windows only: a general window (综合受理) takes every item
	Note     string
	Aliases  []string
	Version  int
	Created  time.Time
	Updated  time.Time
}

// Contains reports whether other lies in o's subtree (o itself included).
func (o Org) Contains(other Org) bool { return InSubtree(o.Path, other.Path) }

// InSubtree reports whether the node at path lies under (or is) the node at root.
func InSubtree(root, path string) bool {
	return root != "" && strings.HasPrefix(path, root)
}

// ChildPath is the path of a child with the given id under parentPath.
func ChildPath(parentPath, id string) string {
	if parentPath == "" {
		return "/" + id + "/"
	}
	return parentPath + id + "/"
}

// Name returns the name in the given language, falling back to Chinese when no Mongolian name exists yet.
func (o Org) Name(lang string) string {
	if lang == "mn" && o.NameMn != "" {
		return o.NameMn
	}
	return o.NameZh
}

// MaxName is the longest name accepted, in characters (GB/T 39046 uses an..100 for 实施主体).
const MaxName = 100

// Validate checks the fields of o against its kind and its parent (nil for a root).
func (o Org) Validate(parent *Org) error {
	var l errs.List
	if !o.Kind.Valid() {
		l.Add(errs.Field("kind", "err.org.kind"))
	} else {
		var pk Kind
		if parent != nil {
			pk = parent.Kind
		}
		if !CanHang(o.Kind, pk) {
			l.Add(errs.Field("parent", "err.org.parent").With("kind", string(o.Kind)))
		}
	}
	l.Add(CheckName("name_zh", o.NameZh, true))
	l.Add(CheckName("name_mn", o.NameMn, false))
	if o.NameMn != "" && !IsMongolian(o.NameMn) {
		l.Add(errs.Field("name_mn", "err.name_mn.script"))
	}
	if o.Kind.Administrative() {
		l.Add(CheckCode(o.Kind, o.Code, parent, o.Note != ""))
	}
	if o.Kind == Window && o.Desk != FrontDesk && o.Desk != BackOffice {
		l.Add(errs.Field("desk", "err.org.desk"))
	}
	if utf8.RuneCountInString(o.Abbr) > 20 {
		l.Add(errs.Field("abbr", "err.too_long").With("max", "20"))
	}
	return l.Err()
}

// ValidateNew is Validate for an organisation being made, whose code is given now: its digits must also say
// its level and kind (CheckCodeRange). A unit already made keeps its code through a rename (a 村 becoming a
// 社区 before the code list follows), so Validate alone checks an edit.
func (o Org) ValidateNew(parent *Org) error {
	if err := o.Validate(parent); err != nil || !o.Kind.Administrative() {
		return err
	}
	if e := CheckCodeRange(o.Kind, o.Code, o.Subtype, o.NameZh); e != nil {
		return e
	}
	return nil
}

// CheckName validates one name field.
func CheckName(field, v string, required bool) *errs.Error {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			return errs.Field(field, "err.required")
		}
		return nil
	}
	if utf8.RuneCountInString(v) > MaxName {
		return errs.Field(field, "err.too_long").With("max", "100")
	}
	return nil
}

// IsMongolian reports whether s carries traditional Mongolian letters (U+1800-U+18AF).
func IsMongolian(s string) bool {
	for _, r := range s {
		if r >= 0x1800 && r <= 0x18AF {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// CheckCode validates a division code for its level: 6 digits for region, city and banner (GB/T 2260), 9 or
// 12 digits for a township (统计用区划代码; 12 = 9 + "000"), 12 for a village; each starts with its parent's
// code. A township-level unit without an official code is accepted only with a note that says why.
func CheckCode(k Kind, code string, parent *Org, noted bool) *errs.Error {
	if code == "" {
		if (k == Township || k == Village) && noted {
			return nil
		}
		return errs.Field("code", "err.required")
	}
	if !allDigits(code) {
		return errs.Field("code", "err.code.digits")
	}
	want := map[Kind][]int{Region: {6}, City: {6}, Banner: {6}, Township: {9, 12}, Village: {12}}[k]
	okLen := false
	for _, n := range want {
		okLen = okLen || len(code) == n
	}
	if !okLen {
		return errs.Field("code", "err.code.length").With("kind", string(k))
	}
	if k == Township && len(code) == 12 && !strings.HasSuffix(code, "000") {
		return errs.Field("code", "err.code.township12")
	}
	if parent != nil && parent.Code != "" {
		p := Prefix(parent.Kind, parent.Code)
		if !strings.HasPrefix(code, p) {
			return errs.Field("code", "err.code.prefix").With("parent", parent.Code)
		}
	}
	return nil
}

// CheckCodeRange checks what a code's digits say of its level and kind (FACTS.md §7):
//   - GB/T 2260: a region is XX0000, a city XXYY00 (YY not 00), a banner or county XXYYZZ (ZZ not 00);
//   - 统计用区划代码, a township's three digits after its banner: 001–099 街道, 100–199 镇, 200–399 乡 (苏木 among
//     them), 400–599 政企合一 and 类似乡级单位 (where some 街道 are coded, 罕乌拉街道 150421403); 000 and 600 up are
//     no township's;
//   - a village's three digits after its township: 001–199 居民委员会 (社区), 200–399 村民委员会 (嘎查, 村), and
//     under a 农牧场 or 林场 coded 4xx–5xx, 400–499 类似居委会 and 500–599 类似村委会.
//
// The kind of a township is its subtype, or read from its name; a unit of unknown kind is held to the ranges
// alone.
func CheckCodeRange(k Kind, code, subtype, name string) *errs.Error {
	if code == "" || !allDigits(code) {
		return nil
	}
	switch k {
	case Region:
		if len(code) == 6 && (code[:2] == "00" || code[2:] != "0000") {
			return errs.Field("code", "err.code.region_form")
		}
	case City:
		if len(code) == 6 && (code[2:4] == "00" || code[4:] != "00") {
			return errs.Field("code", "err.code.city_form")
		}
	case Banner:
		if len(code) == 6 && code[4:] == "00" {
			return errs.Field("code", "err.code.banner_form")
		}
	case Township:
		if len(code) < 9 {
			return nil
		}
		n, _ := strconv.Atoi(code[6:9])
		if subtype == "" {
			subtype = subtypeOfTownship(name)
		}
		if n < 1 || n > 599 {
			return errs.Field("code", "err.code.township_range")
		}
		if n >= 400 {
			return nil // 政企合一 and 类似乡级单位: any kind
		}
		want := map[string][2]int{"街道": {1, 99}, "镇": {100, 199}, "乡": {200, 399}, "民族乡": {200, 399}, "苏木": {200, 399}}
		if r, ok := want[subtype]; ok && (n < r[0] || n > r[1]) {
			return errs.Field("code", "err.code.township_kind").With("type", subtype).With("low", fmt.Sprintf("%03d", r[0])).With("high", fmt.Sprintf("%03d", r[1]))
		}
	case Village:
		if len(code) != 12 {
			return nil
		}
		n, _ := strconv.Atoi(code[9:])
		if n < 1 || n > 599 {
			return errs.Field("code", "err.code.village_range")
		}
		if subtype == "" {
			subtype = VillageSubtype(name)
		}
		if t, _ := strconv.Atoi(code[6:9]); n >= 400 && t < 400 {
			return errs.Field("code", "err.code.village_range") // 400-599 are the units of a farm or forest station (4xx-5xx)
		}
		community := n <= 199 || (n >= 400 && n <= 499)
		switch {
		case subtype == "社区" && !community:
			return errs.Field("code", "err.code.village_kind").With("type", subtype).With("low", "001").With("high", "199")
		case (subtype == "村" || subtype == "嘎查") && community:
			return errs.Field("code", "err.code.village_kind").With("type", subtype).With("low", "200").With("high", "399")
		}
	}
	return nil
}

// Prefix is the part of a code that all codes below it start with: "15" for a region, "1504" for a city,
// the 6 digits of a banner, the 9 of a township.
func Prefix(k Kind, code string) string {
	switch k {
	case Region:
		if len(code) >= 2 {
			return code[:2]
		}
	case City:
		if len(code) >= 4 {
			return code[:4]
		}
	case Township:
		if len(code) >= 9 {
			return code[:9]
		}
	}
	return code
}

// VillageSubtype tells a community (社区, codes 001-199) from a village (嘎查/村, 200-399) by name.
func VillageSubtype(name string) string {
	switch {
	case strings.HasSuffix(name, "社区"):
		return "社区"
	case strings.HasSuffix(name, "嘎查"):
		return "嘎查"
	case strings.HasSuffix(name, "村"):
		return "村"
	}
	return ""
}

// SortByCode orders organisations as the division lists do: by kind's level, then official code; units
// without a code after the coded ones, by name.
func SortByCode(list []Org) {
	slices.SortStableFunc(list, func(a, b Org) int {
		if a.Kind.Level() != b.Kind.Level() {
			return a.Kind.Level() - b.Kind.Level()
		}
		switch {
		case a.Code == b.Code:
			return strings.Compare(a.NameZh, b.NameZh)
		case a.Code == "":
			return 1
		case b.Code == "":
			return -1
		}
		return strings.Compare(a.Code, b.Code)
	})
}
