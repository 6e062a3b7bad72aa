package catalogfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"

	"bianmin/internal/demo"
	"bianmin/internal/errs"
)

// template is a valid workbook of three demo items.
func template(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, demo.DemoItems()[:3]); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rezip copies a workbook, with the items sheet (xl/worksheets/sheet1.xml) replaced by what sheet writes.
// declared, when not zero, is the unzipped size the zip claims for it (a lie, if it is not the real one).
func rezip(t testing.TB, book []byte, sheet func(w io.Writer), declared uint64) []byte {
	return rezipParts(t, book, map[string]func(io.Writer){"xl/worksheets/sheet1.xml": sheet}, declared)
}

// rezipParts copies a workbook with parts replaced; declared is the size claimed for each replaced part.
func rezipParts(t testing.TB, book []byte, parts map[string]func(io.Writer), declared uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		sheet, ok := parts[f.Name]
		if !ok {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if declared == 0 {
			w, _ := zw.Create(f.Name)
			sheet(w)
			continue
		}
		// a part whose header lies: deflate it ourselves and claim a small size
		var raw bytes.Buffer
		crc := crc32.NewIEEE()
		fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
		sheet(io.MultiWriter(fw, crc))
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw.Bytes())
	}
	zw.Close()
	return out.Bytes()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// padded writes a sheet of one header row followed by n bytes of blanks: it compresses a thousandfold.
func padded(n int) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row>`)
		blank := bytes.Repeat([]byte(" "), 1<<20)
		for i := 0; i < n>>20; i++ {
			w.Write(blank)
		}
		io.WriteString(w, sheetTail)
	}
}

// rows writes a sheet of n rows of width cells each.
func rows(n, width int) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, sheetHead)
		for r := 1; r <= n; r++ {
			fmt.Fprintf(w, `<row r="%d">`, r)
			for c := 0; c < width; c++ {
				fmt.Fprintf(w, `<c r="%s" t="inlineStr"><is><t>x</t></is></c>`, cell(c+1, r))
			}
			io.WriteString(w, `</row>`)
		}
		io.WriteString(w, sheetTail)
	}
}

// sharedRows writes a sheet whose cells all show the same shared string: the template's first (序号),
// made 1 MiB long in the shared strings part by rezipShared.
func sharedRows(n int) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, sheetHead+`<row r="1">`)
		for c := 0; c < n; c++ {
			fmt.Fprintf(w, `<c r="%s" t="s"><v>0</v></c>`, cell(c+1, 1))
		}
		io.WriteString(w, `</row>`+sheetTail)
	}
}

// bigShared writes a shared strings part of one string of 1 MiB.
func bigShared(w io.Writer) {
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
	w.Write(bytes.Repeat([]byte("x"), 1<<20))
	io.WriteString(w, `</t></si></sst>`)
}

// A spreadsheet that unzips past its limits is refused, naming the limit, before it takes the memory: a
// decompression bomb, one that lies about its size, too many rows, too many cells, too long a read.
func TestSpreadsheetLimits(t *testing.T) {
	book := template(t)
	if _, err := ReadXLSXWith(book, DefaultLimits); err != nil {
		t.Fatalf("the template itself: %v", err)
	}
	tests := []struct {
		name string
		file []byte
		lim  Limits
		key  string // "" for any refusal
	}{
		{"a bomb: 1 GiB of blanks", rezip(t, book, padded(1<<30), 0), DefaultLimits, "err.import.unzipped"},
		// archive/zip reads no more than a part declares: the lie costs its 1 KB, and the cut sheet is refused
		{"a bomb that claims 1 KB", rezip(t, book, padded(256<<20), 1000), DefaultLimits, ""},
		{"150,000 rows", rezip(t, book, rows(150_000, 1), 0), DefaultLimits, "err.import.rows"},
		// one shared string of 1 MiB in every cell of a row: its text, not the file, is large
		{"a shared string used 100 times", rezipParts(t, book, map[string]func(io.Writer){"xl/worksheets/sheet1.xml": sharedRows(100), "xl/sharedStrings.xml": bigShared}, 0), DefaultLimits, "err.import.text"},
		{"more cells than allowed", book, Limits{Unzipped: 128 << 20, Parts: 1000, XMLInMem: 16 << 20, Rows: 100_000, Cells: 50, Text: 64 << 20, Time: time.Minute}, "err.import.cells"},
		{"a read past its time", rezip(t, book, rows(1000, 1), 0), Limits{Unzipped: 128 << 20, Parts: 1000, XMLInMem: 16 << 20, Rows: 100_000, Cells: 2_000_000, Text: 64 << 20, Time: -time.Second}, "err.import.time"},
	}
	for _, tc := range tests {
		start := time.Now()
		_, err := ReadXLSXWith(tc.file, tc.lim)
		t.Logf("%s: %d KiB, refused in %v", tc.name, len(tc.file)>>10, time.Since(start).Round(time.Millisecond))
		all := errs.All(err)
		if tc.key == "" && err == nil {
			t.Errorf("%s: accepted", tc.name)
		} else if tc.key != "" && (len(all) != 1 || all[0].Field != "file" || all[0].Key != tc.key) {
			t.Errorf("%s: want file %s, got %v", tc.name, tc.key, err)
		}
	}
	if len(tests[0].file) > 2<<20 {
		t.Errorf("the bomb is %d bytes: not a small file", len(tests[0].file))
	}
}

// The refusal names the limit in the reader's words.
func TestSpreadsheetLimitArgs(t *testing.T) {
	_, err := ReadXLSXWith(rezip(t, template(t), padded(256<<20), 0), DefaultLimits)
	if e := errs.All(err); len(e) != 1 || e[0].Args["mib"] != "128" {
		t.Errorf("want the limit 128 MiB named, got %v", err)
	}
	if !strings.Contains(mib(256<<10), "0.25") {
		t.Errorf("mib(256 KiB) = %s", mib(256<<10))
	}
}
