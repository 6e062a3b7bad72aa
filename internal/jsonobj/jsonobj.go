// Package jsonobj reads and writes the members of JSON objects that json.Marshal wrote, without decoding
// them into maps: an audit entry keeps what a move changed of its case (audit.Changes) and a notice what its
// kind prints (cases.Paper.Keep), both picked out of whole documents on every move, where encoding/json's
// decoding into maps was most of the time a move and the dataset generator spent on them.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Field is an object's member: its name as decoded, its value as written.
type Field struct {
	Key string
	Val []byte
}

// Lookup is the value of the member named key.
func Lookup(fs []Field, key string) ([]byte, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f.Val, true
		}
	}
	return nil, false
}

// Fields reads the members of a JSON object (ok false when b is not one), in the order written; a name
// given twice keeps its last value, as decoding into a map would. Values are kept as written. It is given
// what json.Marshal wrote: it finds the members' bounds and does not check a number's or a literal's spelling.
func Fields(b []byte) (fs []Field, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return fs, skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		end := skipValue(b, i)
		if end < 0 {
			return nil, false
		}
		raw := b[i:end]
		key := string(raw[1 : len(raw)-1])
		if bytes.IndexByte(raw, '\\') >= 0 && json.Unmarshal(raw, &key) != nil {
			return nil, false
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		end = skipValue(b, i)
		if end < 0 {
			return nil, false
		}
		v := b[i:end]
		if k := slices.IndexFunc(fs, func(f Field) bool { return f.Key == key }); k >= 0 {
			fs = slices.Delete(fs, k, k+1)
		}
		fs = append(fs, Field{key, v})
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return fs, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns where the JSON value starting at i ends, or -1 when it does not end: a string to its
// closing quote, an object or array to its closing bracket (strings in it skipped whole), anything else to
// the next delimiter.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return -1
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := skipValue(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	for j := i; j < len(b); j++ {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if j == i {
				return -1
			}
			return j
		}
	}
	return len(b)
}

// Write writes members sorted by name, as json.Marshal writes a map of json.RawMessage (names escaped as
// it escapes them; the values as given, which are json.Marshal's already). It sorts fs.
func Write(fs []Field) []byte {
	slices.SortFunc(fs, func(x, y Field) int { return strings.Compare(x.Key, y.Key) })
	out := []byte{'{'}
	for k, f := range fs {
		if k > 0 {
			out = append(out, ',')
		}
		if plainKey(f.Key) {
			out = append(append(append(out, '"'), f.Key...), '"')
		} else {
			name, _ := json.Marshal(f.Key)
			out = append(out, name...)
		}
		out = append(append(out, ':'), f.Val...)
	}
	return append(out, '}')
}

// plainKey tells a name json.Marshal writes as it is between quotes.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
