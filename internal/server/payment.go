package server

import (
	"fmt"
	"net/http"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/intake"
	"motcua/internal/reply"
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
