package web

import (
	"bianmin/internal/translation"
	"sync/atomic"

	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The edge: what every request passes before a handler sees it. Its body is capped by route, a form is
// parsed here (multipart only where a file is expected, its spooled files removed when the request ends),
// and text that no form of ours sends (NUL bytes, invalid UTF-8) is refused with the field that carried it.
// PostgreSQL cannot store NUL in text or jsonb, and a NUL that reached a case document would break every
// query over the table; refusing it here keeps both engines alike.

// Body caps, by kind of route.
const (
	formBodyLimit = 256 << 10 // a form of fields: the longest is a case move with its reasons and material notes
	apiBodyLimit  = 1 << 20   // a JSON request
	// multipartMemory is how much of an uploaded file is held in memory; the rest goes to a temporary file
	// that is removed when the request ends.
	multipartMemory = 1 << 20
)

// uploadLimits are the routes that take a file, with the cap of their whole body (the file and its form).
var uploadLimits = map[string]int64{
	"POST /catalog/import": catalogUploadLimit + 64<<10,
	"POST /catalog/sync":   catalogUploadLimit + 64<<10, // the upper platform's 实施清单 (pages_upstream.go)
	"POST /admin/import":   divisionUploadLimit + 64<<10,
	"POST /admin/calendar": calendarUploadLimit + 64<<10,
	// electronic materials (pages_files.go): an application's files, one file at the window or station
	"POST /portal/guide/{id}/apply": maxFilesPerApplication*materialUploadLimit + 256<<10,
	"POST /cases/{id}/files":        materialUploadLimit + 64<<10,
	"POST /my/cases/{id}/files":     materialUploadLimit + 64<<10,
	"POST /translate/import":        translation.MaxFileBytes + 64<<10,
	"POST /staff/{id}/photo":        materialUploadLimit + 64<<10, // a staff member's photo (pages_roster.go)
	// delegated powers: the legal document's file, a help request's attachment (pages_delegation2.go)
	"POST /delegations/{id}/files": materialUploadLimit + 64<<10,
	"POST /help/{id}/files":        materialUploadLimit + 64<<10,
}

// uploadsPerAccount is how many uploads one account may send at once: a station's agent sends one file after
// another, and a form takes its files in one request.
const uploadsPerAccount = 2

// startUpload counts an upload of the caller's account in flight; false when the account has its share.
func (s *Server) startUpload(c *reqCtx) (done func(), ok bool) {
	// by account, not session: one account signed in many times has the same share
	key := ""
	switch {
	case c.me != nil:
		key = "staff:" + c.me.ID
	case c.resident != nil:
		key = "resident:" + c.resident.ID
	}
	v, _ := s.uploading.LoadOrStore(key, new(atomic.Int32))
	n := v.(*atomic.Int32)
	if n.Add(1) > uploadsPerAccount {
		n.Add(-1)
		return nil, false
	}
	return func() {
		if n.Add(-1) == 0 {
			s.uploading.CompareAndDelete(key, n)
		}
	}, true
}

// residentUploads are the routes of uploadLimits that a signed-in resident uses; the others serve staff.
var residentUploads = map[string]bool{"POST /portal/guide/{id}/apply": true, "POST /my/cases/{id}/files": true}

// uploaderSignedIn tells whether the caller has a session of the kind an upload route serves (the handler
// still checks who may do what, and the form's token).
func uploaderSignedIn(c *reqCtx, pattern string) bool {
	if residentUploads[pattern] {
		return c.resident != nil
	}
	return c.me != nil
}

// bodyLimits are routes whose body is larger than their kind's default.
var bodyLimits = map[string]int64{
	"POST /catalog/{id}":     4 << 20,             // an item edited as its whole JSON document
	"POST /api/v1/divisions": divisionUploadLimit, // a whole banner's or region's division file
	// the files the API takes as bytes (api_actions.go): a staff photo as the page takes it, a translation file
	"PUT /api/v1/staff/{id}/photo": materialUploadLimit,
	"POST /api/v1/mn/imports":      translation.MaxFileBytes,
}

// The largest files each upload takes.
const (
	catalogUploadLimit  = 20 << 20
	divisionUploadLimit = 10 << 20
	calendarUploadLimit = clock.MaxYearBytes
	materialUploadLimit = 20 << 20 // files.DefaultLimits.MaxUpload: a phone's photo as taken
)

// edge guards a request before routing: mux finds the route, the route gives the cap.
func (s *Server) edge(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := cleanText("path", r.URL.Path); err != nil {
			s.edgeFail(w, r, err)
			return
		}
		query, err := queryValues(r)
		if err != nil {
			s.edgeFail(w, r, err)
			return
		}
		for k, vs := range query {
			if err := cleanValues(k, vs); err != nil {
				s.edgeFail(w, r, err)
				return
			}
		}
		_, pattern := mux.Handler(r)
		noteRoute(r, pattern)
		limit, files := routeLimit(r, pattern)
		if r.ContentLength > limit {
			s.edgeFail(w, r, tooLarge(limit))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if files && !uploaderSignedIn(rc(r), pattern) {
			// Every route that takes files serves someone signed in, and its handler would only send the
			// caller to sign in: the body is refused unread, not spooled to disk first (a stranger could
			// otherwise fill the temporary directory with uploads nobody will look at).
			back := "/login?back="
			if residentUploads[pattern] {
				back = "/resident/login?back="
			}
			http.Redirect(w, r, back+url.QueryEscape(safeBack(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		if files {
			// An account is cheap to make (a resident registers in a minute): what one session may have
			// spooled at once is bounded too, before its form token can be read from the body.
			done, ok := s.startUpload(rc(r))
			if !ok {
				s.edgeFail(w, r, errs.New(errs.Locked, "err.edge.uploads_busy").With("n", strconv.Itoa(uploadsPerAccount)))
				return
			}
			defer done()
		}
		if hasBody(r.Method) && !strings.HasPrefix(r.URL.Path, "/api/") {
			if err := parseForm(r, files, limit); err != nil {
				s.edgeFail(w, r, err)
				return
			}
			if r.MultipartForm != nil {
				// The request handlers see shares this form, so the files spooled for it go when it is done,
				// whatever copy of the request a handler made.
				defer r.MultipartForm.RemoveAll()
			}
			for k, vs := range r.PostForm {
				if err := cleanValues(k, vs); err != nil {
					s.edgeFail(w, r, err)
					return
				}
			}
		}
		mux.ServeHTTP(w, r)
	})
}

func hasBody(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete
}

// routeLimit is the body cap of a route, and whether it takes files.
func routeLimit(r *http.Request, pattern string) (int64, bool) {
	if n, ok := uploadLimits[pattern]; ok {
		return n, true
	}
	if n, ok := bodyLimits[pattern]; ok {
		return n, false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return apiBodyLimit, false
	}
	return formBodyLimit, false
}

// parseForm reads a submitted form: fields only, or fields and files where the route takes files.
func parseForm(r *http.Request, files bool, limit int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch {
	case ct == "multipart/form-data" && !files:
		return errs.New(errs.BadRequest, "err.edge.no_files")
	case ct == "multipart/form-data":
		err = r.ParseMultipartForm(multipartMemory)
	default:
		err = r.ParseForm()
	}
	if err == nil {
		return nil
	}
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		return tooLarge(limit)
	}
	return errs.New(errs.BadRequest, "err.edge.form")
}

func tooLarge(limit int64) error {
	return errs.New(errs.TooLarge, "err.edge.too_large").With("mib", mib(limit))
}

// mib writes a cap in MiB: "20", "0.25".
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64)
}

// queryValues parses the query, refusing one that does not parse.
func queryValues(r *http.Request) (map[string][]string, error) {
	if r.URL.RawQuery == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errs.New(errs.BadRequest, "err.edge.form")
	}
	return q, nil
}

// cleanValues refuses a field whose name or values carry NUL or invalid UTF-8.
func cleanValues(name string, vals []string) error {
	if err := cleanText(name, name); err != nil {
		return badText("form")
	}
	for _, v := range vals {
		if err := cleanText(name, v); err != nil {
			return err
		}
	}
	return nil
}

// cleanText refuses text with a NUL byte or invalid UTF-8, naming the field.
func cleanText(field, v string) error {
	if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
		return badText(field)
	}
	return nil
}

// badText is the refusal of text no form of ours sends, naming the field: 400, not a validation error
// of what a person typed.
func badText(field string) error {
	return &errs.Error{Code: errs.BadRequest, Field: field, Key: "err.edge.text"}
}

// edgeFail answers a refused request: JSON for the API, a page for the rest.
func (s *Server) edgeFail(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, r, err)
		return
	}
	s.fail(w, r, err)
}

// decodeJSON reads a JSON request body into v. The body was capped at the edge; here it must be UTF-8, one
// JSON value, and no string in it may hold NUL: JSON's "\u0000" escape decodes to one (a raw NUL is not
// JSON), so a body that has the escape is decoded whole and its strings are checked, the first offending one
// named by its path ("input.reason", "materials[2].note"); a body without it, nearly every one, is decoded
// once.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return tooLarge(tooBig.Limit)
		}
		return errs.Field("body", "err.json").With("detail", err.Error())
	}
	if !utf8.Valid(body) {
		return badText("body")
	}
	if bytes.Contains(body, []byte(`\u0000`)) {
		var raw any
		if err := json.Unmarshal(body, &raw); err != nil {
			return errs.Field("body", "err.json").With("detail", err.Error())
		}
		if path, bad := nulPath(raw, ""); bad {
			if path == "" {
				path = "body"
			}
			return badText(path)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonRefusal(err)
	}
	// the decoder stops after the first value: what follows it (FuzzMoveJSON: `{"action":"\u0000"}0`) is refused
	if _, err := dec.Token(); err != io.EOF {
		return errs.Field("body", "err.json").With("detail", "more than one JSON value")
	}
	return nil
}

// jsonRefusal says what a decoded body got wrong in the caller's words rather than the decoder's (whose
// message names Bianmin's Go types): a value of the wrong type is its field's, named by its path in the body
// ("input.grant"); a name the body should not hold, and bad syntax, are the body's.
func jsonRefusal(err error) error {
	if te := new(json.UnmarshalTypeError); errors.As(err, &te) && te.Field != "" {
		return errs.Field(te.Field, "err.json.type")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, e := strconv.Unquote(name); e == nil {
			name = n
		}
		return errs.Field("body", "err.json.unknown").With("name", name)
	}
	return errs.Field("body", "err.json").With("detail", err.Error())
}

// nulPath finds a string (or object key) holding NUL in a decoded JSON value, and its path.
func nulPath(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.IndexByte(x, 0) >= 0
	case []any:
		for i, e := range x {
			if p, bad := nulPath(e, path+"["+strconv.Itoa(i)+"]"); bad {
				return p, true
			}
		}
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.IndexByte(k, 0) >= 0 {
				return path, true
			}
			if p, bad := nulPath(e, p); bad {
				return p, true
			}
		}
	}
	return "", false
}
