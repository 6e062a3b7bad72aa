// Package logs makes Bianmin's logger: text for a person at a terminal, JSON (one object a line) for a log
// collector, and in both the request id of the request being served, taken from the context.
package logs

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"bianmin/internal/ids"
)

// New returns a logger writing to w in format "text" or "json" at level and above.
func New(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch format {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("-log-format takes text or json (got %q)", format)
	}
	return slog.New(WithRequestID(h)), nil
}

// WithRequestID wraps h so that every record logged with a context that carries a request id (ids.Request)
// has it as the attribute request_id: a log line can be found from the X-Request-Id a caller saw, and the
// audit entries the request wrote from its log lines.
func WithRequestID(h slog.Handler) slog.Handler {
	if _, ok := h.(requestHandler); ok {
		return h
	}
	return requestHandler{h}
}

type requestHandler struct{ slog.Handler }

func (h requestHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := ids.Request(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestHandler{h.Handler.WithAttrs(as)}
}

func (h requestHandler) WithGroup(name string) slog.Handler {
	return requestHandler{h.Handler.WithGroup(name)}
}
