package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/statement"
	"motcua/internal/vietqr"
)

// A dossier's fee: its VietQR to pay it (the office's account, the
// dossier's code as the transfer's purpose), and its payment recorded by a
// clerk through the writer (a dossier.changed event: the facts say paid
// and how, no payer).

// paymentView is d's fee as the counter shows it.
func (s *Server) paymentView(d intake.Dossier) (api.PaymentView, error) {
	v := api.PaymentView{Amount: d.Fee, Parts: d.FeeParts, Paid: d.Paid != nil, Payment: d.Paid}
	a := s.conf().office.Payment
	if d.Fee > 0 && a.Set() {
		p, err := vietqr.Payload(a, d.Fee, d.Code)
		if err != nil {
			return v, err
		}
		v.Payload, v.Account = p, fmt.Sprintf("%s · %s · %s", a.BankBIN, a.Account, a.Name)
	}
	return v, nil
}

func (s *Server) handlePayment(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, err := s.loadDossier(r.PathValue("code"))
	if err != nil {
		return err
	}
	return s.replyPayment(w, d)
}

// replyPayment answers d's fee as the counter shows it.
func (s *Server) replyPayment(w http.ResponseWriter, d intake.Dossier) error {
	v, err := s.paymentView(d)
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) handlePay(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.PaymentRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	now := s.now()
	d, err := s.dossiers.UpdateDossier(r.PathValue("code"), p.Actor, "payment "+req.Method, func(d *intake.Dossier) error {
		return d.Pay(intake.Payment{Method: req.Method, Reference: req.Reference, At: now, By: p.Actor.ID})
	})
	if err != nil {
		return err
	}
	return s.replyPayment(w, d)
}

// handleStatement matches a bank statement's credits to the dossiers of
// the last six months whose fee waits (the code in the memo, the amount
// the fee) and records each match as a transfer with its reference; a
// statement with a line it cannot read changes nothing and names the line.
// Unmatched and duplicated lines come back for the clerk (staff only: a
// memo may name the payer).
func (s *Server) handleStatement(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	res, err := s.importStatement(r.Context(), p.Actor, http.MaxBytesReader(w, r.Body, statement.MaxSize+1))
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, res)
	return nil
}

// importStatement reads a statement and records the fees its lines pay
// (the API's and the console's).
func (s *Server) importStatement(ctx context.Context, by queue.Actor, body io.Reader) (statement.Result, error) {
	if s.dossiers == nil {
		return statement.Result{}, problem.Errorf(problem.EConflict, "Văn phòng chưa tiếp nhận hồ sơ (chưa có lịch làm việc)", "this office takes no dossiers (no working calendar)")
	}
	lines, err := statement.Read(body, s.conf().office.Statement)
	if err != nil {
		return statement.Result{}, err
	}
	now := s.now()
	ds, err := s.dossiers.Dossiers(now.AddDate(0, -6, 0), now.Add(time.Minute))
	if err != nil {
		return statement.Result{}, err
	}
	var due []statement.Due
	for _, d := range ds {
		if d.Fee > 0 && d.Paid == nil && d.Status != intake.Incomplete && d.Status != intake.Refused {
			due = append(due, statement.Due{Code: d.Code, Amount: d.Fee})
		}
	}
	res := statement.Match(lines, due)
	kept := res.Matched[:0]
	for _, m := range res.Matched {
		ref := m.Reference
		if ref == "" {
			ref = fmt.Sprintf("sao kê dòng %d", m.Row)
		}
		_, err := s.dossiers.UpdateDossier(m.Code, by, "payment transfer (statement)", func(d *intake.Dossier) error {
			return d.Pay(intake.Payment{Method: intake.PaidTransfer, Reference: ref, At: now, By: by.ID})
		})
		if err != nil {
			e := problem.As(err)
			res.Unmatched = append(res.Unmatched, statement.Miss{Line: m.Line, Why: e.Message + " / " + e.MessageEN})
			continue
		}
		kept = append(kept, m)
	}
	res.Matched = kept
	return res, nil
}
