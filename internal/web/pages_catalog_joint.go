package web

import (
	"net/http"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/joint"
)

// The catalog editor's form for an item's joint steps (issue 19): for each step but the last (which decides),
// the banner departments that review it at once (并联审批) with the rule when one does not pass and the lead
// body, and the roles that sign it off (会签), in sequence or together. It saves through the same service as
// the JSON editor and the API (SaveItem), which checks the rules and the names, each error naming the step's
// field.

// jointSigners is how many signer rows the form offers a step.
const jointSigners = 3

// jointEditor is what the form shows: the steps with their joint specs (as saved, or as typed when refused),
// the departments of the item's banner, the roles that may sign.
type jointEditor struct {
	Steps       []catalog.Step
	Departments []string
	Roles       []access.Role
	Rules       []joint.Rule
	Modes       []joint.Mode
	Township    string // catalog.HandlingTownship
}

// Signer is the form's signer row j of a countersign (empty past its signers).
func (e jointEditor) Signer(c *catalog.StepCountersign, j int) catalog.StepSigner {
	if c == nil || j >= len(c.Signers) {
		return catalog.StepSigner{}
	}
	return c.Signers[j]
}

// SignerRows are the rows the form offers.
func (e jointEditor) SignerRows() []int {
	out := make([]int, jointSigners)
	for i := range out {
		out[i] = i
	}
	return out
}

// Named reports whether a step's parallel spec names a department.
func (e jointEditor) Named(p *catalog.StepParallel, name string) bool {
	if p == nil {
		return false
	}
	for _, b := range p.Bodies {
		if b == name {
			return true
		}
	}
	return false
}

func (s *Server) jointEditorOf(r *http.Request, it catalog.Item) jointEditor {
	e := jointEditor{Steps: it.Steps, Rules: joint.Rules, Modes: joint.Modes, Township: catalog.HandlingTownship,
		Roles: []access.Role{access.Director, access.Department, access.Reviewer}}
	if names, err := s.svc.BannerDepartments(r.Context(), rc(r).me.Actor(), it.ID); err == nil {
		e.Departments = names
	}
	return e
}

// jointSpecs reads the form into an item's steps: a step without a rule has no parallel review, one without a
// mode no countersign; a signer row left empty is no signer.
func jointSpecs(r *http.Request, steps []catalog.Step) []catalog.Step {
	out := make([]catalog.Step, len(steps))
	copy(out, steps)
	for i := range out {
		n := strconv.Itoa(i)
		out[i].Parallel, out[i].Countersign = nil, nil
		if rule := r.PostFormValue("p" + n + "_rule"); rule != "" {
			out[i].Parallel = &catalog.StepParallel{Bodies: r.PostForm["p"+n+"_bodies"], Lead: r.PostFormValue("p" + n + "_lead"), Rule: joint.Rule(rule)}
		}
		if mode := r.PostFormValue("c" + n + "_mode"); mode != "" {
			c := &catalog.StepCountersign{Mode: joint.Mode(mode)}
			for j := range jointSigners {
				m := n + "_" + strconv.Itoa(j)
				x := catalog.StepSigner{Title: strings.TrimSpace(r.PostFormValue("c" + m + "_title")), Role: r.PostFormValue("c" + m + "_role"), Org: r.PostFormValue("c" + m + "_org")}
				if x != (catalog.StepSigner{}) {
					c.Signers = append(c.Signers, x)
				}
			}
			out[i].Countersign = c
		}
	}
	return out
}

// catalogJoint saves an item's joint steps from the form; refused, the form comes back with what was typed
// and each error at its step.
func (s *Server) catalogJoint(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := s.catalogItemData(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	it := d.Item
	it.Steps = jointSpecs(r, it.Steps)
	row, _ := strconv.Atoi(r.FormValue("row"))
	if _, err := s.svc.SaveItem(r.Context(), rc(r).me.Actor(), it, row); err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		p := s.page(r, "title.catalog_item")
		d.Joint = s.jointEditorOf(r, it)
		p.Data = d
		p.Form["doc"] = d.JSON
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "catalog_item", p)
		return
	}
	http.Redirect(w, r, "/catalog/"+id+"?ok=saved#joint", http.StatusSeeOther)
}
