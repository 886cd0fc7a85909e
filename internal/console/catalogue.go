package console

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// catalogueView is the procedures page: the catalogue in force, and an
// uploaded one before it is applied.
type catalogueView struct {
	frame
	Version    uint64
	Procedures []catalogue.Procedure
	Preview    *cataloguePreview
	Sample     []sampleService       // the sample catalogue's services, to map (none: no sample)
	Services   []queue.ServiceConfig // the office's, to map onto
}

// sampleService is one service of the sample catalogue: its procedures'
// count and the office's service they go to ("" leaves them out).
type sampleService struct {
	ID, Name   string
	Procedures int
	To         string
}

// cataloguePreview is an uploaded catalogue before it is applied.
type cataloguePreview struct {
	File, Content           string
	Added, Changed, Removed []string
	Mapped                  []string // for the sample: each of its services and where it goes
}

func (c *Console) cataloguePage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, office := c.Settings.Settings()
	page := &catalogueView{Version: v, Procedures: c.InForce.Catalogue().Procedures,
		frame: frame{Notice: saved(r, "Đã áp dụng danh mục; kiosk và quầy dùng nó ngay. / The catalogue is in force; kiosks and counters use it at once.")}}
	c.offerSample(page, office, nil)
	c.render(w, http.StatusOK, cataloguePage, p, page)
}

// offerSample lists the sample catalogue's services with where each goes:
// as chosen, else the office's service of the same id, else left out.
func (c *Console) offerSample(page *catalogueView, office queue.Office, chosen map[string]string) {
	if c.Sample == nil || len(c.Sample.Procedures) == 0 {
		return
	}
	page.Services = office.Services
	count := map[string]int{}
	for _, pr := range c.Sample.Procedures {
		count[pr.Service]++
	}
	for _, s := range c.Sample.Office.Services {
		if count[s.ID] == 0 {
			continue
		}
		to, ok := chosen[s.ID]
		if !ok && slices.Contains(office.ServiceIDs(), s.ID) {
			to = s.ID
		}
		page.Sample = append(page.Sample, sampleService{ID: s.ID, Name: s.Name, Procedures: count[s.ID], To: to})
	}
}

// sampleCatalogue is the sample's procedures with their services mapped
// (map.<id> of the form), those left out dropped, as a JSON catalogue; and
// the mapping in words, for the preview.
func (c *Console) sampleCatalogue(f url.Values, office queue.Office) (string, []string, error) {
	names := map[string]string{}
	for _, s := range office.Services {
		names[s.ID] = s.Name
	}
	var out []catalogue.Procedure
	var mapped []string
	seen := map[string]bool{}
	for _, pr := range c.Sample.Procedures {
		to := strings.TrimSpace(f.Get("map." + pr.Service))
		if !seen[pr.Service] {
			seen[pr.Service] = true
			if to == "" {
				mapped = append(mapped, pr.Service+" → bỏ qua / left out")
			} else {
				mapped = append(mapped, pr.Service+" → "+names[to]+" ("+to+")")
			}
		}
		if to == "" {
			continue
		}
		pr.Service = to
		out = append(out, pr)
	}
	if len(out) == 0 {
		return "", mapped, problem.Errorf(problem.EInvalid, "Hãy chọn dịch vụ của văn phòng cho ít nhất một nhóm thủ tục mẫu", "map at least one of the sample's services onto one of the office's")
	}
	raw, err := json.Marshal(catalogue.Catalogue{Procedures: out})
	return string(raw), mapped, err
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
	_, office := c.Settings.Settings()
	var mapped []string
	if r.FormValue("action") == "sample" && c.Sample != nil {
		var err error
		name = "danh-muc-mau.json"
		if content, mapped, err = c.sampleCatalogue(r.Form, office); err != nil {
			page.Error = problem.As(err)
			c.offerSample(page, office, nil)
			c.render(w, http.StatusBadRequest, cataloguePage, p, page)
			return
		}
	}
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
	page.Preview = &cataloguePreview{File: name, Content: content, Added: added, Changed: changed, Removed: removed, Mapped: mapped}
	c.render(w, http.StatusOK, cataloguePage, p, page)
}
