package kiosk

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/client"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// Outside a service's hours its button says so in words, before a tap:
// after closing, that it has closed for the day; before opening, when it
// opens; the other services go on as usual.
func TestClosedServiceSaysWhenItOpens(t *testing.T) {
	saved := testOffice
	t.Cleanup(func() { testOffice = saved })
	testOffice = office()
	testOffice.Services[1].Opens, testOffice.Services[1].Closes = "07:30", "11:30" // Chứng thực, mornings only
	r := newRig(t, nil)                                                            // its clock: 16:00 in the office
	buttonOf := func(name string) string { return r.text(name) }
	testwait.Until(t, 5*time.Second, func() bool {
		return strings.Contains(buttonOf("Chứng thực"), "Đã hết giờ cấp số hôm nay")
	},
		func() string { return fmt.Sprintf("after closing: %q", buttonOf("Chứng thực")) })
	uitest.Thread.Lock()
	closed, _ := r.button("Chứng thực").(*ui.WrapButton)
	readable := closed != nil && closed.Disabled() && closed.Telling // an elderly citizen reads it: not greyed out
	uitest.Thread.Unlock()
	if !readable {
		t.Errorf("the closed service's button is not a disabled one that keeps its text readable: %+v", closed)
	}
	if got := buttonOf("Hộ tịch"); strings.Contains(got, "giờ") {
		t.Errorf("a service without hours: %q", got)
	}
	r.clock.Add(14*time.Hour + 30*time.Minute)                                                                   // 06:30 the next morning
	if _, err := client.New(r.url, testserver.KioskKey).Issue(context.Background(), "ho_tich", ""); err != nil { // an event: the screen is drawn again
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, func() bool {
		return strings.Contains(buttonOf("Chứng thực"), "Chưa đến giờ — mở cấp số lúc 07:30")
	},
		func() string { return fmt.Sprintf("before opening: %q", buttonOf("Chứng thực")) })
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" { // make screenshots
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		r.w.Resize(fyne.NewSize(1080, 1400))
		uitest.Shot(t, r.w.Canvas(), dir, "kiosk-before-opening.png")
	}
}
