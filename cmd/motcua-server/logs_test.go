package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// Under systemd (JOURNAL_STREAM set) the log is JSON lines; on a terminal, text.
func TestLogHandler(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		json bool
	}{{map[string]string{"JOURNAL_STREAM": "8:12345"}, true}, {map[string]string{"MOTCUA_LOG": "json"}, true}, {map[string]string{}, false}} {
		var b bytes.Buffer
		slog.New(logHandler(&b, func(k string) string { return c.env[k] })).Error("commit failed", "op", "store.commit")
		var v map[string]any
		isJSON := json.Unmarshal(b.Bytes(), &v) == nil && v["op"] == "store.commit"
		if isJSON != c.json || (!c.json && !strings.Contains(b.String(), "op=store.commit")) {
			t.Errorf("%v: %q", c.env, b.String())
		}
	}
}
