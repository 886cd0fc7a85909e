package server

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"net/http"
	"regexp"

	"motcua/internal/auth"
	"motcua/internal/reply"

	"motcua/internal/api"
	"motcua/internal/web"
)

// pages serves the browser pages: /board, /t/{token}, /tra-cuu and their
// files. Each page says what it may run and who may frame it: its script
// file and its own inline script (by hash), nothing else; no frame, no
// referrer (a ticket's page address holds its token), no sniffing.
func (s *Server) pages() {
	static := web.Static()
	page := func(name string, status int) http.HandlerFunc {
		body, err := fs.ReadFile(static, name)
		scripts := pageScripts(body)
		return func(w http.ResponseWriter, r *http.Request) {
			if err != nil {
				http.Error(w, "missing page", http.StatusInternalServerError)
				return
			}
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", pagePolicy(scripts, s.standbyURL())) // it may ask the second PC whether it took over
			h.Set("X-Frame-Options", "DENY")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			w.WriteHeader(status)
			w.Write(body)
		}
	}
	s.mux.Handle("GET "+api.PageStatic, http.StripPrefix(api.PageStatic, http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", page("index.html", http.StatusOK)) // where a visitor may go
	s.mux.HandleFunc("GET "+api.PageBoard, page("board.html", http.StatusOK))
	s.mux.HandleFunc("GET "+api.PageLookup, page("lookup.html", http.StatusOK)) // the receipt's QR
	s.mux.HandleFunc("GET "+api.PagePublic, s.handlePublic)
	ticket, missing := page("ticket.html", http.StatusOK), page("notfound.html", http.StatusNotFound)
	s.mux.HandleFunc("GET "+api.PageTicket, func(w http.ResponseWriter, r *http.Request) {
		if _, ok, err := s.q.TicketByToken(r.PathValue("token")); err != nil || !ok {
			missing(w, r)
			return
		}
		ticket(w, r)
	})
}

// inlineScript is a page's own script element, without src.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// pageScripts are the scripts a page may run: the server's files and its
// own inline ones by their SHA-256 (once, at start).
func pageScripts(page []byte) string {
	scripts := "'self'"
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		scripts += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return scripts
}

// pagePolicy is the Content-Security-Policy of a page: its scripts;
// styles, images (QR codes as data:), sounds and the feed from the server
// only — and the office's other server (its standby, "" for none: an
// origin the hub checked), whose /healthz the page asks when this one is
// gone; no plugin, no base, no frame.
func pagePolicy(scripts, standby string) string {
	connect := "'self'"
	if standby != "" {
		connect += " " + standby
	}
	return "default-src 'self'; script-src " + scripts + "; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src " + connect + "; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// handleHours answers the working hours the office keeps (its settings',
// which deadlines count in and services without their own issue in) for
// the boards to post, and whether some service issues at any hour.
func (s *Server) handleHours(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	o := s.conf().office
	h := o.WorkingHours()
	reply.JSON(w, http.StatusOK, api.HoursAnswer{Weekday: h.Weekday, Saturday: h.Saturday, Text: h.Text(), AnyHour: o.AnyHour()})
	return nil
}
