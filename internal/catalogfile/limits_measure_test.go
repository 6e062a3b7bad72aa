package catalogfile

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bianmin/internal/catalog"
	"bianmin/internal/demo"
)

// The memory a read of the largest spreadsheet the limits allow costs (BENCHMARKS.md). Not a pass/fail
// test: run it with BIANMIN_MEASURE_XLSX=20000 (items) and read the log.
func TestMeasureLargestSpreadsheet(t *testing.T) {
	arg := os.Getenv("BIANMIN_MEASURE_XLSX")
	var body []byte
	if n, _ := strconv.Atoi(arg); n > 0 {
		// write the file (excelize's writing is hungry: measure the read in a process of its own, with the
		// file's path in BIANMIN_MEASURE_XLSX)
		base := demo.DemoItems()
		items := make([]catalog.Item, n)
		for i := range items {
			it := base[i%len(base)]
			it.NameZh = it.NameZh + strconv.Itoa(i)
			items[i] = it
		}
		var b bytes.Buffer
		if err := WriteXLSX(&b, items); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(os.TempDir(), "bianmin-largest-"+arg+".xlsx")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		body = b.Bytes()
	} else if arg != "" {
		var err error
		if body, err = os.ReadFile(arg); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Skip("set BIANMIN_MEASURE_XLSX to a number of items to write and read, or to a file to read")
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while the read runs
		defer close(done)
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	got, err := ReadXLSXWith(body, DefaultLimits)
	took := time.Since(start)
	close(stop)
	<-done
	rows := 0
	for _, it := range got {
		rows += 1 + len(it.Materials) + len(it.Steps)
	}
	t.Logf("%d items, %d rows, file %.1f MiB: read in %v, err %v; heap in use %.0f MiB before, peak %.0f MiB; process peak RSS %s",
		len(got), rows, float64(len(body))/(1<<20), took.Round(time.Millisecond), err, float64(before.HeapInuse)/(1<<20), float64(peak.Load())/(1<<20), hwm())
}

func hwm() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}
