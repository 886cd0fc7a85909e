package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/forms"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// Dossiers stores intake (internal/bolt implements it).
type Dossiers interface {
	CreateDossier(d intake.Dossier) (intake.Dossier, error)
	Dossier(code string) (intake.Dossier, bool, error)
	UpdateDossier(code string, by queue.Actor, action string, fn func(*intake.Dossier) error) (intake.Dossier, error)
	Dossiers(from, to time.Time) ([]intake.Dossier, error)
	// DossierFlows are the dossiers' day tallies before to, by group ("" all,
	// "c:"+clerk, "p:"+procedure) and day: what the reports read.
	DossierFlows(to time.Time) (map[string]map[string]*intake.Flows, error)
	LogAccess(at time.Time, who, code, action string) error
	AccessLog(code string) ([]intake.Access, error)
}

func (s *Server) dossierRoutes() {
	m := s.mux
	m.HandleFunc("POST "+api.Dossiers, s.api(s.staffOnly(s.handleIntake)))
	m.HandleFunc("GET "+api.Dossier, s.api(s.staffOnly(s.handleDossier)))
	m.HandleFunc("GET "+api.DossierForm, s.api(s.staffOnly(s.handleForm)))
	m.HandleFunc("POST "+api.DossierStatus, s.api(s.staffOnly(s.handleDossierStatus)))
	m.HandleFunc("POST "+api.DossierApolog, s.api(s.staffOnly(s.handleApology)))
	m.HandleFunc("POST "+api.DossierHandover, s.api(s.staffOnly(s.handleHandover)))
	m.HandleFunc("GET "+api.DossierPayment, s.api(s.staffOnly(s.handlePayment)))
	m.HandleFunc("POST "+api.DossierPayment, s.api(s.staffOnly(s.handlePay)))
	m.HandleFunc("POST "+api.Statement, s.api(s.staffOnly(s.handleStatement)))
	m.HandleFunc("GET "+api.Register, s.api(s.staffOnly(s.handleRegister)))
	m.HandleFunc("GET "+api.AccessLog, s.api(s.staffOnly(s.handleAccessLog)))
	m.HandleFunc("GET "+api.Lookup, s.api(s.handleLookup))
	m.HandleFunc("POST "+api.LookupTicket, s.api(s.handleReturnTicket))
}

func (s *Server) staffOnly(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		switch {
		case p.Actor.Kind == "":
			return auth.ErrNeedLogin
		case !p.IsStaff():
			return auth.ErrNeedStaff
		case s.dossiers == nil || s.calendar == nil:
			return problem.Errorf(problem.ENotFound, "Máy chủ này chưa bật tiếp nhận hồ sơ", "intake is not enabled on this server")
		}
		return h(w, r, p)
	}
}

func (s *Server) handleIntake(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.IntakeRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	proc, ok := s.catalogue.Load().ByCode(req.Procedure)
	if !ok {
		return problem.Errorf(problem.ENotFound, "Không có thủ tục %q trong danh mục", "no procedure %q in the catalogue", req.Procedure)
	}
	now := s.now().In(s.conf().loc) // the dossier code carries the office's date
	d, err := s.conf().desk.Receive(proc, req, intake.Clerk{ID: p.Actor.ID, Name: p.Actor.Name}, now)
	if err != nil {
		return err
	}
	if d, err = s.dossiers.CreateDossier(d); err != nil {
		return err
	}
	s.dossiers.LogAccess(now, p.Actor.ID, d.Code, "create")
	a := api.IntakeAnswer{Dossier: d, Scan: s.conf().office.ScanSettings()}
	if form := d.IntakeForm(); form != "" { // a help session at the online desk prints nothing
		a.Form = api.Path(api.DossierForm, d.Code, form)
	}
	reply.JSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) loadDossier(code string) (intake.Dossier, error) {
	d, ok, err := s.dossiers.Dossier(code)
	if err != nil {
		return d, err
	}
	if !ok {
		return d, problem.Errorf(problem.ENotFound, "Không có hồ sơ %s", "no dossier %s", code)
	}
	return d, nil
}

func (s *Server) dossierView(d intake.Dossier) api.DossierView {
	v := api.DossierView{Dossier: d.Masked(), Timeliness: d.Timeliness(s.now(), s.conf().loc), Scan: s.conf().office.ScanSettings()}
	if msgs, err := s.q.Messages("d:" + d.Code + "/"); err == nil {
		for _, m := range msgs {
			v.Messages = append(v.Messages, api.ViewMessage(m))
		}
	}
	return v
}

func (s *Server) handleDossier(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.loadDossier(r.PathValue("code"))
	if err != nil {
		return err
	}
	s.dossiers.LogAccess(s.now(), p.Actor.ID, d.Code, "view")
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

func (s *Server) formsOffice() (forms.Office, *time.Location) {
	c := s.conf()
	o, loc := c.office, c.loc
	authority, place := o.Authority, o.Place
	if authority == "" {
		authority = o.Name
	}
	return forms.Office{Name: o.Name, Parent: authority, Place: place, Wording: o.FormWording, Bank: o.Payment}, loc
}

// lookupURL is where the receipt's QR points: the office's public_url (a real
// office's config must have one), never the request's Host header.
func (s *Server) lookupURL(d intake.Dossier) string {
	base := strings.TrimRight(s.conf().office.PublicURL, "/")
	return fmt.Sprintf("%s%s?ma=%s&pin=%s", base, api.PageLookup, url.QueryEscape(d.Code), url.QueryEscape(d.LookupPIN))
}

func (s *Server) handleForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.loadDossier(r.PathValue("code"))
	if err != nil {
		return err
	}
	o, loc := s.formsOffice()
	var pdf []byte
	switch form := r.PathValue("form"); {
	case form == "mau-01.pdf" && d.LookupPIN != "":
		pdf, err = forms.Receipt(o, d, s.lookupURL(d), loc)
	case form == "mau-02.pdf" && d.Status == intake.Incomplete:
		pdf, err = forms.Incomplete(o, d, loc)
	case form == "mau-03.pdf" && (d.Status == intake.Refused):
		pdf, err = forms.Refusal(o, d, loc)
	case form == "mau-04.pdf" && d.Apology != nil:
		pdf, err = forms.Apology(o, d, loc)
	case form == "mau-05.pdf" && d.Status.Stops():
		pdf, err = forms.Stop(o, d, loc)
	case form == "mau-06.pdf" && !d.DueAt.IsZero():
		pdf, err = forms.Control(o, d, s.now(), loc)
	default:
		return problem.Errorf(problem.ENotFound, "Hồ sơ %s không có mẫu %s", "dossier %s has no form %s", d.Code, form)
	}
	if err != nil {
		return err
	}
	s.dossiers.LogAccess(s.now(), p.Actor.ID, d.Code, "print "+strings.TrimSuffix(r.PathValue("form"), ".pdf"))
	w.Header().Set("Content-Type", "application/pdf")
	w.Write(pdf)
	return nil
}

func (s *Server) handleDossierStatus(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.StatusRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	now := s.now()
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "status "+string(req.Status), func(d *intake.Dossier) error {
		return s.conf().desk.Move(d, req.Status, now, p.Actor.ID, req.Note)
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

func (s *Server) handleApology(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.ApologyRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "apology", func(d *intake.Dossier) error {
		return d.Apologise(s.now(), req.NewDue, p.Actor.ID, strings.TrimSpace(req.Reason))
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

// handleHandover records one handover of the dossier's papers (Mẫu 06).
func (s *Server) handleHandover(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.HandoverRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "handover", func(d *intake.Dossier) error {
		return d.RecordHandover(intake.Handover{At: s.now(), From: req.From, To: req.To, Result: req.Result, By: p.Actor.ID})
	})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.dossierView(d))
	return nil
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	o, loc := s.formsOffice()
	from, to, err := period(r, loc)
	if err != nil {
		return err
	}
	rows, err := s.dossiers.Dossiers(from, to)
	if err != nil {
		return err
	}
	pdf, err := forms.Register(o, from, to, rows, s.now(), loc)
	if err != nil {
		return err
	}
	s.dossiers.LogAccess(s.now(), p.Actor.ID, "", "register "+from.Format("2006-01-02")+".."+to.AddDate(0, 0, -1).Format("2006-01-02"))
	w.Header().Set("Content-Type", "application/pdf")
	w.Write(pdf)
	return nil
}

// lookup finds a dossier by code and PIN; a wrong PIN reads as unknown, so
// codes cannot be probed.
func (s *Server) lookup(code, pin string) (intake.Dossier, error) {
	notFound := problem.Errorf(problem.ENotFound, "Không tìm thấy hồ sơ với mã và mã tra cứu này", "no dossier with this code and PIN")
	if s.dossiers == nil {
		return intake.Dossier{}, notFound
	}
	d, ok, err := s.dossiers.Dossier(strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return d, err
	}
	if !ok || d.LookupPIN == "" || d.LookupPIN != strings.TrimSpace(pin) {
		return d, notFound
	}
	return d, nil
}

// guardedLookup is lookup behind the guessing limits; kiosks and staff do not
// count against their address.
func (s *Server) guardedLookup(r *http.Request, p auth.Principal, code, pin string) (intake.Dossier, error) {
	var d intake.Dossier
	anonymous := p.Actor.Kind == ""
	err := s.guesses.Try(code, auth.ClientAddr(r), anonymous, s.now(), func() (err error) {
		d, err = s.lookup(code, pin)
		return err
	})
	return d, err
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.guardedLookup(r, p, r.URL.Query().Get("code"), r.URL.Query().Get("pin"))
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, api.LookupOf(d, s.conf().loc.String()))
	return nil
}

// handleReturnTicket gives a citizen whose result is ready a ticket for the
// return service, linked to the dossier (the counter sees which to hand back).
func (s *Server) handleReturnTicket(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Kind != DeviceKiosk && !p.IsStaff() {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return auth.ErrNeedKiosk
	}
	var req api.LookupTicketRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	d, err := s.guardedLookup(r, p, req.Code, req.PIN)
	if err != nil {
		return err
	}
	if d.Status != intake.Ready {
		return problem.Errorf(problem.EConflict, "Hồ sơ %s chưa có kết quả (trạng thái: %s)", "dossier %s has no result yet (status %s)", d.Code, d.Status)
	}
	service := s.conf().office.ReturnService
	if service == "" {
		service = "tra_ket_qua"
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpIssue, Actor: p.Actor, ServiceID: service, Channel: queue.ChannelKiosk,
		Token: auth.TicketToken(s.now()), Note: "Trả hồ sơ " + d.Code})
	if err != nil {
		return err
	}
	if _, err := s.dossiers.UpdateDossier(d.Code, p.Actor, "return ticket "+res.Ticket.ID, func(x *intake.Dossier) error { x.ReturnTicket = res.Ticket.ID; return nil }); err != nil {
		return err
	}
	reply.JSON(w, http.StatusCreated, s.view(*res.Ticket))
	return nil
}

// handleAccessLog shows who opened which dossier (admin only); ?code= for one.
func (s *Server) handleAccessLog(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedAdmin(p); err != nil {
		return err
	}
	log, err := s.dossiers.AccessLog(r.URL.Query().Get("code"))
	if err != nil {
		return err
	}
	if log == nil {
		log = []intake.Access{}
	}
	reply.JSON(w, http.StatusOK, log)
	return nil
}

// period reads ?from=2026-04-01&to=2026-04-30 (or as a person writes them,
// 01/04/2026) as local midnights: from, and the midnight after the last day
// (to is inclusive in the query, exclusive here).
func period(r *http.Request, loc *time.Location) (from, to time.Time, err error) {
	day := func(name string) (time.Time, error) {
		v := strings.TrimSpace(r.URL.Query().Get(name))
		t, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil {
			t, err = time.ParseInLocation("2/1/2006", v, loc)
		}
		if err != nil {
			return t, problem.Errorf(problem.EInvalid, "Tham số %s phải là ngày dạng 2026-04-01", "%s must be a date like 2026-04-01", name)
		}
		return t, nil
	}
	if from, err = day("from"); err != nil {
		return
	}
	if to, err = day("to"); err != nil {
		return
	}
	return from, to.AddDate(0, 0, 1), nil
}
