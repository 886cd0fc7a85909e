package kiosk

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/receipt"
	"motcua/internal/uitest"
)

// labels is the text shown on the window.
func (r *rig) labels() string {
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	return uitest.Text(r.w.Content())
}

// openGuide searches "khai sinh" and opens the procedure's guide.
func (r *rig) openGuide() {
	r.t.Helper()
	r.tap("Tìm thủ tục")
	r.waitScreen("search")
	r.waitProcedures()
	for _, k := range "KHAI" {
		r.tap(string(k))
	}
	r.tap("Đăng ký khai sinh")
	r.waitScreen("guide")
}

// The guide shows the catalogue's documents, fee and time, and prints the
// documents under the ticket when asked.
func TestGuidePrintsTheChecklist(t *testing.T) {
	addr, jobs := fakePrinter(t)
	r := newRig(t, thermal(addr))
	r.openGuide()
	text := r.labels()
	for _, want := range []string{"Nộp tại: Hộ tịch — quầy 1", "Tờ khai đăng ký khai sinh (1 bản chính)", "Giấy chứng sinh (1 bản chính)", "Lệ phí: miễn", "Trả kết quả trong ngày"} {
		if !strings.Contains(text, want) {
			t.Errorf("guide lacks %q:\n%s", want, text)
		}
	}
	r.tap("Lấy số và in danh sách giấy tờ")
	r.waitScreen("ticket")
	paper := printed(t, jobs)
	uitest.Thread.Lock()
	sent := r.k.recent[0]
	uitest.Thread.Unlock()
	if sent.Procedure != "Đăng ký khai sinh" || strings.Join(sent.Checklist, "|") != "Tờ khai đăng ký khai sinh (1 bản chính)|Giấy chứng sinh (1 bản chính)" {
		t.Fatalf("printed ticket %+v", sent)
	}
	plain := sent
	plain.Checklist, plain.Procedure = nil, ""
	with, _ := receipt.Render(sent, 576)
	without, _ := receipt.Render(plain, 576)
	if paper.Bounds().Dy() != with.Bounds().Dy() || with.Bounds().Dy() <= without.Bounds().Dy()+60 {
		t.Errorf("printed %d px tall; with the list %d, without %d", paper.Bounds().Dy(), with.Bounds().Dy(), without.Bounds().Dy())
	}
}

func TestGuideTakeWithoutListAndBack(t *testing.T) {
	r := newRig(t, nil)
	r.openGuide()
	if strings.Contains(r.labels(), "in danh sách") {
		t.Error("a kiosk without a printer offers to print")
	}
	r.tap("Quay lại")
	r.waitScreen("search")
	r.tap("Đăng ký khai sinh")
	r.waitScreen("guide")
	r.clock.Add(31 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	r.waitScreen("home") // an idle guide goes home
	r.openGuide()
	r.tap("Lấy số thứ tự")
	r.waitScreen("ticket")
	if s := r.state(); len(s.Tickets) != 1 || s.Tickets[0].ServiceID != "ho_tich" || s.Tickets[0].State != queue.Waiting {
		t.Fatalf("tickets %+v", s.Tickets)
	}
}

func TestSearchWithCatalogue(t *testing.T) {
	snap := &queue.Snapshot{Services: []queue.ServiceStatus{
		{ID: "ho_tich", Name: "Hộ tịch", Procedures: []string{"Đăng ký khai sinh", "Đăng ký kết hôn"}},
		{ID: "chung_thuc", Name: "Chứng thực"},
	}}
	procs := procedures()
	for _, tc := range []struct {
		query string
		want  []string // titles; * marks a catalogue procedure (with a guide)
	}{
		{"khai sinh", []string{"*Đăng ký khai sinh"}}, // listed once, from the catalogue
		{"dang ky", []string{"*Đăng ký khai sinh", "Đăng ký kết hôn"}},
		{"birth", []string{"*Đăng ký khai sinh"}},
		{"1.0011", []string{"*Đăng ký khai sinh"}},
		{"ho tich", []string{"Hộ tịch"}},
	} {
		var got []string
		for _, h := range search(snap, procs, tc.query) {
			title := h.Title
			if h.Proc != nil {
				title = "*" + title
			}
			got = append(got, title)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("search %q = %q, want %q", tc.query, got, tc.want)
		}
	}
}
