package reply

import (
	"html/template"
	"net/http"
	"strings"

	"motcua/internal/problem"
)

// Elsewhere answers a request this server does not take because the
// office's primary is another (a standby; a primary replaced): the error's
// JSON body for a program, and for a browser (a TV's board, a console) a
// page that says so in both languages, links to the same page on the
// primary, and loads itself again every refresh seconds (a standby taking
// over then serves it). primary is an http(s) origin or empty.
func Elsewhere(w http.ResponseWriter, r *http.Request, err error, primary string, refresh int) {
	if r.Method != http.MethodGet || !strings.Contains(r.Header.Get("Accept"), "text/html") || strings.HasPrefix(r.URL.Path, "/api/") {
		Error(w, r, err)
		return
	}
	e := problem.As(err)
	page := elsewherePage{Message: e.Message, MessageEN: e.MessageEN, Refresh: refresh}
	if strings.HasPrefix(primary, "http://") || strings.HasPrefix(primary, "https://") {
		page.There = strings.TrimRight(primary, "/") + r.URL.RequestURI()
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(Status(e.Code))
	elsewhereTemplate.Execute(w, page)
}

type elsewherePage struct {
	Message, MessageEN, There string
	Refresh                   int
}

var elsewhereTemplate = template.Must(template.New("elsewhere").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{{if .Refresh}}<meta http-equiv="refresh" content="{{.Refresh}}">{{end}}
<title>Máy chủ chính ở nơi khác — motcua</title>
<style>body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:2em;font-size:22px;line-height:1.5;color:#111}
.en{display:block;color:#444;font-size:17px}a{font-size:26px}</style></head><body>
<h1>Máy chủ này không phục vụ lúc này <span class="en">This server is not serving now</span></h1>
<p>{{.Message}}<span class="en">{{.MessageEN}}</span></p>
{{if .There}}<p>Máy chủ chính / The primary: <a href="{{.There}}">{{.There}}</a></p>{{end}}
{{if .Refresh}}<p class="en">Trang tự tải lại sau {{.Refresh}} giây / this page loads itself again every {{.Refresh}} s.</p>{{end}}
</body></html>`))
