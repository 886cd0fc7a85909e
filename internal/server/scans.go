package server

import (
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
// it): written before the change naming them.
type Scans interface {
	PutScan(data []byte) (string, error)
	OpenScan(sha string) (io.ReadSeekCloser, error)
}

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

// storeUpload checks the PDF in the body and stores it: the file is on
// disk, synced, before the change that names it.
func (s *Server) storeUpload(w http.ResponseWriter, r *http.Request, p auth.Principal) (intake.Scan, error) {
	if s.scans == nil {
		return intake.Scan{}, problem.Errorf(problem.ENotFound, "Máy chủ này không lưu tệp quét", "this server keeps no scans")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, scan.MaxPDF))
	if err != nil {
		return intake.Scan{}, problem.Errorf(problem.EInvalid, "Tệp lớn quá %d MB hoặc gửi không trọn", "the file is larger than %d MB or did not arrive whole", scan.MaxPDF>>20)
	}
	pages, err := scan.Check(data)
	if err != nil {
		return intake.Scan{}, err
	}
	sha, err := s.scans.PutScan(data)
	if err != nil {
		return intake.Scan{}, err
	}
	return intake.Scan{SHA256: sha, Pages: pages, Bytes: int64(len(data)), At: s.now(), By: p.Actor.ID, Source: r.Header.Get(api.HeaderScanSource)}, nil
}

// handleScan attaches a paper's PDF (the body) to the dossier.
func (s *Server) handleScan(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	i, err := paper(r)
	if err != nil {
		return err
	}
	sc, err := s.storeUpload(w, r, p)
	if err != nil {
		return err
	}
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "scan "+strconv.Itoa(i+1), func(d *intake.Dossier) error {
		return d.AttachScan(i, sc)
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
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
	sc, err := s.storeUpload(w, r, p)
	if err != nil {
		return err
	}
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "e-result", func(d *intake.Dossier) error {
		return d.AttachResult(sc)
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
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
