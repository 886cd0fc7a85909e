package counter

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/pdftext"
	"motcua/internal/uitest"
)

var khaiSinh = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich",
	Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays},
	Documents:  []catalogue.Document{{Name: "Tờ khai đăng ký khai sinh", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"}}}

// printed collects the PDFs the app hands to the printer.
type printed struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (p *printed) Print(name string, pdf []byte) (Printed, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.files[name] = pdf
	return Printed{File: name, Printer: "lp"}, nil
}

func (p *printed) get() map[string][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string][]byte{}
	for k, v := range p.files {
		out[k] = v
	}
	return out
}

// The clerk receives the called citizen's dossier: search without marks, the
// ID card's QR fills the applicant, papers ticked, Mẫu 01 printed.
func TestIntakeAtTheCounter(t *testing.T) {
	r := newRig(t, office())
	p := &printed{files: map[string][]byte{}}
	r.a.cfg.Print = p.Print
	r.openKhaiSinh()
	uitest.OnUI(func() {
		r.a.ui.intake.cccd.OnSubmitted("001203004567|123456789|Nguyễn Thị Hoa|15081990|Nữ|Số 5 ngõ 12 Hòa Bình|01072021")
	})
	var name, id string
	uitest.OnUI(func() { name, id = r.a.ui.intake.name.Text, r.a.ui.intake.id.Text })
	if name != "Nguyễn Thị Hoa" || id != "001203004567" {
		t.Fatalf("from the card: %q %q", name, id)
	}
	// Only one paper ticked: receiving is refused and says what is missing.
	uitest.OnUI(func() { test.Tap(uitest.First[*widget.Check](r.w.Content())) })
	r.tap("Tiếp nhận — in Mẫu 01")
	r.waitText("Giấy chứng sinh — hãy lập phiếu yêu cầu bổ sung")
	uitest.OnUI(func() {
		for _, c := range r.a.ui.intake.checks {
			c.SetChecked(true)
		}
	})
	r.tap("Tiếp nhận — in Mẫu 01")
	r.waitText("-mau-01.pdf: đã gửi tới máy in")
	files := p.get()
	if len(files) != 1 {
		t.Fatalf("printed %v", files)
	}
	for name, pdf := range files {
		if !strings.HasSuffix(name, "-mau-01.pdf") {
			t.Errorf("printed %s", name)
		}
		text := pdftext.Of(t, pdf, false)
		for _, want := range []string{"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Thị Hoa", "001******567", "Đăng ký khai sinh", "Nguyễn Thị Lan"} {
			if !strings.Contains(text, want) {
				t.Errorf("Mẫu 01 lacks %q", want)
			}
		}
	}
	code := strings.TrimSuffix(strings.Join(keys(files), ""), "-mau-01.pdf")
	d, err := clerkClient(t, r).Dossier(context.Background(), code)
	if err != nil || d.Status != intake.Received || d.Applicant.Name != "Nguyễn Thị Hoa" || d.TicketID == "" || d.Counter != 1 {
		t.Fatalf("stored %+v %v", d, err)
	}
}

// openKhaiSinh logs in, calls a ticket, opens intake (F7) and picks "khai sinh"
// found without marks.
func (r *rig) openKhaiSinh() {
	r.t.Helper()
	r.login()
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.key(fyne.KeyF1)
	r.waitCurrent("1001")
	r.key(fyne.KeyF7)
	r.wait("the catalogue", func() bool { return r.on(func() bool { return len(r.a.procs) > 0 }) })
	uitest.OnUI(func() { test.Type(r.a.ui.intake.search, "khai sinh") })
	r.tap("Đăng ký khai sinh (1.001193)")
}

// receiveAll fills the applicant's name, ticks every paper and receives
// the dossier (Mẫu 01).
func (r *rig) receiveAll() {
	r.t.Helper()
	uitest.OnUI(func() {
		f := r.a.ui.intake
		f.name.SetText("Nguyễn Thị Hoa")
		for _, c := range f.checks {
			c.SetChecked(true)
		}
	})
	r.tap("Tiếp nhận — in Mẫu 01")
	r.waitText("Đã tiếp nhận hồ sơ — Mẫu 01")
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func clerkClient(t *testing.T, r *rig) *client.Client {
	c := client.New(r.url, "")
	if _, err := c.Login(context.Background(), "lan", "2468"); err != nil {
		t.Fatal(err)
	}
	return c
}

// A return ticket brings the citizen whose result is ready: the counter shows
// which dossier to hand back and marks it returned.
func TestHandBackAtTheCounter(t *testing.T) {
	r := newRig(t, office())
	r.login()
	ctx := context.Background()
	c := clerkClient(t, r)
	got, err := c.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Trần Văn B"},
		Received: []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	c.SetDossierStatus(ctx, code, intake.Ready, "")
	if _, err := r.kiosk.ReturnTicket(ctx, code, got.Dossier.LookupPIN); err != nil {
		t.Fatal(err)
	}
	r.waitText("5001")
	r.key(fyne.KeyF1)
	r.waitCurrent("5001")
	r.waitText("Trả kết quả hồ sơ " + code)
	r.tap("Đã trả kết quả")
	r.waitCurrent("")
	if d, _ := c.Dossier(ctx, code); d.Status != intake.Returned {
		t.Fatalf("dossier %s is %s", code, d.Status)
	}
}

// The dossier panel (F8): open by a scanned receipt URL, move along, a
// supplement that restarts the clock, the apology printed once.
func TestDossierPanel(t *testing.T) {
	r := newRig(t, office())
	p := &printed{files: map[string][]byte{}}
	r.a.cfg.Print = p.Print
	r.login()
	ctx := context.Background()
	c := clerkClient(t, r)
	got, err := c.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Lê C", IDNumber: "001203004567"},
		Received: []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code := got.Dossier.Code
	r.key(fyne.KeyF8)
	r.waitText("Hồ sơ: tra cứu")
	uitest.OnUI(func() { r.a.ui.panel.code.OnSubmitted("http://x/tra-cuu?ma=" + code + "&pin=1") })
	r.waitText(code + " — Đăng ký khai sinh")
	r.waitText("001******567") // masked after intake
	r.tap("Đang xử lý")
	r.waitText("Hồ sơ " + code + ": Đang xử lý")
	r.tap("Yêu cầu bổ sung") // a reason is required
	r.waitText("Không thực hiện được")
	uitest.OnUI(func() { r.a.ui.panel.note.SetText("thiếu bản sao giấy kết hôn") })
	r.tap("Yêu cầu bổ sung")
	r.waitText("Hồ sơ " + code + ": Chờ bổ sung")
	r.tap("Đã bổ sung đủ")
	r.waitText("Hồ sơ " + code + ": Đã tiếp nhận")
	d, _ := c.Dossier(ctx, code)
	if !d.ReceivedAt.After(got.Dossier.ReceivedAt) || !d.DueAt.After(got.Dossier.DueAt) && !d.DueAt.Equal(got.Dossier.DueAt) {
		t.Fatalf("the clock did not restart: %v → %v, due %v → %v", got.Dossier.ReceivedAt, d.ReceivedAt, got.Dossier.DueAt, d.DueAt)
	}
	newDue := d.DueAt.Local().AddDate(0, 0, 7)
	uitest.OnUI(func() {
		r.a.ui.panel.note.SetText("chờ cơ quan khác xác minh")
		r.a.ui.panel.due.SetText(newDue.Format("02/01/2006 15:04"))
	})
	r.tap("Xin lỗi, hẹn lại")
	r.waitText(code + "-mau-04.pdf: đã gửi tới máy in")
	if _, ok := p.get()[code+"-mau-04.pdf"]; !ok {
		t.Fatalf("printed %v", keys(p.get()))
	}
	r.tap("Xin lỗi, hẹn lại")
	r.waitText("chỉ một lần")
	r.tap("In sổ theo dõi")
	r.wait("the register", func() bool { return len(p.get()) == 2 })
	// A handover (Mẫu 06): the giver and receiver typed, the note as its result.
	uitest.OnUI(func() {
		r.a.ui.panel.giver.SetText("Bộ phận Một cửa")
		r.a.ui.panel.receiver.SetText("Công chức Tư pháp")
		r.a.ui.panel.note.SetText("đủ hồ sơ")
	})
	r.tap("Ghi giao nhận")
	r.waitText("Giao nhận lần 1: Bộ phận Một cửa → Công chức Tư pháp")
	if d, _ := c.Dossier(ctx, code); len(d.Handovers) != 1 || d.Handovers[0].Result != "đủ hồ sơ" {
		t.Errorf("the handover on the server: %+v", d.Handovers)
	}
	r.tap("In phiếu kiểm soát")
	r.waitText(code + "-mau-06.pdf: đã gửi tới máy in")
	// Withdrawn at the applicant's request: Mẫu 05 is printed at once.
	r.tap("Rút hồ sơ")
	r.waitText(code + "-mau-05.pdf: đã gửi tới máy in")
}

// A catalogue applied in the console while the counter runs is the one the
// next intake searches: no new login, no restart.
func TestIntakeReadsTheCatalogueInForce(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.key(fyne.KeyF1)
	r.waitCurrent("1001")
	r.key(fyne.KeyF7)
	r.wait("the catalogue", func() bool { return r.on(func() bool { return len(r.a.procs) == 1 }) })
	uitest.OnUI(func() { r.a.CancelMode() })
	ketHon := khaiSinh
	ketHon.Code, ketHon.Name = "1.000894", "Đăng ký kết hôn"
	raw, _ := json.Marshal(catalogue.Catalogue{Procedures: []catalogue.Procedure{khaiSinh, ketHon}})
	consolePost(t, r.url, "/admin/catalogue", url.Values{"action": {"apply"}, "file": {"danh-muc.json"}, "content": {string(raw)}})
	r.wait("the catalogue forgotten with the new settings", func() bool { return r.on(func() bool { return r.a.procs == nil }) })
	r.key(fyne.KeyF7)
	r.wait("the new catalogue", func() bool { return r.on(func() bool { return len(r.a.procs) == 2 }) })
	uitest.OnUI(func() { test.Type(r.a.ui.intake.search, "ket hon") })
	r.tap("Đăng ký kết hôn (1.000894)")
}
