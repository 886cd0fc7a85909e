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
		csp := pagePolicy(body, nil)
		return func(w http.ResponseWriter, r *http.Request) {
			csp := csp
			if others := s.otherServers(r); len(others) > 0 {
				csp = pagePolicy(body, others) // it may ask the second PC whether it took over
			}
			if err != nil {
				http.Error(w, "missing page", http.StatusInternalServerError)
				return
			}
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", csp)
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

// pagePolicy is the Content-Security-Policy of a page: scripts from the
// server's files and the page's own inline ones by their SHA-256; styles,
// images (QR codes as data:), sounds and the feed from the server only —
// and the office's other server (its standby), whose /healthz the page
// asks when this one is gone; no plugin, no base, no frame.
func pagePolicy(page []byte, others []string) string {
	scripts := "'self'"
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		scripts += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	connect := "'self'"
	for _, o := range others {
		connect += " " + o
	}
	return "default-src 'self'; script-src " + scripts + "; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src " + connect + "; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// otherServers are the office's servers but the one r reached (its
// standby's address, checked as a plain http origin by the hub).
func (s *Server) otherServers(r *http.Request) []string {
	var out []string
	for _, u := range s.servers(r) {
		if u != "http://"+r.Host {
			out = append(out, u)
		}
	}
	return out
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
