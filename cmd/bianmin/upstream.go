package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bianmin/internal/upstream"
	"bianmin/internal/web"
)

// upstreamServe runs the reference receiver until ctx ends: `bianmin upstream serve`.
func upstreamServe(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("upstream serve", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", env("BIANMIN_UPSTREAM_ADDR", "127.0.0.1:8090"), "listen address")
	dir := fs.String("dir", env("BIANMIN_UPSTREAM_DIR", "upstream-data"), "directory of the receipt ledger")
	refuse := fs.String("refuse", "", "FIELD=VALUE: also refuse records whose FIELD is VALUE (rehearsing a refusal)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var check func(upstream.Record) *upstream.Refusal
	if *refuse != "" {
		f, v, ok := strings.Cut(*refuse, "=")
		if !ok {
			return fmt.Errorf("-refuse takes FIELD=VALUE")
		}
		check = func(r upstream.Record) *upstream.Refusal {
			if r.Data[f] == v {
				return &upstream.Refusal{Field: f, Problem: "refused by this receiver's -refuse"}
			}
			return nil
		}
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		return err
	}
	l, err := upstream.OpenLedger(filepath.Join(*dir, "receipts.jsonl"))
	if err != nil {
		return err
	}
	defer l.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: web.ReceiverHandler(l, check), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "upstream receiver on http://%s/ (records: POST /records; OpenAPI: /openapi.json), %d records kept\n", ln.Addr(), len(l.Kept(0)))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
