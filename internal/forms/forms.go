package forms

import (
	"fmt"
	"strings"
	"time"

	"motcua/internal/catalogue"
	"motcua/internal/intake"
	"motcua/internal/vietqr"
)

func applicantLines(d *doc, a intake.Applicant, masked bool) {
	d.line("Ông/Bà:", a.Name)
	if a.IDNumber != "" {
		id := a.IDNumber
		if masked {
			id = intake.MaskID(id)
		}
		d.line("Số CCCD/CMND:", id)
	}
	if a.Address != "" {
		d.line("Địa chỉ:", a.Address)
	}
	if a.Phone != "" {
		d.line("Số điện thoại:", a.Phone)
	}
}

func processingText(amount int, unit string) string {
	switch unit {
	case "same_day":
		return "trong ngày"
	case "working_days":
		return fmt.Sprintf("%d ngày làm việc", amount)
	case "calendar_days":
		return fmt.Sprintf("%d ngày", amount)
	case "working_hours":
		return fmt.Sprintf("%d giờ làm việc", amount)
	}
	return ""
}

// Receipt is Mẫu 01, the receipt and appointment, in two copies (one kept, one
// given), each with the lookup QR and PIN. lookupURL is where the QR points.
func Receipt(o Office, x intake.Dossier, lookupURL string, loc *time.Location) ([]byte, error) {
	d := newDoc("P", "A5")
	for i, copyName := range []string{o.text("01.copy1"), o.text("01.copy2")} {
		d.AddPage()
		d.header(o, x.Code, FormReceipt)
		d.title(o.text("01.title"), copyName)
		d.line("", o.text("01.intro", "office", o.Name))
		applicantLines(d, x.Applicant, true)
		d.line("Nội dung yêu cầu giải quyết:", x.ProcedureName)
		d.line("1. Thành phần hồ sơ nộp gồm:", "")
		for n, doc := range x.Documents {
			if doc.Received {
				d.line("", fmt.Sprintf("   %d) %s — %d bản %s", n+1, doc.Name, doc.Quantity, kindText(doc.Kind)))
			}
		}
		d.line("2. Số lượng hồ sơ:", fmt.Sprintf("%d (bộ)", x.Sets))
		d.line("3. Thời gian giải quyết hồ sơ theo quy định:", processingText(x.ProcessingAmount, x.ProcessingUnit))
		d.line("4. Thời gian nhận hồ sơ:", hm(x.ReceivedAt.In(loc)))
		d.line("5. Thời gian trả kết quả giải quyết hồ sơ:", hm(x.DueAt.In(loc)))
		where := "Bộ phận Một cửa"
		if x.Delivery == "post" {
			where = "qua dịch vụ bưu chính"
		}
		d.line("6. Đăng ký nhận kết quả tại:", where)
		payload, err := feeLine(d, o, x, loc)
		if err != nil {
			return nil, err
		}
		y := d.GetY() + 1
		if err := d.qr(fmt.Sprintf("qr%d", i), lookupURL, 12, y, 24); err != nil {
			return nil, err
		}
		width := d.w - 26
		if payload != "" {
			// The fee's VietQR, 30 mm: a phone's bank app reads it off paper.
			if err := d.qr(fmt.Sprintf("fee%d", i), payload, d.w-12-30, y, 30); err != nil {
				return nil, err
			}
			d.SetXY(d.w-12-30, y+30)
			d.font("", 7)
			d.MultiCell(30, 3, catalogue.Money(x.Fee)+": quét bằng ứng dụng ngân hàng", "", "C", false)
			width = d.w - 12 - 30 - 38 - 2
		}
		d.SetXY(38, y+4)
		d.font("", 8.5)
		d.MultiCell(width, 4.4, o.text("01.lookup", "code", x.Code, "pin", x.LookupPIN), "", "L", false)
		d.SetY(y + 26)
		if payload != "" {
			d.SetY(y + 42)
		}
		d.dated(o, x.ReceivedAt.In(loc))
		d.signatures(o.text("01.sign.applicant"), o.text("01.sign.clerk"), x.ClerkName)
	}
	return d.bytes()
}

// feeLine writes the dossier's fee (item 7) and returns the VietQR
// payload to print beside it: none when there is no fee, it is paid, or
// the office names no account.
func feeLine(d *doc, o Office, x intake.Dossier, loc *time.Location) (string, error) {
	if x.Fee <= 0 {
		return "", nil
	}
	text := intake.FeeText(x.Fee, x.FeeParts)
	if x.Paid != nil {
		how := "tiền mặt"
		if x.Paid.Method == intake.PaidTransfer {
			how = "chuyển khoản, mã giao dịch " + x.Paid.Reference
		}
		d.line("7. Phí, lệ phí:", text+" — ĐÃ NỘP ("+how+", ngày "+x.Paid.At.In(loc).Format("02/01/2006")+")")
		return "", nil
	}
	d.line("7. Phí, lệ phí phải nộp:", text)
	if !o.Bank.Set() {
		return "", nil
	}
	return vietqr.Payload(o.Bank, x.Fee, x.Code)
}

func kindText(kind string) string {
	return map[string]string{"original": "chính", "copy": "sao", "original_or_copy": "chính hoặc sao"}[kind]
}

// opening starts an A5 form about x: its number and title, the office
// addressing the applicant (their ID masked).
func opening(o Office, x intake.Dossier, number string) *doc {
	d := newDoc("P", "A5")
	d.AddPage()
	d.header(o, x.Code, number)
	d.title(o.text(number+".title"), "")
	d.line("", o.text(number+".intro", "office", o.Name))
	applicantLines(d, x.Applicant, true)
	return d
}

// Incomplete is Mẫu 02: the papers to add, each listed once.
func Incomplete(o Office, x intake.Dossier, loc *time.Location) ([]byte, error) {
	d := opening(o, x, FormSupplement)
	d.line("Nội dung yêu cầu giải quyết:", x.ProcedureName)
	d.line("", o.text("02.ask"))
	for i, m := range x.Missing {
		d.line("", fmt.Sprintf("   %d. %s", i+1, m))
	}
	if x.Reason != "" {
		d.line("Lý do:", x.Reason)
	}
	d.line("", o.text("02.help"))
	d.dated(o, x.ReceivedAt.In(loc))
	d.signatures("", o.text("02.sign"), x.ClerkName)
	return d.bytes()
}

// Refusal is Mẫu 03: the refusal and its reason.
func Refusal(o Office, x intake.Dossier, loc *time.Location) ([]byte, error) {
	d := opening(o, x, FormRefusal)
	d.line("Đề nghị giải quyết thủ tục hành chính:", x.ProcedureName)
	d.line("", o.text("03.refuse"))
	d.line("", x.Reason)
	d.line("", o.text("03.closing"))
	d.dated(o, x.ReceivedAt.In(loc))
	d.signatures("", o.text("03.sign"), x.ClerkName)
	return d.bytes()
}

// Stop is Mẫu 05, the notice that a dossier's processing stopped: at the
// applicant's request (withdrawn) or by law (stopped), with the reason and
// who recorded it, dated when it stopped. x must be in a stopping status.
func Stop(o Office, x intake.Dossier, loc *time.Location) ([]byte, error) {
	var last intake.Change
	for _, c := range x.History {
		if c.To.Stops() {
			last = c
		}
	}
	if !x.Status.Stops() || last.At.IsZero() {
		return nil, fmt.Errorf("dossier %s has not stopped", x.Code)
	}
	d := opening(o, x, FormStop)
	d.line("Hồ sơ đề nghị giải quyết thủ tục hành chính:", x.ProcedureName)
	if !x.ReceivedAt.IsZero() {
		d.line("Tiếp nhận lúc:", hm(x.ReceivedAt.In(loc)))
	}
	basis := o.text("05.by_applicant")
	if last.To == intake.Stopped {
		basis = o.text("05.by_law")
	}
	d.line("", o.text("05.stopped", "basis", basis, "since", hm(last.At.In(loc))))
	if reason := strings.TrimSpace(last.Note); reason != "" {
		d.line("Lý do:", reason)
	}
	d.line("Người ghi nhận:", last.By)
	d.line("", o.text("05.closing"))
	d.dated(o, last.At.In(loc))
	d.signatures("", o.text("05.sign"), x.ClerkName)
	return d.bytes()
}

// Control is Mẫu 06, the control slip that goes with the papers: the
// receipt, then one row per handover (desk → department → signing → desk)
// with when, who gave, who received and what came of it, and how the
// dossier stands at now (A4).
func Control(o Office, x intake.Dossier, now time.Time, loc *time.Location) ([]byte, error) {
	d := newDoc("P", "A4")
	d.AddPage()
	d.header(o, x.Code, FormControl)
	d.title(o.text("06.title"), "")
	d.line("Kèm theo hồ sơ của:", x.Applicant.Name)
	d.line("Thủ tục:", x.ProcedureName)
	d.line("Tiếp nhận:", hm(x.ReceivedAt.In(loc))+" — "+x.ClerkName)
	d.line("Hẹn trả kết quả:", hm(x.DueAt.In(loc)))
	d.Ln(2)
	var rows [][]string
	for i, h := range x.Handovers {
		rows = append(rows, []string{fmt.Sprint(i + 1), trim(h.From, 30), trim(h.To, 30), h.At.In(loc).Format("15:04 02/01/2006"), trim(h.Result, 20), trim(h.By, 10)})
	}
	d.table([]column{{"STT", 8, true}, {"Bên giao", 52, false}, {"Bên nhận", 52, false}, {"Thời gian giao, nhận", 28, true}, {"Kết quả, ghi chú", 30, false}, {"Người ghi", 16, false}},
		rows, 7.5, 6.5, "Chưa có lượt giao nhận nào.")
	d.Ln(3)
	stands := timeliness[x.Timeliness(now, loc)]
	if stands == "" {
		stands = "Đang giải quyết"
		if x.Status.Stops() {
			stands = "Đã dừng giải quyết (Mẫu 05)"
		}
	}
	d.line("Kết quả giải quyết hồ sơ:", stands)
	d.dated(o, now.In(loc))
	d.signatures("", o.text("06.sign"), x.ClerkName)
	return d.bytes()
}

// Apology is Mẫu 04: the result will be late; a new date.
func Apology(o Office, x intake.Dossier, loc *time.Location) ([]byte, error) {
	if x.Apology == nil {
		return nil, fmt.Errorf("dossier %s has no apology", x.Code)
	}
	d := newDoc("P", "A5")
	d.AddPage()
	d.header(o, x.Code, FormApology)
	d.title(o.text("04.title"), "")
	d.line("Kính gửi:", x.Applicant.Name)
	d.line("", o.text("04.received", "date", x.ReceivedAt.In(loc).Format("02/01/2006"), "office", o.Name, "procedure", x.ProcedureName, "code", x.Code))
	d.line("", o.text("04.late", "reason", x.Apology.Reason))
	d.line("", o.text("04.sorry"))
	d.font("B", 10)
	d.MultiCell(d.w, 5.5, hm(x.Apology.NewDue.In(loc)), "", "C", false)
	d.dated(o, x.Apology.At.In(loc))
	d.signatures("", o.text("04.sign"), "")
	return d.bytes()
}

// Register is Mẫu 07 (Mẫu 06 of the 2018 set), the register of dossiers received in a period (A4
// landscape), with each dossier's timeliness.
func Register(o Office, from, to time.Time, rows []intake.Dossier, now time.Time, loc *time.Location) ([]byte, error) {
	d := newDoc("L", "A4")
	d.AddPage()
	d.header(o, "", FormRegister)
	d.title(o.text("07.title"), o.text("07.period", "from", from.In(loc).Format("02/01/2006"), "to", to.In(loc).AddDate(0, 0, -1).Format("02/01/2006")))
	states := map[intake.Status]string{intake.Incomplete: "Chưa đủ (Mẫu 02)", intake.Refused: "Từ chối (Mẫu 03)", intake.Withdrawn: "Rút hồ sơ (Mẫu 05)", intake.Stopped: "Dừng giải quyết (Mẫu 05)", intake.Supplement: "Chờ bổ sung"}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("02/01/2006")
	}
	var cells [][]string
	for i, x := range rows {
		st := timeliness[x.Timeliness(now, loc)]
		if s, ok := states[x.Status]; ok {
			st = s
		}
		cells = append(cells, []string{fmt.Sprint(i + 1), x.Code, trim(x.ProcedureName, 48), trim(x.Applicant.Name, 28), date(x.ReceivedAt), date(x.DueAt), date(x.ReadyAt), date(x.ReturnedAt), st})
	}
	d.table([]column{{"STT", 10, true}, {"Mã hồ sơ", 38, false}, {"Thủ tục", 64, false}, {"Người nộp", 40, false}, {"Ngày nhận", 24, true},
		{"Hẹn trả", 24, true}, {"Có kết quả", 24, true}, {"Đã trả", 24, true}, {"Tình trạng", 25, true}}, cells, 7.5, 6, "Không có hồ sơ trong khoảng thời gian này.")
	return d.bytes()
}

// timeliness is how a dossier's timeliness reads on a form.
var timeliness = map[string]string{"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

func trim(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
