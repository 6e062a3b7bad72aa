package org

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// DivisionFile is the JSON layout of a banner's division list (see shared/fixtures/divisions-150421.json):
// region, city and banner codes, the township-level units with 9- and 12-digit codes, name variants, and
// village lists grouped by township name.
type DivisionFile struct {
	About        string              `json:"about"`
	Region       DivisionUnit        `json:"region"`
	City         DivisionUnit        `json:"city"`
	Banner       DivisionUnit        `json:"banner"`
	Townships    []DivisionTownship  `json:"townships"`
	NameVariants map[string][]string `json:"name_variants"`
	Villages     map[string]struct {
		List []DivisionVillage `json:"list"`
		Note string            `json:"note"`
	} `json:"villages"`
}

type DivisionUnit struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameMn string `json:"name_mn"`
	Seat   string `json:"seat"`
}

type DivisionTownship struct {
	Code9  string `json:"code9"`
	Code12 string `json:"code12"`
	Name   string `json:"name"`
	NameMn string `json:"name_mn"`
	Type   string `json:"type"`
}

type DivisionVillage struct {
	Name            string `json:"name"`
	NameMn          string `json:"name_mn"`
	Code12          string `json:"code12"`
	UrbanRuralClass string `json:"urban_rural_class"`
}

// Plan is a validated division file turned into the organisations to create, parents before children.
// Parent links are by index into Orgs (-1 for a root).
type Plan struct {
	Orgs    []Org
	Parents []int
}

// ParseDivisions reads and validates a division file. Any problem refuses the whole file: the error lists
// every fault with its place in the file.
//
// The file is one object of DivisionFile's fields: a misspelt name ("code_12") would otherwise drop what it
// carries without a word.
func ParseDivisions(r io.Reader) (*Plan, error) {
	var f DivisionFile
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, errs.Wrap(err, "division file")
	}
	dec := json.NewDecoder(bytes.NewReader(errs.TrimBOM(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, errs.FromJSON(err, "file")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.Field("file", "err.import.trailing")
	}
	if path, twice := errs.RepeatedKey(errs.TrimBOM(b)); twice {
		return nil, errs.Field("file", "err.import.repeated_key").With("name", path)
	}
	return f.Plan()
}

func fault(where, key string, args ...string) *errs.Error {
	e := errs.Field(where, key)
	for i := 0; i+1 < len(args); i += 2 {
		e = e.With(args[i], args[i+1])
	}
	return e
}

// Plan validates the file and builds the organisations.
func (f *DivisionFile) Plan() (*Plan, error) {
	var l errs.List
	p := &Plan{}
	add := func(o Org, parent int) int {
		p.Orgs = append(p.Orgs, o)
		p.Parents = append(p.Parents, parent)
		return len(p.Orgs) - 1
	}
	check := func(where string, o Org, parent int) {
		var po *Org
		if parent >= 0 {
			po = &p.Orgs[parent]
		}
		for _, e := range errs.All(o.ValidateNew(po)) {
			l.Add(fault(where+"."+e.Field, e.Key, flatten(e.Args)...))
		}
	}
	unit := func(where string, u DivisionUnit, k Kind, parent int) int {
		o := Org{Kind: k, Code: u.Code, NameZh: strings.TrimSpace(u.Name), NameMn: strings.TrimSpace(u.NameMn), MnReview: u.NameMn != ""}
		check(where, o, parent)
		return add(o, parent)
	}
	ri := unit("region", f.Region, Region, -1)
	ci := unit("city", f.City, City, ri)
	bi := unit("banner", f.Banner, Banner, ci)

	byName := map[string]int{}
	seenCode := map[string]string{}
	for i, t := range f.Townships {
		where := "townships[" + strconv.Itoa(i) + "]"
		if t.Code12 != "" && t.Code9 != "" && t.Code12 != t.Code9+"000" {
			l.Add(fault(where+".code12", "err.import.code12", "code9", t.Code9))
		}
		// a township is kept and compared by its 9 digits: the 12-digit form (in either field) is the same
		// code with "000"
		code := cmp.Or(t.Code9, t.Code12)
		if len(code) == 12 && strings.HasSuffix(code, "000") {
			code = code[:9]
		}
		switch t.Type {
		case "", "街道", "镇", "乡", "苏木", "民族乡", "类似乡级单位":
		default:
			l.Add(fault(where+".type", "err.import.township_type", "type", t.Type))
		}
		o := Org{Kind: Township, Code: code, Subtype: t.Type, NameZh: strings.TrimSpace(t.Name), NameMn: strings.TrimSpace(t.NameMn), MnReview: t.NameMn != ""}
		check(where, o, bi)
		if prev, dup := seenCode[code]; dup && code != "" {
			l.Add(fault(where+".code9", "err.import.duplicate", "other", prev))
		}
		seenCode[code] = where
		if _, dup := byName[o.NameZh]; dup {
			l.Add(fault(where+".name", "err.import.duplicate", "other", o.NameZh))
		}
		byName[o.NameZh] = add(o, bi)
	}
	for name, variants := range f.NameVariants {
		ti, ok := byName[name]
		if !ok {
			l.Add(fault("name_variants."+name, "err.import.unknown_township", "name", name))
			continue
		}
		p.Orgs[ti].Aliases = append(p.Orgs[ti].Aliases, variants...)
	}
	// Sorted, so that an import creates rows in the same order every time.
	for _, tname := range slices.Sorted(maps.Keys(f.Villages)) {
		group := f.Villages[tname]
		where := "villages." + tname
		ti, ok := byName[tname]
		if !ok {
			ti = aliasOf(p, tname)
		}
		if ti < 0 {
			// A group under a township-level name the code list does not carry (e.g. a street office that
			// was renamed) is kept as an uncoded unit, but only when the file says why.
			if strings.TrimSpace(group.Note) == "" {
				l.Add(fault(where, "err.import.unknown_township", "name", tname))
				continue
			}
			o := Org{Kind: Township, NameZh: tname, Subtype: subtypeOfTownship(tname), Note: group.Note}
			check(where, o, bi)
			ti = add(o, bi)
			byName[tname] = ti
		} else if group.Note != "" && p.Orgs[ti].Note == "" {
			p.Orgs[ti].Note = group.Note
		}
		seenVillage := map[string]bool{}
		for j, v := range group.List {
			vw := where + ".list[" + strconv.Itoa(j) + "]"
			o := Org{Kind: Village, Code: v.Code12, Subtype: VillageSubtype(v.Name), NameZh: strings.TrimSpace(v.Name), NameMn: strings.TrimSpace(v.NameMn), MnReview: v.NameMn != ""}
			if o.Code == "" {
				// Village codes are missing from many public lists; an uncoded village is recorded as such.
				o.Note = "code12 not in source"
			}
			check(vw, o, ti)
			if o.Code != "" && p.Orgs[ti].Code == "" && !strings.HasPrefix(o.Code, p.Orgs[bi].Code) {
				// under a township the code list does not carry, a village's code is still its banner's
				l.Add(fault(vw+".code", "err.code.prefix", "parent", p.Orgs[bi].Code))
			}
			if len(o.Code) == 12 {
				if prev, dup := seenCode[o.Code]; dup {
					l.Add(fault(vw+".code12", "err.import.duplicate", "other", prev))
				}
				seenCode[o.Code] = vw
			}
			if seenVillage[o.NameZh] {
				l.Add(fault(vw+".name", "err.import.duplicate", "other", o.NameZh))
			}
			seenVillage[o.NameZh] = true
			add(o, ti)
		}
	}
	if len(f.Townships) == 0 {
		l.Add(fault("townships", "err.required"))
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func aliasOf(p *Plan, name string) int {
	for i, o := range p.Orgs {
		for _, a := range o.Aliases {
			if a == name {
				return i
			}
		}
	}
	return -1
}

func subtypeOfTownship(name string) string {
	for _, s := range []string{"街道", "苏木", "镇", "乡"} {
		if strings.HasSuffix(name, s) {
			return s
		}
	}
	return ""
}

func flatten(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// String summarises a plan for logs and the import page.
func (p *Plan) String() string {
	counts := map[Kind]int{}
	for _, o := range p.Orgs {
		counts[o.Kind]++
	}
	return fmt.Sprintf("%d townships, %d villages", counts[Township], counts[Village])
}

// Count returns how many organisations of kind k the plan holds.
func (p *Plan) Count(k Kind) int {
	n := 0
	for _, o := range p.Orgs {
		if o.Kind == k {
			n++
		}
	}
	return n
}
