package store

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Packed JSON (issue 18): the JSON documents a case keeps most of, an audit entry's before and after and a
// notice's doc, are stored packed: a version byte naming the preset dictionary, then raw DEFLATE made with
// it. Small documents share little with themselves and much with each other (the same keys, states and
// shapes), which a dictionary gives them: a lifecycle's entries and notices shrink to about a quarter.
//
// Only the SQL boundary sees packed bytes: packJSON where a row is written, unpacked where it is read.
// Everything above (audit hashes included, which cover the plain text) sees the JSON text as before.
//
// Rows written before packing hold the plain text, and stay readable: a JSON text begins with a byte of
// 0x20 or more ('{', '[', '"', 'n', a digit, a space) or with JSON's whitespace (\t \n \r), a packed
// value with its version byte, 1 to 8. An empty text stays empty, never NULL: a notice that refers to
// another's paper keeps an empty doc, and is read with COALESCE(p.doc, n.doc), whose NULL means "no paper
// referred to".

// packVersion is the dictionary new values are packed with.
const packVersion = 1

// packDicts are the dictionaries by version byte. A dictionary once shipped never changes (rows packed with
// it would no longer unpack): a new one gets the next version byte, and every old one stays here.
var packDicts = [...]string{1: packDict1}

// errPacked is the class of a value that does not unpack.
var errPacked = errors.New("packed JSON")

// packLZ is the dictionary new values are packed with, hashed once for deflateFixed.
var packLZ = newLZDict(packDicts[packVersion])

type packer struct {
	buf bytes.Buffer
	w   *flate.Writer
}

// packers are reused for values over packSmall (smaller ones go to deflateFixed): a flate.Writer allocates
// over half a megabyte of tables, and Reset keeps its dictionary. Reset clearing those tables and hashing the
// dictionary again costs some 20 µs whatever the value's size.
var packers = sync.Pool{New: func() any {
	p := &packer{}
	var err error
	if p.w, err = flate.NewWriterDict(&p.buf, flate.BestCompression, []byte(packDicts[packVersion])); err != nil {
		panic(err) // only for a bad level
	}
	return p
}}

type unpacker struct {
	r   io.ReadCloser // a flate reader: flate.Resetter
	src bytes.Reader
	out bytes.Buffer
}

var unpackers [len(packDicts)]sync.Pool

// packJSON is a JSON text as stored: packed bytes, or the engine's empty value for "" (dialect.noBytes). A
// text that packing would not make smaller (a few bytes) is stored as it is, as bytes. Texts up to packSmall
// are packed by deflateFixed, larger ones by the standard library's writer: both write DEFLATE after the
// version's dictionary, and UnpackJSON reads either.
func (d dialect) packJSON(s string) any {
	if s == "" {
		return d.noBytes
	}
	if len(s) <= packSmall {
		if b := deflateFixed(packLZ, packVersion, s); len(b) < len(s) {
			return b
		}
		return []byte(s)
	}
	p := packers.Get().(*packer)
	defer packers.Put(p)
	p.buf.Reset()
	p.buf.WriteByte(packVersion)
	p.w.Reset(&p.buf)
	io.WriteString(p.w, s) // into a bytes.Buffer: no error
	p.w.Close()
	if p.buf.Len() >= len(s) {
		return []byte(s)
	}
	return bytes.Clone(p.buf.Bytes())
}

// UnpackJSON is the JSON text of a stored before_json, after_json or notices.doc: packed (packJSON) or plain
// (written before packing). The store reads them itself; this is for SQL of one's own (tests, tools).
func UnpackJSON(b []byte) (string, error) {
	if len(b) == 0 || !isPacked(b[0]) {
		return string(b), nil
	}
	v := int(b[0])
	if v >= len(packDicts) || packDicts[v] == "" {
		return "", fmt.Errorf("%w: version %d is not one this Bianmin reads (1 to %d: a newer Bianmin wrote it, or it was changed)", errPacked, v, len(packDicts)-1)
	}
	u, _ := unpackers[v].Get().(*unpacker)
	if u == nil {
		u = &unpacker{}
		u.r = flate.NewReaderDict(&u.src, []byte(packDicts[v]))
	}
	defer unpackers[v].Put(u)
	u.src.Reset(b[1:])
	if err := u.r.(flate.Resetter).Reset(&u.src, []byte(packDicts[v])); err != nil {
		return "", fmt.Errorf("%w: %v", errPacked, err)
	}
	u.out.Reset()
	if _, err := u.out.ReadFrom(u.r); err != nil {
		return "", fmt.Errorf("%w: version %d, %d bytes: %v", errPacked, v, len(b), err)
	}
	return u.out.String(), nil
}

// isPacked tells a packed value's first byte (its version) from a JSON text's.
func isPacked(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r'
}

// unpacked scans a column packJSON wrote, or its plain text of before, into s (NULL reads as "").
type unpacked struct{ s *string }

func (u unpacked) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case nil:
		*u.s = ""
	case string:
		if v == "" || !isPacked(v[0]) {
			*u.s = v
			return nil
		}
		*u.s, err = UnpackJSON([]byte(v))
	case []byte:
		*u.s, err = UnpackJSON(v)
	default:
		err = fmt.Errorf("%w: cannot read a %T", errPacked, src)
	}
	return err
}
