package console

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/statement"
)

// The payments page (/admin/payments, the desk head and the admin): the
// bank statement uploaded as the bank gives it; the fees it pays are
// recorded, the lines it cannot match listed for the clerks (a memo may
// name the payer: staff only).

// Payments records the fees a bank statement pays (the server).
type Payments interface {
	ImportStatement(ctx context.Context, by queue.Actor, csv io.Reader) (statement.Result, error)
}

// paymentsView is the page: the columns the office's statement has, and
// what the last upload came to.
type paymentsView struct {
	frame
	Columns statement.Columns
	Result  *statement.Result
}

func (c *Console) paymentsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	_, office := c.Settings.Settings()
	c.render(w, http.StatusOK, paymentsPage, p, &paymentsView{Columns: office.Statement.WithDefaults()})
}

func (c *Console) savePayments(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	readUpload(r)
	_, office := c.Settings.Settings()
	v := &paymentsView{Columns: office.Statement.WithDefaults()}
	file, _, err := r.FormFile("upload")
	if err != nil {
		v.Error = problem.As(problem.Errorf(problem.EInvalid, "Hãy chọn tệp sao kê (CSV)", "choose the statement's file (CSV)"))
		c.render(w, http.StatusBadRequest, paymentsPage, p, v)
		return
	}
	raw, _ := io.ReadAll(io.LimitReader(file, reply.MaxSettings))
	file.Close()
	if c.Payments == nil {
		v.Error = problem.As(problem.Errorf(problem.EConflict, "Máy chủ này không ghi nhận phí", "this server records no fees"))
		c.render(w, http.StatusConflict, paymentsPage, p, v)
		return
	}
	res, err := c.Payments.ImportStatement(r.Context(), p.Actor, bytes.NewReader(raw))
	if err != nil {
		v.Error = problem.As(err)
		c.render(w, reply.Status(v.Error.Code), paymentsPage, p, v)
		return
	}
	v.Result = &res
	v.Notice = "Đã đọc sao kê / the statement is read"
	c.render(w, http.StatusOK, paymentsPage, p, v)
}
