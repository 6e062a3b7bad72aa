package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"bianmin/internal/ids"
)

func TestJSONLinesCarryTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "json", slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	log.With("part", "web").InfoContext(ids.WithRequest(context.Background(), "req-42"), "hello", "n", 1)
	log.Info("no request")
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", buf.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[1], &second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "req-42" || first["msg"] != "hello" || first["part"] != "web" {
		t.Errorf("first line: %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("a line outside a request has no request id: %v", second)
	}
	if _, err := New(&buf, "xml", slog.LevelInfo); err == nil {
		t.Error("an unknown format is refused")
	}
}
