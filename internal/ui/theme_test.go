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
