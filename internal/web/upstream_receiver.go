package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"

	"bianmin/internal/upstream"
)

// The reference receiver (`bianmin upstream serve`): a small peer of the upper platform's protocol
// (upstream.Batch in, upstream.Reply out) that validates the national fields and code sets, keeps receipts
// and is idempotent on record id. A region tests its connection with it, the tests use it as a real peer in
// a process of its own, and its OpenAPI document, generated from the table below like Bianmin's own, is what
// a real upper platform's adapter implements.

// ReceiverStats is what the receiver kept and how often a kept record came again.
type ReceiverStats struct {
	Kept       int `json:"kept"`
	Duplicates int `json:"duplicates"`
}

// receiverOps is the receiver's table: router and OpenAPI document at once.
func receiverOps(l *upstream.Ledger, refuse func(upstream.Record) *upstream.Refusal) []apiOp {
	return []apiOp{
		{Method: "POST", Path: "/records", ID: "takeRecords", Summary: "Take a batch of records (at most one per key, at most " + strconv.Itoa(upstream.MaxBatch) +
			"); 200 with one receipt per record: accepted, duplicate (kept before), refused (with the reason: do not send it unchanged), retry (an earlier record of its key has not arrived)",
			In: reflect.TypeFor[upstream.Batch](), Out: reflect.TypeFor[upstream.Reply](),
			handle: func(w http.ResponseWriter, r *http.Request) {
				var b upstream.Batch
				if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20)).Decode(&b); err != nil || len(b.Records) > upstream.MaxBatch {
					http.Error(w, "a batch of records, JSON, at most "+strconv.Itoa(upstream.MaxBatch), http.StatusBadRequest)
					return
				}
				rcs, err := l.Take(b, refuse)
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				writeJSON(w, http.StatusOK, upstream.Reply{Receipts: rcs})
			}},
		{Method: "GET", Path: "/records", ID: "keptRecords", Summary: "The records kept, in the order they were kept, from ?from= (an index, 0 first)",
			Out: reflect.TypeFor[[]upstream.Kept](),
			handle: func(w http.ResponseWriter, r *http.Request) {
				from, _ := strconv.Atoi(r.URL.Query().Get("from"))
				list := l.Kept(max(from, 0))
				if list == nil {
					list = []upstream.Kept{}
				}
				writeJSON(w, http.StatusOK, list)
			}},
		{Method: "GET", Path: "/stats", ID: "receiverStats", Summary: "How many records were kept, and how many came again after they were",
			Out: reflect.TypeFor[ReceiverStats](),
			handle: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, ReceiverStats{Kept: len(l.Kept(0)), Duplicates: l.Duplicates()})
			}},
	}
}

// ReceiverHandler serves the reference receiver over a ledger; refuse is an extra check of the receiver's
// own (nil: only the national fields and code sets).
func ReceiverHandler(l *upstream.Ledger, refuse func(upstream.Record) *upstream.Refusal) http.Handler {
	mux := http.NewServeMux()
	ops := receiverOps(l, refuse)
	for _, o := range ops {
		mux.HandleFunc(o.Method+" "+o.Path, o.handle)
	}
	doc := openAPI(ops)
	doc["info"] = map[string]any{"title": "Bianmin upper-platform exchange (reference receiver)", "version": "1"}
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, doc) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	return mux
}
