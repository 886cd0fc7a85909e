package main

import (
	"io"
	"log/slog"
)

// logHandler is where the log goes (log/slog): JSON lines under systemd —
// the journal (JOURNAL_STREAM is set) keeps them for journalctl -o cat |
// jq, a collector reads them as they are —, readable text on a terminal.
// Each request's line and each error carry their id and operation
// (internal/server).
func logHandler(w io.Writer, env func(string) string) slog.Handler {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if env("JOURNAL_STREAM") != "" || env("MOTCUA_LOG") == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}
