package console

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// catalogueView is the procedures page: the catalogue in force, and an
// uploaded one before it is applied.
type catalogueView struct {
	frame
	Version    uint64
	Procedures []catalogue.Procedure
	Preview    *cataloguePreview
}

// cataloguePreview is an uploaded catalogue before it is applied.
type cataloguePreview struct {
	File, Content           string
	Added, Changed, Removed []string
}

func (c *Console) cataloguePage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := c.Settings.Settings()
	c.render(w, http.StatusOK, cataloguePage, p, &catalogueView{Version: v, Procedures: c.InForce.Catalogue().Procedures,
		frame: frame{Notice: saved(r, "Đã áp dụng danh mục; kiosk và quầy dùng nó ngay. / The catalogue is in force; kiosks and counters use it at once.")}})
}

// readUpload parses a multipart form's upload, which the gate's ParseForm
// left unread.
func readUpload(r *http.Request) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.ParseMultipartForm(reply.MaxSettings)
	}
}

// saveCatalogue previews an uploaded catalogue (what it adds, changes and
// removes; an error names its line) or applies the previewed one.
func (c *Console) saveCatalogue(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	readUpload(r)
	base, _ := strconv.ParseUint(r.FormValue("version"), 10, 64)
	inForce := c.InForce.Catalogue()
	page := &catalogueView{Version: base, Procedures: inForce.Procedures}
	name, content := r.FormValue("file"), r.FormValue("content")
	if r.FormValue("action") == "preview" {
		file, head, err := r.FormFile("upload")
		if err != nil {
			page.Error = problem.As(problem.Errorf(problem.EInvalid, "Hãy chọn một tệp CSV hoặc JSON", "choose a CSV or JSON file"))
			c.render(w, http.StatusBadRequest, cataloguePage, p, page)
			return
		}
		raw, _ := io.ReadAll(io.LimitReader(file, reply.MaxSettings))
		file.Close()
		name, content = head.Filename, string(raw)
	}
	_, office := c.Settings.Settings()
	cat, err := catalogue.Parse(name, []byte(content), office.ServiceIDs())
	if err == nil && r.FormValue("action") == "apply" {
		if _, err = c.Settings.ChangeCatalogue(r.Context(), p.Actor, base, cat); err == nil {
			http.Redirect(w, r, "/admin/catalogue?saved=1", http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		page.Error = problem.As(err)
		c.render(w, reply.Status(page.Error.Code), cataloguePage, p, page)
		return
	}
	added, changed, removed := catalogue.Diff(inForce, cat)
	page.Preview = &cataloguePreview{File: name, Content: content, Added: added, Changed: changed, Removed: removed}
	c.render(w, http.StatusOK, cataloguePage, p, page)
}
