package kiosk

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/printout"
	"motcua/internal/testwait"
	"motcua/internal/uitest"
	"motcua/internal/version"
)

func staffPIN(t *testing.T) func(*Config) {
	hash, err := bcrypt.GenerateFromPassword([]byte("8642"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) { c.StaffPIN = string(hash) }
}

func (r *rig) typePIN(pin string) {
	for _, d := range pin {
		r.tap(string(d))
	}
	r.tap("OK")
}

// Staff reprint a ticket printed here; the copy says it is one.
func TestStaffReprint(t *testing.T) {
	addr, jobs := fakePrinter(t)
	r := newRig(t, thermal(addr), staffPIN(t))
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	first := printed(t, jobs)
	r.tap("Về trang chủ")
	r.waitScreen("home")

	r.tap("Cán bộ")
	r.waitScreen("staff-pin")
	r.typePIN("1111")
	if r.screen() != "staff-pin" || !strings.Contains(r.labels(), "Sai mã PIN") {
		t.Fatalf("a wrong PIN: screen %q, %q", r.screen(), r.labels())
	}
	r.typePIN("8642")
	r.waitScreen("staff")
	if !strings.Contains(r.labels(), "motcua-kiosk "+version.String()) { // what the technician reads: which build runs here
		t.Errorf("the staff screen does not say the version: %q", r.labels())
	}
	r.tap("In lại số 1001")
	again := printed(t, jobs)
	if again.Bounds().Dy() <= first.Bounds().Dy() {
		t.Fatalf("the reprint should carry the extra BẢN IN LẠI line: %d vs %d px", again.Bounds().Dy(), first.Bounds().Dy())
	}
	testwait.Until(t, 5*time.Second, func() bool { return strings.Contains(r.labels(), "Đã in lại số 1001") }, func() string { return fmt.Sprintf("no outcome shown: %q", r.labels()) })
	if s := r.state(); len(s.Tickets) != 1 {
		t.Errorf("a reprint issued a ticket: %+v", s.Tickets)
	}
}

func TestStaffPINLocks(t *testing.T) {
	r := newRig(t, nil, staffPIN(t))
	r.tap("Cán bộ")
	for range staffTries {
		r.typePIN("0000")
	}
	r.typePIN("8642") // right, but locked
	if r.screen() != "staff-pin" || !strings.Contains(r.labels(), "thử lại sau 1 phút") {
		t.Fatalf("after %d wrong PINs: screen %q", staffTries, r.screen())
	}
	r.clock.Add(staffLock + time.Second)
	r.typePIN("8642")
	r.waitScreen("staff")
}

func TestNoStaffButtonWithoutPIN(t *testing.T) {
	r := newRig(t, nil)
	for _, l := range []string{"Cán bộ", "Staff"} {
		uitest.Thread.Lock()
		found := uitest.Button(r.w.Content(), l) != nil
		uitest.Thread.Unlock()
		if found {
			t.Errorf("button %q shown without a staff PIN", l)
		}
	}
}

// An office without a printer saves each ticket as a PDF.
func TestTicketSavedAsPDF(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, printout.Folder{Dir: dir, Format: "pdf"})
	r.tap("Chứng thực")
	r.waitScreen("ticket")
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	if data, _ := os.ReadFile(files[0]); !strings.HasPrefix(string(data), "%PDF-1.4") {
		t.Fatal("not a PDF")
	}
}

func TestLandscape(t *testing.T) {
	r := newRig(t, nil, func(c *Config) { c.Landscape = true })
	r.tap("Tìm thủ tục")
	r.waitScreen("search")
	r.tap("K")
	r.tap("H")
	r.tap("A")
	r.tap("Đăng ký khai sinh")
	r.waitScreen("guide")
	r.tap("Lấy số thứ tự")
	r.waitScreen("ticket")
}
