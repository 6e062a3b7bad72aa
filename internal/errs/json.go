package errs

import (
	"bytes"
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

// RepeatedKey finds the first object member named twice in a JSON text, by its path ("workdays",
// "villages.天山镇"): Go's decoder keeps the last of them without a word, and a file that gives its make-up
// days three times, the last empty, would lose them silently. The text is one that decoded.
func RepeatedKey(b []byte) (string, bool) {
	type frame struct {
		keys map[string]bool // nil for an array
		path string
		key  bool // an object waits for a member's name
		n    int  // an array's values so far
	}
	var stack []*frame
	child := func() string { // the path of the value about to start
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.keys == nil {
			return f.path + "[" + strconv.Itoa(f.n) + "]"
		}
		return f.path
	}
	done := func() { // a value ended in the frame on top
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.keys != nil {
			f.key = true
		} else {
			f.n++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		t, err := dec.Token()
		if err != nil {
			return "", false
		}
		if len(stack) > 0 {
			if f := stack[len(stack)-1]; f.keys != nil && f.key {
				if d, ok := t.(json.Delim); ok && d == '}' {
					stack = stack[:len(stack)-1]
					done()
					continue
				}
				name, _ := t.(string)
				path := strings.TrimPrefix(f.path+"."+name, ".")
				if f.keys[name] {
					return path, true
				}
				f.keys[name], f.key = true, false
				stack = append(stack, &frame{path: path, n: -1}) // stands for the member's value until it starts
				continue
			}
		}
		// a value: a placeholder frame (a member's value) gives its path and goes
		path := child()
		if len(stack) > 0 && stack[len(stack)-1].n == -1 && stack[len(stack)-1].keys == nil {
			path = stack[len(stack)-1].path
			stack = stack[:len(stack)-1]
		}
		switch d, _ := t.(json.Delim); d {
		case '{':
			stack = append(stack, &frame{keys: map[string]bool{}, path: path, key: true})
		case '[':
			stack = append(stack, &frame{path: path})
		case ']':
			stack = stack[:len(stack)-1]
			done()
		default:
			done()
		}
		if len(stack) == 0 && !dec.More() {
			return "", false
		}
	}
}
