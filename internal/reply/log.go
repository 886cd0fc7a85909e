package reply

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"time"

	"motcua/internal/auth"
)

// Every request is logged once it is answered (log/slog, the program's
// handler): its id — the X-Request-Id it came with, or a new one, sent back
// in the answer — the method, the route's pattern (never the path or the
// query: they hold ticket tokens, dossier codes and lookup PINs), the
// status, the bytes and how long it took. Errors a handler logs carry the
// same id and the route as their operation.

var requestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// newRequestID is 16 random hex digits.
func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// recorder notes what was answered; it passes the websocket's hijack on.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.status = http.StatusSwitchingProtocols
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

func (r *recorder) Flush()                      { http.NewResponseController(r.ResponseWriter).Flush() }
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

type ctxKey struct{}

// Log serves r through next and logs it.
func Log(w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	id := r.Header.Get("X-Request-Id")
	if !requestID.MatchString(id) {
		id = newRequestID()
	}
	w.Header().Set("X-Request-Id", id)
	rec := &recorder{ResponseWriter: w}
	began := time.Now()
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, id))
	next(rec, r)
	if rec.status == 0 { // nothing written: net/http answered 200
		rec.status = http.StatusOK
	}
	slog.Info("request", "id", id, "method", r.Method, "route", route(r), "status", rec.status, "bytes", rec.bytes,
		"ms", float64(time.Since(began).Microseconds())/1000, "remote", auth.ClientAddr(r))
}

// route is the pattern the request matched ("GET /api/v1/tickets/{token}":
// the method is in it), "(none)" when it matched none.
func route(r *http.Request) string {
	if r.Pattern == "" {
		return "(none)"
	}
	return r.Pattern
}

// OpLog is the logger of a request's errors: its id, and its route as the
// operation.
func OpLog(r *http.Request) *slog.Logger {
	id, _ := r.Context().Value(ctxKey{}).(string)
	return slog.With("id", id, "op", route(r))
}
