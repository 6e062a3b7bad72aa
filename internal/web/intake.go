package web

import (
	"net/http"
	"slices"

	"bianmin/internal/catalog"
	"bianmin/internal/enquiry"
	"bianmin/internal/org"
	"bianmin/internal/service"
)

// Intake from an ID number (issue 12, item 2), on the intake page: the number typed or scanned finds the
// applicant (or opens their registration on the same form, the birth date and sex read from the number),
// their open cases show, and the item is chosen from the window's most used or by a search (Chinese, pinyin,
// initials, Mongolian), without JavaScript.

// Intake is the intake page's part that the ID number and the item search fill in.
type Intake struct {
	Looked  bool           // an ID number was looked up and is valid
	Found   service.Intake // what it found
	Choices []catalog.Item // the items to choose from: the search's results, or the most used
	Search  bool           // Choices are a search's results
	Chosen  *catalog.Item  // the item chosen, when it is not among Choices
	Units   []org.Org      // where a new applicant may be registered
	// Enquiries are the applicant's open enquiries (首问 not yet answered), beside their open cases.
	Enquiries []enquiry.Enquiry
}

// topItems is how many of the most used items the intake page offers.
const topItems = 8

// intake fills in the intake page from its id_number, q and item values; an error is the number's (the page
// still shows, naming the field).
func (s *Server) intake(r *http.Request, p *Page, d *caseNewData) error {
	actor := rc(r).me.Actor()
	byID := func(id string) (catalog.Item, bool) {
		i := slices.IndexFunc(d.Items, func(it catalog.Item) bool { return it.ID == id })
		if i < 0 {
			return catalog.Item{}, false
		}
		return d.Items[i], true
	}
	if q := p.Form["q"]; q != "" {
		d.Search = true
		found, err := s.svc.Search(r.Context(), q, 20)
		if err != nil {
			return err
		}
		for _, f := range found {
			if it, ok := byID(f.Card.ID); ok && len(d.Choices) < 10 {
				d.Choices = append(d.Choices, it)
			}
		}
	} else {
		top, err := s.svc.TopItems(r.Context(), actor, topItems)
		if err != nil {
			return err
		}
		for _, id := range top {
			if it, ok := byID(id); ok {
				d.Choices = append(d.Choices, it)
			}
		}
	}
	if id := p.Form["item"]; id != "" && !slices.ContainsFunc(d.Choices, func(it catalog.Item) bool { return it.ID == id }) {
		if it, ok := byID(id); ok {
			d.Chosen = &it
		}
	}
	if p.Form["id_number"] == "" {
		return nil
	}
	found, err := s.svc.IntakeLookup(r.Context(), actor, p.Form["id_number"])
	if err != nil {
		return err
	}
	d.Looked, d.Found = true, found
	if d.Station && found.Found {
		if d.Standings, err = s.svc.StandingsInForce(r.Context(), actor, found.Applicant.ID); err != nil {
			return err
		}
	}
	if found.Found {
		if d.Enquiries, err = s.svc.OpenEnquiriesOf(r.Context(), actor, found.Applicant.ID); err != nil {
			return err
		}
	}
	if !found.Found {
		if d.Units, err = s.applicantUnits(r); err != nil {
			return err
		}
		if p.Form["org"] == "" {
			p.Form["org"] = actor.OrgID
		}
	}
	return nil
}
