package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestTouchButtonsAreLargeEnough(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(TouchTheme())
	b := widget.NewButton("Đăng ký khai sinh", nil)
	w := test.NewWindow(b)
	defer w.Close()
	if h := b.MinSize().Height; h < 64 {
		t.Errorf("touch button is %.0f px tall, want at least 64", h)
	}
	l := widget.NewLabel("Hộ tịch – Chứng thực")
	if h := l.MinSize().Height; h < TouchText {
		t.Errorf("label is %.0f px tall, want at least the %d px text", h, TouchText)
	}
}

func TestBoardContrast(t *testing.T) {
	bt := BoardTheme()
	fg := luminance(bt.Color(theme.ColorNameForeground, theme.VariantLight))
	bg := luminance(bt.Color(theme.ColorNameBackground, theme.VariantLight))
	if ratio := (fg + 0.05) / (bg + 0.05); ratio < 7 {
		t.Errorf("board contrast %.1f:1, want at least 7:1 (WCAG AAA)", ratio)
	}
	if bt.Size(theme.SizeNameText) <= TouchTheme().Size(theme.SizeNameText) {
		t.Error("board text is not larger than the touch text")
	}
}

// luminance is the WCAG relative luminance, rough sRGB.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func TestTexts(t *testing.T) {
	tx := Texts{"hi": {"Xin chào %s", "Hello %s"}, "vi only": {"Chỉ tiếng Việt", ""}}
	cases := []struct {
		english   bool
		key, want string
	}{
		{false, "hi", "Xin chào %s"},
		{true, "hi", "Hello %s"},
		{true, "vi only", "Chỉ tiếng Việt"},
		{false, "missing", "missing"},
	}
	for _, c := range cases {
		if got := tx.In(c.english, c.key); got != c.want {
			t.Errorf("In(%v, %q) = %q, want %q", c.english, c.key, got, c.want)
		}
	}
	if got := tx.Inf(true, "hi", "Lan"); got != "Hello Lan" {
		t.Errorf("Inf = %q", got)
	}
	if Pick(true, "Hộ tịch", "") != "Hộ tịch" || Pick(true, "Hộ tịch", "Civil status") != "Civil status" || Pick(false, "Hộ tịch", "Civil status") != "Hộ tịch" {
		t.Error("Pick chose the wrong language")
	}
}
