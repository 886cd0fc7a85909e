package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A wrapping button asks for at most minLineWidth text heights of width (or
// its longest word), grows taller when laid out narrow, and ignores taps while
// disabled.
func TestWrapButton(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(TouchTheme())
	long := "Liên thông thủ tục đăng ký khai sinh, thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi"
	taps := 0
	b := NewWrapButton(long, func() { taps++ })
	w := test.NewWindow(b)
	defer w.Close()
	least := b.MinSize()
	if limit := float32(minLineWidth*TouchText + 2*32); least.Width > limit {
		t.Errorf("asks for %.0f px of width, more than %.0f", least.Width, limit)
	}
	b.Resize(fyne.NewSize(800, least.Height))
	two := b.MinSize().Height
	b.Resize(fyne.NewSize(300, least.Height))
	if narrow := b.MinSize().Height; narrow <= two {
		t.Errorf("300 px wide it asks for %.0f px of height, 800 px wide %.0f", narrow, two)
	}
	short := NewWrapButton("OK", nil)
	test.NewWindow(short).Close()
	if s := short.MinSize(); s.Width >= least.Width {
		t.Errorf("a short label asks for %.0f px, as much as a long one", s.Width)
	}
	test.Tap(b)
	b.Disable()
	test.Tap(b)
	if taps != 1 {
		t.Errorf("%d taps counted, want 1 (the disabled one ignored)", taps)
	}
}
