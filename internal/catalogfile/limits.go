package catalogfile

import (
	"archive/zip"
	"bytes"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/errs"
)

// Limits bound what reading one spreadsheet may cost. An .xlsx file is a zip of XML: a megabyte can unzip to
// gigabytes (a decompression bomb), and a small sheet can claim a million rows. Every read is held to these
// bounds and refused, naming which, as soon as one is passed.
type Limits struct {
	Unzipped int64         // bytes of all the zip's parts together, unzipped
	Parts    int           // parts in the zip
	XMLInMem int64         // a sheet larger than this unzipped is read from a temporary file, not held in memory
	Rows     int           // rows over all sheets read
	Cells    int           // cells over all sheets read (up to each row's last non-blank cell)
	Text     int64         // bytes of cell text over all sheets read: a shared string is counted each time a cell uses it
	Time     time.Duration // reading the sheets, after the file is opened
}

// DefaultLimits take a catalog far larger than any banner's or region's (14,000 items with three or four
// materials and steps each: 100,000 rows, 1.8 million cells) and nothing that would take the server's memory:
// reading the largest such file peaks at about 150 MiB of heap (BENCHMARKS.md). The time is a backstop; the
// size, row and cell limits are what keep a read short.
var DefaultLimits = Limits{Unzipped: 128 << 20, Parts: 1000, XMLInMem: 16 << 20, Rows: 100_000, Cells: 2_000_000, Text: 64 << 20, Time: 45 * time.Second}

// open checks the zip's own account of its parts before anything is unzipped (archive/zip refuses a part
// that unzips to more than it declares), then opens the workbook with excelize's limits as a second guard.
func (lim Limits) open(body []byte) (*excelize.File, error) {
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, errs.Field("file", "err.import.format")
	}
	if len(z.File) > lim.Parts {
		return nil, errs.Field("file", "err.import.unzipped").With("mib", mib(lim.Unzipped))
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > uint64(lim.Unzipped) || f.UncompressedSize64 > uint64(lim.Unzipped) {
			return nil, errs.Field("file", "err.import.unzipped").With("mib", mib(lim.Unzipped))
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: min(lim.XMLInMem, lim.Unzipped)})
	if err != nil {
		return nil, errs.Field("file", "err.import.format")
	}
	return f, nil
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) }

// budget counts what a read has used of its limits.
type budget struct {
	lim         Limits
	rows, cells int
	text        int64
	deadline    time.Time
}

func (lim Limits) budget() *budget {
	return &budget{lim: lim, deadline: time.Now().Add(lim.Time)}
}

// limitError marks a refusal for passing a limit, which ends the read, from a sheet that is only missing.
type limitError struct{ err error }

func (e limitError) Error() string { return e.err.Error() }

// sheet reads a sheet's rows as text, row by row, within the budget. Trailing blank cells and rows are
// dropped, as excelize's GetRows does.
func (b *budget) sheet(f *excelize.File, name string) ([][]string, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	last := 0
	for rows.Next() {
		if b.rows++; b.rows > b.lim.Rows {
			return nil, limitError{errs.Field("file", "err.import.rows").With("n", strconv.Itoa(b.lim.Rows))}
		}
		if b.rows%256 == 0 && time.Now().After(b.deadline) {
			return nil, limitError{errs.Field("file", "err.import.time").With("s", strconv.Itoa(int(b.lim.Time.Seconds())))}
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, limitError{errs.Field("file", "err.import.format")}
		}
		n := len(cols)
		for n > 0 && cols[n-1] == "" {
			n--
		}
		if b.cells += n; b.cells > b.lim.Cells {
			return nil, limitError{errs.Field("file", "err.import.cells").With("n", strconv.Itoa(b.lim.Cells))}
		}
		for _, c := range cols[:n] {
			b.text += int64(len(c))
		}
		if b.text > b.lim.Text {
			return nil, limitError{errs.Field("file", "err.import.text").With("mib", mib(b.lim.Text))}
		}
		if n < len(cols) {
			cols = append([]string(nil), cols[:n]...) // not the blank tail's memory
		}
		out = append(out, cols)
		if n > 0 {
			last = len(out)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, limitError{errs.Field("file", "err.import.format")}
	}
	return out[:last], nil
}
