package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/oversight"
	"bianmin/internal/service"
)

// The operations of page actions the API lacked (issue 15 point 6): catalog editing, publishing and import,
// supervision's cases, monthly reports, the calendar, orders of supervision, interface translations. Each
// calls the same service function as its page, under the same rules. api_coverage_test.go checks that every
// page action has its operation, or is listed there with the reason it has none.

// CatalogItemJSON is an item as its editor reads it: the latest version, the row version to send back with an
// edit (optimistic locking), every version.
type CatalogItemJSON struct {
	Item       catalog.Item   `json:"item"`
	RowVersion int            `json:"row_version"`
	Versions   []catalog.Item `json:"versions"`
}

// CatalogSaveJSON is an edit of an item with the row version read.
type CatalogSaveJSON struct {
	Item       catalog.Item `json:"item"`
	RowVersion int          `json:"row_version"`
}

// ItemStatusJSON moves a version through draft, review, published and retired.
type ItemStatusJSON struct {
	Version int            `json:"version"`
	To      catalog.Status `json:"to"`
}

// CatalogImportJSON is a catalog in Bianmin's JSON form (catalogfile.WriteJSON), imported all or nothing.
type CatalogImportJSON struct {
	Items   []catalog.Item `json:"items"`
	Publish bool           `json:"publish,omitempty"`
	// Delegations are the file's 赋权清单 (delegation.Record): each becomes a proposal its department
	// confirms (confirmDelegationProposal), or the whole import is refused naming the record's field.
	Delegations []delegation.Record `json:"delegations,omitempty"`
}

// OrderJSON issues an order of supervision (督办, 催办) on a case, a window or a person.
type OrderJSON struct {
	service.OrderTarget
	oversight.Input
}

// OrderPageJSON is a page of orders.
type OrderPageJSON struct {
	Orders []service.OrderView `json:"orders"`
	Next   string              `json:"next,omitempty"`
}

// AnswerJSON answers an order.
type AnswerJSON struct {
	Answer string `json:"answer"`
}

// TranslationJSON corrects an interface string, with the version read.
type TranslationJSON struct {
	Zh      string `json:"zh"`
	Mn      string `json:"mn"`
	Review  bool   `json:"review"`
	Version int    `json:"version"`
}

func (s *Server) pageOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/catalog", "listCatalogItems", "The latest version of every item of the caller's departments (drafts too)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]catalog.Item, error) {
				list, err := s.svc.Items(r.Context(), c.me.Actor())
				if list == nil {
					list = []catalog.Item{}
				}
				return list, err
			}),
		op(s, "GET", "/api/v1/catalog/{id}", "getCatalogItem", "An item as its editor reads it: the latest version, the row version, every version", true,
			func(r *http.Request, c *reqCtx, _ empty) (CatalogItemJSON, error) {
				it, row, versions, err := s.svc.ItemForEdit(r.Context(), c.me.Actor(), r.PathValue("id"))
				return CatalogItemJSON{it, row.RowVersion, versions}, err
			}),
		op(s, "PUT", "/api/v1/catalog/{id}", "saveCatalogItem", "Save an edit of an item; editing a published item makes a draft of a new version; row_version must be the one read", true,
			func(r *http.Request, c *reqCtx, in CatalogSaveJSON) (catalog.Item, error) {
				in.Item.ID = r.PathValue("id")
				return s.svc.SaveItem(r.Context(), c.me.Actor(), in.Item, in.RowVersion)
			}),
		op(s, "POST", "/api/v1/catalog/{id}/status", "setItemStatus", "Move a version to draft, review, published or retired (publishing needs catalog.publish and an item without gaps)", true,
			func(r *http.Request, c *reqCtx, in ItemStatusJSON) (empty, error) {
				return empty{}, s.svc.SetItemStatus(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.To)
			}),
		op(s, "POST", "/api/v1/catalog/import", "importCatalog", "Import items (Bianmin's catalog JSON) and its delegation records (proposals for their departments), all or nothing; with publish, items without gaps are published", true,
			func(r *http.Request, c *reqCtx, in CatalogImportJSON) (service.ImportReport, error) {
				return s.svc.ImportItemsWith(r.Context(), c.me.Actor(), in.Items, service.ImportOptions{Publish: in.Publish, Delegations: in.Delegations, Source: "API"})
			}),
		op(s, "GET", "/api/v1/catalog/delegations", "listCatalogDelegations", "The delegations in force or planned of the caller's departments as the catalog files' records (赋权清单: department, item, scope, townships by name, document, start): what the catalog export writes beside the items", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]delegation.Record, error) {
				_, dels, err := s.svc.CatalogExport(r.Context(), c.me.Actor())
				if dels == nil {
					dels = []delegation.Record{}
				}
				return dels, err
			}),
		op(s, "GET", "/api/v1/supervision/cases", "supervisionCases", "The cases behind a figure of the dashboard: ?dim= ?value= ?what= and the dashboard's period and township", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]service.Work, error) {
				q, err := s.dashboardQuery(r)
				if err != nil {
					return nil, err
				}
				dq := service.DrillQuery{Dim: q.Dim, Value: r.URL.Query().Get("value"), What: r.URL.Query().Get("what"), Period: q.Period, Township: q.Township}
				list, err := s.svc.Drill(r.Context(), c.me.Actor(), dq)
				if list == nil {
					list = []service.Work{}
				}
				return list, err
			}),
		op(s, "GET", "/api/v1/reports/{org}", "listReports", "The months whose public report an organisation has; public", false,
			func(r *http.Request, c *reqCtx, _ empty) ([]string, error) {
				list, err := s.svc.PublicReports(r.Context(), r.PathValue("org"))
				if list == nil {
					list = []string{}
				}
				return list, err
			}),
		op(s, "GET", "/api/v1/reports/{org}/{period}", "getReport", "An organisation's public monthly report (period 2026-10); public", false,
			func(r *http.Request, c *reqCtx, _ empty) (service.Report, error) {
				return s.svc.PublicReport(r.Context(), r.PathValue("period"), r.PathValue("org"))
			}),
		op(s, "GET", "/api/v1/calendar", "listCalendarYears", "The holiday schedules in use, shipped or loaded", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]service.CalendarYear, error) {
				return s.svc.CalendarYears(r.Context())
			}),
		op(s, "POST", "/api/v1/calendar", "importCalendar", "Load a year's official holiday schedule (the form of internal/clock/calendars/2026.json); applicants whose due date moved are told", true,
			func(r *http.Request, c *reqCtx, in clock.Year) (clock.Year, error) {
				b, _ := json.Marshal(in)
				return s.svc.LoadCalendarYear(r.Context(), c.me.Actor(), bytes.NewReader(b))
			}),
		op(s, "GET", "/api/v1/orders", "listOrders", "Orders of supervision the caller issued or must answer: ?open=1 ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (OrderPageJSON, error) {
				p, err := s.svc.OrderList(r.Context(), c.me.Actor(), r.URL.Query().Get("open") == "1", r.URL.Query().Get("cursor"), 0)
				if p.List == nil {
					p.List = []service.OrderView{}
				}
				return OrderPageJSON{p.List, p.Next}, err
			}),
		withHeader(op(s, "POST", "/api/v1/orders", "issueOrder", "Issue an order (督办, 催办) on a case, a window or a person; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in OrderJSON) (oversight.Order, error) {
				return s.svc.IssueOrder(r.Context(), c.me.Actor(), in.OrderTarget, in.Input, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "POST", "/api/v1/orders/{id}/answer", "answerOrder", "Answer an order addressed to the caller's organisation", true,
			func(r *http.Request, c *reqCtx, in AnswerJSON) (oversight.Order, error) {
				return s.svc.AnswerOrder(r.Context(), c.me.Actor(), r.PathValue("id"), in.Answer)
			}),
		op(s, "PUT", "/api/v1/translations/{key}", "saveTranslation", "Correct an interface string in both languages (review: awaits a native reviewer); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in TranslationJSON) (empty, error) {
				return empty{}, s.svc.SaveTranslation(r.Context(), c.me.Actor(), r.PathValue("key"), in.Zh, in.Mn, in.Review, in.Version)
			}),
	}
}
