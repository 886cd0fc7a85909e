package intake

import (
	"strings"
	"time"

	"motcua/internal/catalogue"
)

// The fee of a dossier (phí, lệ phí): its amount due, set at intake from
// the procedure's fees in the catalogue, and its payment once the clerk
// records it (cash, or a transfer with the bank's reference, by hand or
// matched from a bank statement).

// Payment methods.
const (
	PaidCash     = "cash"
	PaidTransfer = "transfer"
)

// FeePart is one part of a dossier's fee as the catalogue names it.
type FeePart struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// Payment is how a dossier's fee was paid.
type Payment struct {
	Method    string    `json:"method"`              // cash or transfer
	Reference string    `json:"reference,omitempty"` // the bank's reference of a transfer
	Amount    int64     `json:"amount"`
	At        time.Time `json:"at"`
	By        string    `json:"by"` // the clerk who recorded it, or "statement"
}

// feeOf is the parts of a procedure's fees that have an amount.
func feeOf(p catalogue.Procedure) (int64, []FeePart) {
	var total int64
	var parts []FeePart
	for _, f := range p.Fees {
		if f.Amount > 0 {
			total += f.Amount
			parts = append(parts, FeePart{Name: f.Name, Amount: f.Amount})
		}
	}
	return total, parts
}

// Pay records p as the payment of d's fee: once, for a dossier received
// with a fee, cash or a transfer with its reference.
func (d *Dossier) Pay(p Payment) error {
	p.Reference = strings.TrimSpace(p.Reference)
	switch {
	case d.Fee <= 0:
		return errorf("Hồ sơ %s không có phí, lệ phí phải nộp", "dossier %s has no fee to pay", d.Code)
	case d.Paid != nil:
		return conflictf("Phí của hồ sơ %s đã nộp (%s)", "the fee of dossier %s is paid already (%s)", d.Code, d.Paid.Method)
	case d.Status == Incomplete || d.Status == Refused:
		return errorf("Hồ sơ %s chưa được tiếp nhận", "dossier %s was not received", d.Code)
	case p.Method != PaidCash && p.Method != PaidTransfer:
		return errorf("Cách nộp phải là cash (tiền mặt) hoặc transfer (chuyển khoản), không phải %q", "method must be cash or transfer, not %q", p.Method)
	case p.Method == PaidTransfer && (p.Reference == "" || len(p.Reference) > 64):
		return errorf("Chuyển khoản cần mã giao dịch của ngân hàng (tối đa 64 ký tự)", "a transfer needs the bank's reference (at most 64 characters)")
	}
	if p.Amount == 0 {
		p.Amount = d.Fee
	}
	if p.Amount != d.Fee {
		return errorf("Số tiền %d khác phí phải nộp %d", "amount %d differs from the fee due %d", p.Amount, d.Fee)
	}
	d.Paid = &p
	return nil
}

// FeeText is a fee as the receipt and the counter write it: "8.000 đồng
// (Phí chứng thực 6.000 đồng; Lệ phí 2.000 đồng)", the parts when several.
func FeeText(total int64, parts []FeePart) string {
	text := catalogue.Money(total)
	if len(parts) > 1 {
		var each []string
		for _, p := range parts {
			each = append(each, p.Name+" "+catalogue.Money(p.Amount))
		}
		text += " (" + strings.Join(each, "; ") + ")"
	}
	return text
}
