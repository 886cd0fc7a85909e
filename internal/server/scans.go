package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/reply"
	"motcua/internal/scan"
)

// Scans is where the dossiers' files are kept (internal/bolt implements
// it): streamed to disk, checked as they come, kept before the change
// naming them; a file kept for a change that then failed is dropped.
type Scans interface {
	ReceiveScan(r io.Reader, seen io.Writer, ok func() error) (sha string, size int64, err error)
	DropScan(sha string) error
	OpenScan(sha string) (io.ReadSeekCloser, error)
}

// uploadsAtOnce bounds the uploads being received: each holds a file's
// worth of disk until checked, none of memory.
const uploadsAtOnce = 2

func (s *Server) scanRoutes() {
	m := s.mux
	m.HandleFunc("PUT "+api.DossierScan, s.api(s.staffOnly(s.handleScan)))
	m.HandleFunc("POST "+api.DossierExempt, s.api(s.staffOnly(s.handleExempt)))
	m.HandleFunc("PUT "+api.DossierResult, s.api(s.staffOnly(s.handleResult)))
	m.HandleFunc("GET "+api.DossierFile, s.api(s.staffOnly(s.handleScanFile)))
}

// paper is the {n} of a route: a document's number, from 1.
func paper(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return 0, problem.Errorf(problem.EInvalid, "Số thứ tự giấy tờ %q không hợp lệ", "document number %q is invalid", r.PathValue("n"))
	}
	return n - 1, nil
}

// storeUpload stores the PDF in the body as a scan of the dossier and
// makes the change naming it (attach): the target is checked first, on a
// copy, before any byte is kept — a dossier that is not there, a paper
// number out of range, a result before it is ready are refused with the
// body unread; then the body streams to disk under its size limit, checked
// as it comes, at most uploadsAtOnce at a time; a file kept for a change
// that then fails is dropped.
func (s *Server) storeUpload(w http.ResponseWriter, r *http.Request, p auth.Principal, action string, attach func(*intake.Dossier, intake.Scan) error) error {
	if s.scans == nil {
		return problem.Errorf(problem.ENotFound, "Máy chủ này không lưu tệp quét", "this server keeps no scans")
	}
	code := r.PathValue("code")
	d, err := s.loadDossier(code)
	if err != nil {
		return err
	}
	probe := intake.Scan{SHA256: strings.Repeat("0", 64), Bytes: 1, At: s.now(), By: p.Actor.ID}
	if err := attach(&d, probe); err != nil { // d is a copy: nothing is changed
		if p := problem.As(err); p.Code == problem.EInvalid { // a well-formed upload this dossier does not take: 422
			return &problem.Error{Code: problem.EUnchecked, Message: p.Message, MessageEN: p.MessageEN}
		}
		return err
	}
	if r.ContentLength > scan.MaxPDF {
		return reply.TooLarge(scan.MaxPDF)
	}
	select {
	case s.uploads <- struct{}{}:
		defer func() { <-s.uploads }()
	default:
		w.Header().Set("Retry-After", "5")
		return problem.Errorf(problem.ETooMany, "Máy chủ đang nhận %d tệp khác; gửi lại sau ít giây", "the server is receiving %d other files; send it again in a few seconds", uploadsAtOnce)
	}
	var check scan.Checker
	var pages int
	body := &bodyReader{r: http.MaxBytesReader(w, r.Body, scan.MaxPDF)}
	sha, size, err := s.scans.ReceiveScan(body, &check, func() (err error) {
		pages, err = check.Result()
		return err
	})
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return reply.TooLarge(scan.MaxPDF)
	case err != nil && body.err != nil:
		return problem.Errorf(problem.EInvalid, "Tệp gửi không trọn", "the file did not arrive whole")
	case err != nil:
		return err // the check's (422), the disk's
	}
	sc := intake.Scan{SHA256: sha, Pages: pages, Bytes: size, At: s.now(), By: p.Actor.ID, Source: r.Header.Get(api.HeaderScanSource)}
	d, err = s.dossiers.UpdateDossier(code, p.Actor, action, func(d *intake.Dossier) error { return attach(d, sc) })
	if err != nil {
		s.scans.DropScan(sha)
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

// bodyReader tells the body's own read errors (the sender's) from the rest.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// handleScan attaches a paper's PDF (the body) to the dossier.
func (s *Server) handleScan(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	i, err := paper(r)
	if err != nil {
		return err
	}
	return s.storeUpload(w, r, p, "scan "+strconv.Itoa(i+1), func(d *intake.Dossier, sc intake.Scan) error { return d.AttachScan(i, sc) })
}

// handleExempt records why a paper is not scanned.
func (s *Server) handleExempt(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	i, err := paper(r)
	if err != nil {
		return err
	}
	var req api.ScanExemptRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "exempt "+strconv.Itoa(i+1), func(d *intake.Dossier) error {
		return d.ExemptDocument(i, req.Exemption, s.now(), p.Actor.ID)
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

// handleResult attaches the electronic result (the body, a PDF).
func (s *Server) handleResult(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.storeUpload(w, r, p, "e-result", (*intake.Dossier).AttachResult)
}

// handleScanFile serves one of the dossier's files to staff, the opening
// in the access log.
func (s *Server) handleScanFile(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.loadDossier(r.PathValue("code"))
	if err != nil {
		return err
	}
	sha := strings.TrimSuffix(r.PathValue("sha"), ".pdf")
	named := false
	for _, sc := range d.Scans() {
		named = named || sc.SHA256 == sha
	}
	if !named || s.scans == nil {
		return problem.Errorf(problem.ENotFound, "Hồ sơ %s không có tệp này", "dossier %s has no such file", d.Code)
	}
	f, err := s.scans.OpenScan(sha)
	if err != nil {
		return err
	}
	defer f.Close()
	s.dossiers.LogAccess(s.now(), p.Actor.ID, d.Code, "view scan "+sha[:12])
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, sha+".pdf", d.ReceivedAt, f)
	return nil
}
