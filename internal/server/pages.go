package server

import (
	"io/fs"
	"net/http"

	"motcua/internal/api"
	"motcua/internal/web"
)

// pages serves the browser pages: /board, /t/{token} and their files.
func (s *Server) pages() {
	static := web.Static()
	page := func(name string, status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, err := fs.ReadFile(static, name)
			if err != nil {
				http.Error(w, "missing page", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(status)
			w.Write(body)
		}
	}
	s.mux.Handle("GET "+api.PageStatic, http.StripPrefix(api.PageStatic, http.FileServerFS(static)))
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
