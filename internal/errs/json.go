package errs

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// FromJSON says why a file's JSON could not be read, in the words of the file, never the decoder's (which
// name Go types and fields): a value of the wrong type by its path in the file, a name the form does not know,
// where the text stops being JSON, a file empty or cut short, a date not written 2006-01-02. field names the
// file itself ("file").
func FromJSON(err error, field string) *Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return Field(te.Field, "err.json.type")
	case errors.As(err, &se):
		return Field(field, "err.import.json_at").With("offset", strconv.FormatInt(se.Offset, 10))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Field(field, "err.import.json_short")
	case errors.As(err, &pe):
		return Field(field, "err.import.date").With("text", pe.Value)
	case errors.As(err, &te):
		return Field(field, "err.import.json_shape")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, e := strconv.Unquote(name); e == nil {
			name = n
		}
		return Field(field, "err.import.unknown_field").With("name", name)
	}
	return Field(field, "err.import.json_shape")
}

// TrimBOM drops the byte-order mark some editors put before a UTF-8 file: it is no part of the JSON.
func TrimBOM(b []byte) []byte {
	return []byte(strings.TrimPrefix(string(b), "\ufeff"))
}
