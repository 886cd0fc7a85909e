package reply

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
)

func TestLoneSurrogate(t *testing.T) {
	for raw, want := range map[string]bool{`"\ud83d\ude00"`: false, `"\ud83d"`: true, `"\ude00"`: true, `"\\ud800"`: false, `"\u00e9"`: false, `"\ud83dx"`: true} {
		if got := loneSurrogate([]byte(raw)); got != want {
			t.Errorf("loneSurrogate(%s) = %v, want %v", raw, got, want)
		}
	}
}

// A handler's error carries the request's id and its route, once, as the
// operation.
func TestOpLog(t *testing.T) {
	var logs bytes.Buffer // one goroutine writes it
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	r := httptest.NewRequest("GET", "/api/v1/tickets/abc", nil)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "quay-3.a1"))
	r.Pattern = "GET /api/v1/tickets/{token}"
	OpLog(r).Error("request failed")
	var line struct{ ID, Op string }
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil || line.ID != "quay-3.a1" || line.Op != "GET /api/v1/tickets/{token}" {
		t.Errorf("the error's line: %+v %v\n%s", line, err, logs.String())
	}
}
