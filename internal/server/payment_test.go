package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/pdftext"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/vietqr"
)

var chungThuc = catalogue.Procedure{Code: "2.000815", Name: "Chứng thực bản sao từ bản chính", Service: "ho_tich",
	Processing: catalogue.Duration{Unit: catalogue.SameDay},
	Documents:  []catalogue.Document{{Name: "Bản chính", Quantity: 1, Kind: "original"}},
	Fees:       []catalogue.Fee{{Name: "Phí chứng thực", Amount: 6000, Note: "3 trang"}, {Name: "Lệ phí", Amount: 2000}}}

// qrsOn renders the first page of pdf (200 dpi, pdftoppm) and reads every
// QR code on it.
func qrsOn(t *testing.T, pdf []byte) ([]string, image.Image) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "f.pdf")
	os.WriteFile(in, pdf, 0o644)
	if out, err := exec.Command("pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	f, err := os.Open(names[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, nil)
	var texts []string
	for _, r := range results {
		texts = append(texts, r.GetText())
	}
	return texts, img
}

// A dossier with a fee: its VietQR (the office's account, the amount, the
// dossier's code), the same payload read back from the printed Mẫu 01; the
// clerk records a transfer; the reprint says paid and has no fee QR.
func TestFeeVietQROnTheReceipt(t *testing.T) {
	o := queue.Office{Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01", Authority: "UBND phường Thử", Place: "Thử",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}},
		Payment:  vietqr.Account{BankBIN: "970436", Account: "0011001234567", Name: "UBND PHUONG THU"}}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, chungThuc)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: chungThuc.Code, Applicant: intake.Applicant{Name: "Trần Văn Bình"},
		Received: []string{"Bản chính"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	pay, err := clerk.Payment(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if pay.Amount != 8000 || pay.Paid || len(pay.Parts) != 2 || vietqr.Check(pay.Payload) != nil ||
		!strings.Contains(pay.Payload, "0817"+code) || !strings.Contains(pay.Payload, "54048000") || !strings.Contains(pay.Payload, "0006970436") {
		t.Fatalf("payment %+v", pay)
	}
	pdf, err := clerk.Fetch(ctx, got.Form)
	if err != nil {
		t.Fatal(err)
	}
	texts, img := qrsOn(t, pdf)
	found := false
	for _, s := range texts {
		found = found || s == pay.Payload
	}
	if !found {
		t.Fatalf("the printed fee QR does not read back as the payload: read %q", texts)
	}
	if text := pdftext.Of(t, pdf, false); !strings.Contains(text, "8.000 đồng (Phí chứng thực 6.000 đồng; Lệ phí 2.000 đồng)") {
		t.Fatalf("the fee line: %s", text)
	}
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		f, _ := os.Create(filepath.Join(dir, "receipt-fee-qr.png"))
		png.Encode(f, img)
		f.Close()
	}
	if l, err := clerk.LookupDossier(ctx, code, got.Dossier.LookupPIN); err != nil || l.Fee != 8000 || l.Paid {
		t.Fatalf("the lookup before payment: %+v %v", l, err)
	}
	// A transfer needs its reference; then paid, once.
	if _, err := clerk.Pay(ctx, code, api.PaymentRequest{Method: "transfer"}); err == nil {
		t.Fatal("a transfer without its reference was taken")
	}
	if pay, err = clerk.Pay(ctx, code, api.PaymentRequest{Method: "transfer", Reference: "FT26341123456"}); err != nil || !pay.Paid || pay.Payment.Reference != "FT26341123456" {
		t.Fatalf("paid: %+v %v", pay, err)
	}
	if _, err := clerk.Pay(ctx, code, api.PaymentRequest{Method: "cash"}); err == nil {
		t.Fatal("paid twice")
	}
	if l, err := clerk.LookupDossier(ctx, code, got.Dossier.LookupPIN); err != nil || !l.Paid {
		t.Fatalf("the lookup after payment: %+v %v", l, err)
	}
	pdf, _ = clerk.Fetch(ctx, got.Form)
	if text := pdftext.Of(t, pdf, false); !strings.Contains(text, "ĐÃ NỘP (chuyển khoản, mã giao dịch FT26341123456") {
		t.Fatalf("the reprint: %s", text)
	}
	if texts, _ := qrsOn(t, pdf); len(texts) != 1 {
		t.Fatalf("the reprint after payment has %d QR codes, want the lookup's only: %q", len(texts), texts)
	}
}

// A bank statement: the transfer naming a dossier's code (as the bank
// mangles it) for its fee pays it; one for another amount and one naming
// nothing are listed for the clerk; a statement with a line it cannot read
// changes nothing and names the line.
func TestBankStatementPaysFees(t *testing.T) {
	o := queue.Office{Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}},
		Payment:  vietqr.Account{BankBIN: "970436", Account: "0011001234567"}}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, chungThuc)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for range 2 {
		got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: chungThuc.Code, Applicant: intake.Applicant{Name: "Lê Văn Cường"},
			Received: []string{"Bản chính"}, Sets: 1, Delivery: "desk"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, got.Dossier.Code)
	}
	mangled := strings.NewReplacer(".", "", "-", " ").Replace(codes[0])
	bad := "Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n07/12/2026,FT1,8.000," + mangled + "\n07/12/2026,FT2,tám nghìn,x\n"
	if _, err := clerk.Statement(ctx, []byte(bad)); problem.CodeOf(err) != problem.EInvalid || !strings.Contains(err.Error(), "dòng 3") {
		t.Fatalf("a bad line: %v", err)
	}
	if p, _ := clerk.Payment(ctx, codes[0]); p.Paid {
		t.Fatal("a refused statement paid a fee")
	}
	good := "Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n" +
		"07/12/2026,FT1,8.000,NGUYEN VAN A " + mangled + "\n" +
		"07/12/2026,FT2,9.000,phi " + codes[1] + "\n" +
		"07/12/2026,FT3,8.000,chuyen khoan\n"
	res, err := clerk.Statement(ctx, []byte(good))
	if err != nil || len(res.Matched) != 1 || res.Matched[0].Code != codes[0] || len(res.Unmatched) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if p, _ := clerk.Payment(ctx, codes[0]); !p.Paid || p.Payment.Reference != "FT1" || p.Payment.Method != intake.PaidTransfer {
		t.Fatalf("matched, not paid: %+v", p)
	}
	if p, _ := clerk.Payment(ctx, codes[1]); p.Paid {
		t.Fatal("a wrong amount paid a fee")
	}
	// The same statement again: the paid dossier waits for nothing.
	if again, err := clerk.Statement(ctx, []byte(good)); err != nil || len(again.Matched) != 0 {
		t.Fatalf("imported twice: %+v %v", again, err)
	}
	// A third paid in cash at the counter; the day's report: three fees
	// due (24.000 đồng), two paid (16.000), one of them without cash.
	third, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: chungThuc.Code, Applicant: intake.Applicant{Name: "Phạm Thị Dung"},
		Received: []string{"Bản chính"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Pay(ctx, third.Dossier.Code, api.PaymentRequest{Method: "cash"}); err != nil {
		t.Fatal(err)
	}
	admin := client.New(url, "")
	if _, err := admin.Login(ctx, testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	var rep api.Report
	loc, _ := o.Location() // the office's day, whatever the machine's zone
	day := time.Now().In(loc).Format("2006-01-02")
	raw, err := admin.Fetch(ctx, api.AdminReport+"?from="+day+"&to="+day)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &rep)
	d := rep.Dossiers
	if d == nil || d.FeeDossiers != 3 || d.FeesDue != 24000 || d.FeesPaid != 2 || d.FeesCollected != 16000 || d.Cashless != 1 || d.CashlessAmount != 8000 || d.CashlessShare != 0.5 {
		t.Fatalf("the day's fees: %+v", d)
	}
	t.Logf("the day's fees: %d dossiers, %d đồng due, %d paid (%d đồng), %d without cash (%d đồng): %.0f%% by count, %.0f%% by amount",
		d.FeeDossiers, d.FeesDue, d.FeesPaid, d.FeesCollected, d.Cashless, d.CashlessAmount, 100*d.CashlessShare, 100*d.CashlessAmountShare)
}

// The desk head uploads the statement on the console's payments page: the
// matched fee is recorded, the rest listed.
func TestConsolePaymentsPage(t *testing.T) {
	o := queue.Office{Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}}}
	base, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, chungThuc)
	ctx := context.Background()
	clerk := client.New(base, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: chungThuc.Code, Applicant: intake.Applicant{Name: "Lê Văn Cường"},
		Received: []string{"Bản chính"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.PostForm(base+"/admin/login", url.Values{"username": {testserver.Supervisor}, "pin": {testserver.PIN}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("upload", "saoke.csv")
	fw.Write([]byte("Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n07/12/2026,FT77,8.000,NOP PHI " + got.Dossier.Code + "\n07/12/2026,FT78,5.000,ung ho\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/admin/payments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Đã ghi nhận nộp phí") || !strings.Contains(string(page), got.Dossier.Code) || !strings.Contains(string(page), "ung ho") {
		t.Fatalf("%d\n%s", resp.StatusCode, page)
	}
	if p, _ := clerk.Payment(ctx, got.Dossier.Code); !p.Paid || p.Payment.Reference != "FT77" {
		t.Fatalf("not recorded: %+v", p)
	}
}
