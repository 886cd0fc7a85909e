package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// WrapButton is a button whose text wraps at word boundaries instead of
// widening the button: a long procedure name takes two or three lines and the
// window keeps its size (a widget.Button is as wide as its longest line, and
// its window grows with it).
type WrapButton struct {
	widget.DisableableWidget
	Text       string
	Importance widget.Importance
	OnTapped   func()
	// Telling: disabled, the button still says something a citizen must
	// read (why a service takes no ticket now, when it opens): its text
	// keeps the foreground's contrast on the disabled fill.
	Telling bool
	// Scale enlarges the text over the theme's (a keypad's digits: 2); 0 is 1.
	Scale float32

	hovered bool
}

// NewWrapButton returns a wrapping button.
func NewWrapButton(text string, tapped func()) *WrapButton {
	b := &WrapButton{Text: text, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// SetText changes the text.
func (b *WrapButton) SetText(text string) {
	if b.Text == text {
		return
	}
	b.Text = text
	b.Refresh()
}

// Tapped runs OnTapped unless the button is disabled.
func (b *WrapButton) Tapped(*fyne.PointEvent) {
	if !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
}

// MouseIn, MouseMoved and MouseOut show the hover colour.
func (b *WrapButton) MouseIn(*desktop.MouseEvent)    { b.hovered = true; b.Refresh() }
func (b *WrapButton) MouseMoved(*desktop.MouseEvent) {}
func (b *WrapButton) MouseOut()                      { b.hovered = false; b.Refresh() }

// Cursor is the pointer over an enabled button.
func (b *WrapButton) Cursor() desktop.Cursor {
	if b.Disabled() {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

// CreateRenderer draws a rounded background and the wrapped lines.
func (b *WrapButton) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	r := &wrapRenderer{b: b, bg: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

// wrapRenderer wraps the text itself (greedy, at spaces) so that its minimum
// size is known before layout: a word-wrapping widget.RichText asks for one
// word's width and as many lines as that makes, and a button beside a field
// would grow to hundreds of pixels tall.
type wrapRenderer struct {
	b     *WrapButton
	bg    *canvas.Rectangle
	lines []*canvas.Text
	style fyne.TextStyle
	size  float32
	fg    color.Color
	align fyne.TextAlign
}

// minLineWidth is the narrowest a button's lines get, in text heights,
// unless its text is shorter.
const minLineWidth = 8

func (r *wrapRenderer) pad() (x, y float32) {
	p := r.b.Theme().Size(theme.SizeNameInnerPadding)
	return p, p
}

// wrap breaks the text into lines no wider than width.
func (r *wrapRenderer) wrap(width float32) []string {
	var out []string
	for _, para := range strings.Split(r.b.Text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			next := word
			if line != "" {
				next = line + " " + word
			}
			if line != "" && fyne.MeasureText(next, r.size, r.style).Width > width {
				out = append(out, line)
				next = word
			}
			line = next
		}
		out = append(out, line)
	}
	return out
}

// leastWidth is the narrowest the lines may be: the text's own width up to
// minLineWidth text heights, and never less than its longest word.
func (r *wrapRenderer) leastWidth() float32 {
	natural := fyne.MeasureText(r.b.Text, r.size, r.style).Width
	for _, para := range strings.Split(r.b.Text, "\n") {
		natural = fyne.Max(natural, fyne.MeasureText(para, r.size, r.style).Width)
	}
	least := fyne.Min(natural, minLineWidth*r.size)
	for _, word := range strings.Fields(r.b.Text) {
		least = fyne.Max(least, fyne.MeasureText(word, r.size, r.style).Width)
	}
	return least
}

func (r *wrapRenderer) lineHeight() float32 {
	return fyne.MeasureText("Ậg", r.size, r.style).Height
}

// measure reads the text's size and style from the theme in force now: a
// button made before a theme override reached it must not keep the app's.
func (r *wrapRenderer) measure() {
	r.size = r.b.Theme().Size(theme.SizeNameText) * max(1, r.b.Scale)
	r.style = fyne.TextStyle{Bold: r.b.Importance != widget.LowImportance} // as Fyne's buttons
}

func (r *wrapRenderer) Layout(size fyne.Size) {
	r.measure()
	r.bg.Resize(size)
	px, _ := r.pad()
	texts := r.wrap(size.Width - 2*px)
	for len(r.lines) < len(texts) {
		r.lines = append(r.lines, canvas.NewText("", r.fg))
	}
	r.lines = r.lines[:len(texts)]
	h := r.lineHeight()
	top := (size.Height - h*float32(len(texts))) / 2
	for i, t := range texts {
		l := r.lines[i]
		l.Text, l.Color, l.TextSize, l.TextStyle, l.Alignment = t, r.fg, r.size, r.style, r.align
		l.Resize(fyne.NewSize(size.Width-2*px, h))
		l.Move(fyne.NewPos(px, top+h*float32(i)))
		l.Refresh()
	}
}

func (r *wrapRenderer) MinSize() fyne.Size {
	r.measure()
	px, py := r.pad()
	w := r.leastWidth()
	n := len(r.wrap(fyne.Max(w, r.b.Size().Width-2*px))) // as many lines as its width now makes
	th := r.b.Theme()
	h := fyne.Max(r.lineHeight()*float32(n)+2*py, th.Size(theme.SizeNameText)+2*th.Size(theme.SizeNameInnerPadding))
	return fyne.NewSize(w+2*px, h)
}

func (r *wrapRenderer) Refresh() {
	b := r.b
	th := b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg, fg := theme.ColorNameButton, theme.ColorNameForeground
	switch b.Importance {
	case widget.HighImportance:
		bg, fg = theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary
	case widget.SuccessImportance:
		bg, fg = theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
	case widget.WarningImportance:
		bg, fg = theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
	case widget.DangerImportance:
		bg, fg = theme.ColorNameError, theme.ColorNameForegroundOnError
	}
	if b.Disabled() {
		bg, fg = theme.ColorNameDisabledButton, theme.ColorNameDisabled
		if b.Telling {
			fg = theme.ColorNameForeground
		}
	}
	fill, align := th.Color(bg, v), fyne.TextAlignCenter
	if b.Importance == widget.LowImportance { // a label that can be tapped
		fill, align = color.Transparent, fyne.TextAlignLeading
	}
	if b.hovered && !b.Disabled() {
		fill = blend(fill, th.Color(theme.ColorNameHover, v))
	}
	r.bg.FillColor = fill
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bg.Refresh()
	r.fg, r.align = th.Color(fg, v), align
	r.Layout(b.Size())
}

func (r *wrapRenderer) Objects() []fyne.CanvasObject {
	out := []fyne.CanvasObject{r.bg}
	for _, l := range r.lines {
		out = append(out, l)
	}
	return out
}

func (r *wrapRenderer) Destroy() {}

// blend lays the hover colour over c.
func blend(c, over color.Color) color.Color {
	r1, g1, b1, a1 := c.RGBA()
	r2, g2, b2, a2 := over.RGBA()
	k := float64(a2) / 0xffff
	mix := func(x, y uint32) uint8 { return uint8((float64(x)*(1-k) + float64(y)*k) / 0x101) }
	return color.NRGBA{R: mix(r1, r2), G: mix(g1, g2), B: mix(b1, b2), A: uint8(fyne.Max(float32(a1), float32(a2)) / 0x101)}
}

// WrapCheck is a check box with a label that wraps (a long paper's name
// takes two lines instead of widening the form); tapping the label ticks it.
func WrapCheck(text string, changed func(bool)) (*widget.Check, fyne.CanvasObject) {
	c := widget.NewCheck("", changed)
	label := NewWrapButton(text, func() { c.SetChecked(!c.Checked) })
	label.Importance = widget.LowImportance
	return c, container.NewBorder(nil, nil, c, nil, label)
}
