package counter

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// The fee on the intake's result: the VietQR the citizen scans with a bank
// app at the counter (the same as on Mẫu 01), the amount and its parts,
// and the clerk's record of the payment — cash, or a transfer with the
// bank's reference.

// PaymentServer is what the fee needs of the server.
type PaymentServer interface {
	Payment(ctx context.Context, code string) (api.PaymentView, error)
	Pay(ctx context.Context, code string, req api.PaymentRequest) (api.PaymentView, error)
}

// feeBox is the result's fee: nil when the dossier has none.
func (w *widgets) feeBox(r *intakeResult) fyne.CanvasObject {
	a, p := w.a, r.pay
	if p == nil || p.Amount <= 0 {
		return nil
	}
	amount := intake.FeeText(p.Amount, p.Parts)
	if p.Paid {
		how := a.tr("fee cash")
		if p.Payment != nil && p.Payment.Method == "transfer" {
			how = a.tr("fee transfer") + " " + p.Payment.Reference
		}
		return widget.NewLabel(fmt.Sprintf(a.tr("fee paid"), amount, how))
	}
	text := widget.NewLabel(fmt.Sprintf(a.tr("fee due"), amount))
	text.Wrapping = fyne.TextWrapWord
	cash := ui.NewWrapButton(a.tr("fee took cash"), func() { w.pay(r, api.PaymentRequest{Method: "cash"}) })
	ref := ui.NewKeyEntry(a.typedKey)
	ref.SetPlaceHolder(a.tr("fee reference"))
	transfer := ui.NewWrapButton(a.tr("fee got transfer"), func() {
		w.pay(r, api.PaymentRequest{Method: "transfer", Reference: strings.TrimSpace(ref.Text)})
	})
	right := container.NewVBox(text, container.NewGridWithColumns(2, cash, transfer), ref)
	if p.Payload == "" {
		return right // the office names no account: no QR
	}
	img, err := receipt.QR(p.Payload, 256)
	if err != nil {
		return right
	}
	qr := canvas.NewImageFromImage(img)
	qr.FillMode = canvas.ImageFillContain
	qr.SetMinSize(fyne.NewSize(160, 160))
	return container.NewBorder(nil, nil, qr, nil, right)
}

// pay records the payment and shows the result again, paid.
func (w *widgets) pay(r *intakeResult, req api.PaymentRequest) {
	a := w.a
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		v, err := a.srv.Pay(ctx, r.code, req)
		if err != nil {
			return nil, err
		}
		return func() string {
			r.pay = &v
			a.mode, a.ui.formMode = modeResult, modeNone // shown again, paid
			return fmt.Sprintf(a.tr("fee recorded"), r.code)
		}, nil
	})
}
