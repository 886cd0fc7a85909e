package kiosk

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/uitest"
)

// readyDossier receives a khai sinh dossier as a clerk and makes it ready.
func readyDossier(t *testing.T, url string, ready bool) intake.Dossier {
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	var all []string // every paper of the procedure handed in
	for _, p := range testProcedures {
		if p.Code == "1.001193" {
			for _, d := range p.Documents {
				all = append(all, d.Name)
			}
		}
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: "1.001193", Applicant: intake.Applicant{Name: "Nguyễn Văn A"},
		Received: all, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	if ready {
		for _, st := range []intake.Status{intake.Processing, intake.Ready} {
			if _, err := clerk.SetDossierStatus(ctx, got.Dossier.Code, st, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	return got.Dossier
}

// scanReady makes a ready dossier and scans its receipt's QR on the lookup screen.
func (r *rig) scanReady() {
	r.t.Helper()
	d := readyDossier(r.t, r.url, true)
	r.tap("Nhận kết quả")
	r.waitScreen("lookup")
	uitest.Thread.Lock()
	r.k.ui.scan.OnSubmitted("http://192.168.1.10:8080/tra-cuu?ma=" + d.Code + "&pin=" + d.LookupPIN)
	uitest.Thread.Unlock()
	r.waitLabel("ĐÃ CÓ KẾT QUẢ")
}

func (r *rig) waitLabel(want string) {
	r.t.Helper()
	testwait.Until(r.t, 5*time.Second, func() bool { return strings.Contains(r.labels(), want) },
		func() string { return fmt.Sprintf("no %q on screen:\n%s", want, r.labels()) })
}

// The citizen scans the receipt's QR; the result is ready; one tap gives a
// ticket for the return counter, linked to the dossier.
func TestLookupByScanAndReturnTicket(t *testing.T) {
	r := newRig(t, nil)
	r.scanReady()
	r.tap("Lấy số nhận kết quả")
	r.waitScreen("ticket")
	s := r.state()
	if len(s.Tickets) != 1 || s.Tickets[0].ServiceID != "tra_ket_qua" {
		t.Fatalf("tickets %+v", s.Tickets)
	}
}

// Typed on the on-screen keys: a wrong PIN says so; the right one shows the
// status and, before the result is ready, no ticket button.
func TestLookupTypedNotReady(t *testing.T) {
	r := newRig(t, nil)
	d := readyDossier(t, r.url, false)
	clerk := client.New(r.url, "")
	clerk.Login(context.Background(), testserver.Clerk, testserver.PIN)
	if _, err := clerk.ScanDocument(context.Background(), d.Code, 1, []byte("%PDF-1.4\n%%EOF\n"), "scanner"); err != nil {
		t.Fatal(err)
	}
	r.tap("Nhận kết quả")
	r.waitScreen("lookup")
	for _, ch := range d.Code {
		r.tap(string(ch))
	}
	r.tap("Mã tra cứu")
	wrong := "0000"
	if d.LookupPIN == wrong {
		wrong = "1111"
	}
	for _, ch := range wrong {
		r.tap(string(ch))
	}
	r.tap("Tra cứu")
	r.waitLabel("Không tìm thấy hồ sơ")
	for range len(wrong) {
		r.tap("⌫")
	}
	for _, ch := range d.LookupPIN {
		r.tap(string(ch))
	}
	r.tap("Tra cứu")
	r.waitLabel("Đã tiếp nhận, đang chờ giải quyết")
	// Each paper handed in, digitised or not; the first was scanned.
	r.waitLabel(d.Documents[0].Name + " — ✓ đã số hóa")
	if len(d.Documents) > 1 {
		r.waitLabel(d.Documents[1].Name + " — chưa số hóa")
	}
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	if r.k.look.found == nil || r.k.look.found.Ready {
		t.Fatal("found as ready")
	}
}

func TestParseScan(t *testing.T) {
	for _, tc := range []struct{ in, code, pin string }{
		{"http://x/tra-cuu?ma=XA.01-261124-0002&pin=4821", "XA.01-261124-0002", "4821"},
		{"xa.01-261124-0002 4821", "XA.01-261124-0002", "4821"},
		{"XA.01-261124-0002", "XA.01-261124-0002", ""},
	} {
		if c, p := parseScan(tc.in); c != tc.code || p != tc.pin {
			t.Errorf("parseScan(%q) = %q %q", tc.in, c, p)
		}
	}
}
