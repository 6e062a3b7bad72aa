package web

import (
	"net/http"

	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/upstream"
)

// The API of what leaves Bianmin (issue 15; pages_upstream.go): receivers (the upper platform, local systems'
// webhooks), their delivery logs, the records they refused and the operator's fix. The records themselves and
// the reference receiver's protocol: internal/upstream, and /openapi.json of `bianmin upstream serve`.

// ReceiverJSON is a receiver; Secret is present only in the answer that created a webhook.
type ReceiverJSON struct {
	store.Receiver
	Secret string `json:"secret,omitempty"`
}

// ReceiverEditJSON is an edit with the version read.
type ReceiverEditJSON struct {
	service.ReceiverInput
	Version int `json:"version"`
}

// ResendJSON is an operator's fix of a parked record: the corrected body, or "" to send it unchanged.
type ResendJSON struct {
	Body string `json:"body,omitempty"`
}

func (s *Server) upstreamOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/receivers", "listReceivers", "The receivers (upper platform, webhooks) set up within the caller's subtree", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]store.Receiver, error) {
				list, err := s.svc.ReceiversOf(r.Context(), c.me.Actor())
				if list == nil {
					list = []store.Receiver{}
				}
				return list, err
			}),
		op(s, "POST", "/api/v1/receivers", "createReceiver", "Set up a receiver for an organisation's subtree: channel upstream (the national exchange shape with receipts) or webhook (signed; the secret is in this answer only); withheld switches classes of personal data off (phone, id_number, name, address)", true,
			func(r *http.Request, c *reqCtx, in service.ReceiverInput) (ReceiverJSON, error) {
				rc, secret, err := s.svc.CreateReceiver(r.Context(), c.me.Actor(), in)
				return ReceiverJSON{rc, secret}, err
			}),
		op(s, "GET", "/api/v1/receivers/{id}", "getReceiver", "One receiver", true,
			func(r *http.Request, c *reqCtx, _ empty) (store.Receiver, error) {
				return s.svc.ReceiverFor(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "PATCH", "/api/v1/receivers/{id}", "updateReceiver", "Change a receiver's name, address, events, withheld classes, active; version must be the one read", true,
			func(r *http.Request, c *reqCtx, in ReceiverEditJSON) (store.Receiver, error) {
				return s.svc.UpdateReceiver(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.ReceiverInput)
			}),
		op(s, "GET", "/api/v1/receivers/{id}/deliveries", "listDeliveries", "A receiver's delivery log, newest first, 25 a page: ?parked=1 only the refused ones waiting for a fix, ?cursor= the next page", true,
			func(r *http.Request, c *reqCtx, _ empty) (service.DeliveryPage, error) {
				q := r.URL.Query()
				return s.svc.Deliveries(r.Context(), c.me.Actor(), r.PathValue("id"), q.Get("parked") == "1", q.Get("cursor"))
			}),
		op(s, "POST", "/api/v1/receivers/{id}/test", "testReceiver", "Send a webhook a test event; its delivery shows in the log", true,
			func(r *http.Request, c *reqCtx, _ empty) (store.Outgoing, error) {
				return s.svc.TestDelivery(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/outbox/{id}/resend", "resendRecord", "Put a parked record back in line, its body corrected (the same record: id, key, place and table unchanged) or unchanged", true,
			func(r *http.Request, c *reqCtx, in ResendJSON) (store.Outgoing, error) {
				return s.svc.Resend(r.Context(), c.me.Actor(), r.PathValue("id"), in.Body)
			}),
		op(s, "POST", "/api/v1/catalog/sync", "syncCatalog", "Take the upper platform's 实施清单: each item's differences from the local version become a draft (a new version of a published item) to review and publish; codes checked against their layout; nothing is published", true,
			func(r *http.Request, c *reqCtx, in CatalogSyncJSON) (service.SyncReport, error) {
				return s.svc.SyncCatalog(r.Context(), c.me.Actor(), in.TaskFile, in.Department)
			}),
	}
}

// CatalogSyncJSON is the upper platform's 实施清单 (up_task_general_basic, extend, material) and the department
// new items go to ("": each item's 实施主体).
type CatalogSyncJSON struct {
	upstream.TaskFile
	Department string `json:"department,omitempty"`
}
