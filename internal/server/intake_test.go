package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/pdftext"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/testserver"
)

func intakeOffice() queue.Office {
	return queue.Office{
		Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01", Authority: "UBND phường Thử", Place: "Thử",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "tra_ket_qua", Name: "Trả kết quả", RangeStart: 5001, RangeEnd: 5999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "tra_ket_qua"}}},
	}
}

var khaiSinh = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich", Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays},
	Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"}, {Name: "Giấy kết hôn", Quantity: 1, Optional: true}}}

// Intake through the API: incomplete (Mẫu 02), received (Mẫu 01, appointment,
// PIN), the status flow, the citizen's lookup and return ticket, the register.
func TestIntakeFlow(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), intakeOffice(), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	who := intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567", Phone: "0912345678"}

	if _, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: who, Received: []string{"Tờ khai"}, Sets: 1, Delivery: "desk"}); err == nil ||
		!strings.Contains(problem.As(err).MessageEN, "lacks: Giấy chứng sinh") {
		t.Fatalf("receiving an incomplete dossier: %v", err)
	}
	inc, err := clerk.Intake(ctx, intake.Request{Outcome: "incomplete", Procedure: khaiSinh.Code, Applicant: who, Received: []string{"Tờ khai"}, Missing: []string{"giấy chứng sinh", "Ảnh 4x6"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(inc.Dossier.Missing, "|") != "Giấy chứng sinh|Ảnh 4x6" || !strings.HasSuffix(inc.Form, "mau-02.pdf") {
		t.Fatalf("incomplete %+v", inc)
	}
	pdf, err := clerk.Fetch(ctx, inc.Form)
	if err != nil || !strings.Contains(pdftext.Of(t, pdf, false), "PHIẾU YÊU CẦU BỔ SUNG") {
		t.Fatalf("Mẫu 02: %v", err)
	}

	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: who, Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	d := got.Dossier
	if !strings.HasPrefix(d.Code, "XA.01-") || !strings.HasSuffix(d.Code, "-0002") || d.LookupPIN == "" || d.DueAt.IsZero() || d.Applicant.IDNumber != "001203004567" {
		t.Fatalf("received %+v", d)
	}
	pdf, _ = clerk.Fetch(ctx, got.Form)
	if text := pdftext.Of(t, pdf, false); !strings.Contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") || !strings.Contains(text, d.Code) {
		t.Fatalf("Mẫu 01 text: %s", text)
	}
	if shown, _ := clerk.Dossier(ctx, d.Code); shown.Applicant.IDNumber != "001******567" {
		t.Errorf("after intake the ID shows as %q", shown.Applicant.IDNumber)
	}

	citizen := client.New(url, "")
	if _, err := citizen.LookupDossier(ctx, d.Code, "0000"); err == nil && d.LookupPIN != "0000" {
		t.Fatal("a wrong PIN found the dossier")
	}
	look, err := citizen.LookupDossier(ctx, d.Code, d.LookupPIN)
	if err != nil || look.Status != intake.Received || look.Ready {
		t.Fatalf("lookup %+v %v", look, err)
	}
	kiosk := client.New(url, testserver.KioskKey)
	if _, err := kiosk.ReturnTicket(ctx, d.Code, d.LookupPIN); err == nil {
		t.Fatal("a return ticket before the result is ready")
	}
	for _, st := range []intake.Status{intake.Processing, intake.Ready} {
		if _, err := clerk.SetDossierStatus(ctx, d.Code, st, ""); err != nil {
			t.Fatal(err)
		}
	}
	tk, err := kiosk.ReturnTicket(ctx, d.Code, d.LookupPIN)
	if err != nil || tk.ServiceID != "tra_ket_qua" {
		t.Fatalf("return ticket %+v %v", tk, err)
	}
	snap, _ := clerk.State(ctx)
	if len(snap.Tickets) != 1 || snap.Tickets[0].Note != "Trả hồ sơ "+d.Code {
		t.Fatalf("the counter does not see which dossier to hand back: %+v", snap.Tickets)
	}
	if _, err := clerk.SetDossierStatus(ctx, d.Code, intake.Returned, ""); err != nil {
		t.Fatal(err)
	}
	loc, _ := intakeOffice().Location()
	day := d.ReceivedAt.In(loc).Format("2006-01-02")
	reg, err := clerk.Fetch(ctx, "/api/v1/register.pdf?from="+day+"&to="+day)
	if err != nil || !bytes.HasPrefix(reg, []byte("%PDF")) || !strings.Contains(pdftext.Of(t, reg, false), d.Code) {
		t.Fatalf("register: %v", err)
	}
	// The admin's report counts the dossier: returned, ready before its date.
	loc2, _ := intakeOffice().Location()
	var rep struct {
		Total struct {
			Issued int `json:"issued"`
		} `json:"total"`
		Dossiers struct {
			Received   int            `json:"received"`
			ByStatus   map[string]int `json:"by_status"`
			Early      int            `json:"early"`
			OnTime     int            `json:"on_time"`
			OnTimeRate float64        `json:"on_time_rate"`
		} `json:"dossiers"`
	}
	admin0 := client.New(url, "")
	admin0.Login(ctx, testserver.AdminUser, testserver.PIN)
	raw, err := admin0.Fetch(ctx, "/api/v1/admin/report?from="+d.ReceivedAt.In(loc2).Format("2006-01-02")+"&to="+d.ReceivedAt.In(loc2).Format("2006-01-02"))
	if err != nil || json.Unmarshal(raw, &rep) != nil || rep.Dossiers.Received != 1 || rep.Dossiers.ByStatus["returned"] != 1 || rep.Dossiers.ByStatus["incomplete"] != 1 ||
		rep.Dossiers.Early+rep.Dossiers.OnTime != 1 || rep.Dossiers.OnTimeRate != 1 || rep.Total.Issued != 1 {
		t.Fatalf("report %s %v", raw, err)
	}
	// The access log says who opened the dossier; a clerk may not read it.
	if _, err := clerk.Fetch(ctx, "/api/v1/admin/access-log?code="+d.Code); err == nil {
		t.Error("a clerk read the access log")
	}
	admin := client.New(url, "")
	if _, err := admin.Login(ctx, testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	entries, err := admin.Fetch(ctx, "/api/v1/admin/access-log?code="+d.Code)
	if err != nil || !strings.Contains(string(entries), `"action":"view"`) || !strings.Contains(string(entries), `"action":"print mau-01"`) || !strings.Contains(string(entries), `"who":"lan"`) {
		t.Fatalf("access log %s %v", entries, err)
	}
}

// A dossier stopped by law (with its reason, required) prints Mẫu 05 with
// its basis and reason; one in progress has no such form.
func TestStopNotice(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), intakeOffice(), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Trần Văn Bình"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	form := "/api/v1/dossiers/" + code + "/mau-05.pdf"
	if _, err := clerk.Fetch(ctx, form); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Mẫu 05 of a dossier in progress: %v", err)
	}
	if _, err := clerk.SetDossierStatus(ctx, code, intake.Stopped, ""); err == nil {
		t.Error("stopped by law without a reason")
	}
	if _, err := clerk.SetDossierStatus(ctx, code, intake.Stopped, "Cơ quan có thẩm quyền yêu cầu dừng để xác minh"); err != nil {
		t.Fatal(err)
	}
	pdf, err := clerk.Fetch(ctx, form)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftext.Of(t, pdf, true)
	for _, want := range []string{"THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Mẫu số 05", code, "theo quy định của pháp luật", "yêu cầu dừng để xác minh"} {
		if !strings.Contains(text, want) {
			t.Errorf("Mẫu 05 lacks %q:\n%s", want, text)
		}
	}
}

// Each handover of the papers is recorded on the dossier (through the
// writer, with the clerk) and Mẫu 06 lists them; a stopped dossier takes no
// more; a handover without its giver is refused.
func TestControlSlip(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), intakeOffice(), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Lê Thị Cúc"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	for _, h := range []api.HandoverRequest{
		{From: "Bộ phận Một cửa", To: "Công chức Tư pháp - Hộ tịch", Result: "Đủ hồ sơ"},
		{From: "Công chức Tư pháp - Hộ tịch", To: "Chủ tịch UBND (ký)", Result: "Trình ký"},
	} {
		if _, err := clerk.Handover(ctx, code, h); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := clerk.Handover(ctx, code, api.HandoverRequest{To: "ai đó"}); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("a handover without its giver: %v", err)
	}
	v, err := clerk.Dossier(ctx, code)
	if err != nil || len(v.Handovers) != 2 || v.Handovers[1].By != testserver.Clerk {
		t.Fatalf("the dossier's handovers: %+v %v", v.Handovers, err)
	}
	pdf, err := clerk.Fetch(ctx, "/api/v1/dossiers/"+code+"/mau-06.pdf")
	if err != nil {
		t.Fatal(err)
	}
	text := pdftext.Of(t, pdf, true)
	for _, want := range []string{"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 06", code, "Công chức Tư pháp - Hộ tịch", "Chủ tịch UBND (ký)", "Trình ký"} {
		if !strings.Contains(text, want) {
			t.Errorf("Mẫu 06 lacks %q:\n%s", want, text)
		}
	}
	if _, err := clerk.SetDossierStatus(ctx, code, intake.Withdrawn, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.Handover(ctx, code, api.HandoverRequest{From: "a", To: "b"}); err == nil {
		t.Error("a handover recorded after the dossier stopped")
	}
}
