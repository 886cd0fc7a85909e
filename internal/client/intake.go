package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"motcua/internal/api"
	"motcua/internal/intake"
)

// Intake records a dossier's intake.
func (c *Client) Intake(ctx context.Context, req api.IntakeRequest) (api.IntakeAnswer, error) {
	var out api.IntakeAnswer
	_, err := c.do(ctx, "POST", api.Dossiers, req, &out)
	return out, err
}

// Dossier reads a dossier (staff; the ID number comes masked).
func (c *Client) Dossier(ctx context.Context, code string) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.do(ctx, "GET", api.Path(api.Dossier, code), nil, &out)
	return out, err
}

// SetDossierStatus moves a dossier along its status flow.
func (c *Client) SetDossierStatus(ctx context.Context, code string, status intake.Status, note string) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.do(ctx, "POST", api.Path(api.DossierStatus, code), api.StatusRequest{Status: status, Note: note}, &out)
	return out, err
}

// LookupDossier finds a dossier by its code and lookup PIN.
func (c *Client) LookupDossier(ctx context.Context, code, pin string) (api.LookupAnswer, error) {
	var out api.LookupAnswer
	_, err := c.do(ctx, "GET", api.Lookup+"?code="+url.QueryEscape(code)+"&pin="+url.QueryEscape(pin), nil, &out)
	return out, err
}

// ReturnTicket takes a ticket to collect a ready result.
func (c *Client) ReturnTicket(ctx context.Context, code, pin string) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.LookupTicket, api.LookupTicketRequest{Code: code, PIN: pin}, &out)
	return out, err
}

// Fetch downloads a file the API links to (a form's PDF).
func (c *Client) Fetch(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.roundTrip(ctx, "GET", path, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 32<<20))
}

// Handover records one handover of a dossier's papers (Mẫu 06).
func (c *Client) Handover(ctx context.Context, code string, req api.HandoverRequest) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.do(ctx, "POST", api.Path(api.DossierHandover, code), req, &out)
	return out, err
}

// Apologise records the Mẫu 04 apology with a new due date.
func (c *Client) Apologise(ctx context.Context, code string, newDue time.Time, reason string) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.do(ctx, "POST", api.Path(api.DossierApolog, code), api.ApologyRequest{NewDue: newDue, Reason: reason}, &out)
	return out, err
}

// ScanDocument attaches pdf as the scan of a dossier's document n (from 1);
// source is "scanner" or "folder".
func (c *Client) ScanDocument(ctx context.Context, code string, n int, pdf []byte, source string) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.send(ctx, "PUT", api.Path(api.DossierScan, code, n), &upload{data: pdf, contentType: "application/pdf",
		header: http.Header{api.HeaderScanSource: {source}}}, &out)
	return out, err
}

// ExemptDocument records why a dossier's document n (from 1) is not scanned.
func (c *Client) ExemptDocument(ctx context.Context, code string, n int, e intake.Exemption) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.do(ctx, "POST", api.Path(api.DossierExempt, code, n), api.ScanExemptRequest{Exemption: e}, &out)
	return out, err
}

// AttachResult attaches pdf as a dossier's electronic result.
func (c *Client) AttachResult(ctx context.Context, code string, pdf []byte) (api.DossierView, error) {
	var out api.DossierView
	_, err := c.send(ctx, "PUT", api.Path(api.DossierResult, code), &upload{data: pdf, contentType: "application/pdf"}, &out)
	return out, err
}

// Payment is a dossier's fee, its VietQR and whether it is paid.
func (c *Client) Payment(ctx context.Context, code string) (api.PaymentView, error) {
	var out api.PaymentView
	_, err := c.do(ctx, "GET", api.Path(api.DossierPayment, code), nil, &out)
	return out, err
}

// Pay records a dossier's fee paid (cash, or a transfer with its reference).
func (c *Client) Pay(ctx context.Context, code string, req api.PaymentRequest) (api.PaymentView, error) {
	var out api.PaymentView
	_, err := c.do(ctx, "POST", api.Path(api.DossierPayment, code), req, &out)
	return out, err
}

// Statement imports a bank statement (CSV as the bank gives it).
func (c *Client) Statement(ctx context.Context, csv []byte) (api.StatementAnswer, error) {
	var out api.StatementAnswer
	_, err := c.send(ctx, "POST", api.Statement, &upload{data: csv, contentType: "text/csv"}, &out)
	return out, err
}
