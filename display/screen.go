package display

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"motcua/internal/ui"
	"motcua/internal/voice"
)

// screen draws a Board. The board is redrawn whole twice a second: a TV has
// nothing to type in, and a few dozen texts are cheap.
type screen struct {
	a         *App
	flashOn   bool
	tickerPos int // where a ticker too long for the screen has scrolled to
}

// tickerWidth is how many characters of the ticker fit across the board.
const tickerWidth = 110

// marquee is the ticker as shown now: whole when it fits, else a window that
// moves one character per redraw (twice a second).
func (s *screen) marquee(text string) string {
	r := []rune(text)
	if len(r) <= tickerWidth {
		return text
	}
	loop := append(r, []rune("     ·     ")...)
	s.tickerPos = (s.tickerPos + 1) % len(loop)
	out := make([]rune, 0, tickerWidth)
	for i := range tickerWidth {
		out = append(out, loop[(s.tickerPos+i)%len(loop)])
	}
	return string(out)
}

func newScreen(a *App) *screen { return &screen{a: a} }

var (
	dim     = color.NRGBA{R: 0x9a, G: 0xa4, B: 0xb8, A: 0xff}
	red     = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff}
	panelBG = color.NRGBA{R: 0x16, G: 0x1d, B: 0x2e, A: 0xff}
)

func text(s string, size float32, c color.Color, bold bool) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize, t.TextStyle.Bold = size, bold
	return t
}

func centred(s string, size float32, c color.Color, bold bool) *canvas.Text {
	t := text(s, size, c, bold)
	t.Alignment = fyne.TextAlignCenter
	return t
}

func panel(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(canvas.NewRectangle(panelBG), container.NewPadded(content))
}

// render draws the board; it runs on the UI thread.
func (a *App) render() {
	a.mu.Lock()
	b, ever := a.board, a.ever
	a.mu.Unlock()
	now := a.cfg.Now()
	s := a.ui
	s.flashOn = !s.flashOn

	header := container.NewBorder(nil, nil,
		text(b.Office, 34, ui.BoardText, true), text(now.Format("15:04:05  02/01/2006"), 34, ui.BoardText, true))
	var top fyne.CanvasObject = header
	if ever && !b.Online || !ever {
		msg := "MẤT KẾT NỐI MÁY CHỦ — đang kết nối lại…  /  Lost the server — reconnecting…"
		if !ever {
			msg = "Đang kết nối máy chủ…  /  Connecting to the server…"
		}
		top = container.NewVBox(header, container.NewStack(canvas.NewRectangle(red), centred(msg, 30, ui.BoardText, true)))
	}

	// The new call, large and flashing for HighlightFor; else the latest call.
	var hero fyne.CanvasObject
	if n := b.Highlighted(now); n != nil {
		c := ui.BoardHighlight
		if !s.flashOn {
			c = ui.BoardText
		}
		hero = container.NewVBox(centred("MỜI SỐ", 44, dim, true), centred(n.Display, 220, c, true),
			centred(fmt.Sprintf("ĐẾN QUẦY %d", n.Counter), 96, c, true))
	} else if len(b.Last) > 0 {
		l := b.Last[0]
		hero = container.NewVBox(centred("VỪA GỌI", 40, dim, true), centred(l.Display, 160, ui.BoardText, true),
			centred(fmt.Sprintf("QUẦY %d", l.Counter), 72, ui.BoardText, true))
	} else {
		hero = centred("Xin mời Ông/Bà lấy số và chờ đến lượt", 40, ui.BoardText, false)
	}

	counters := container.NewVBox(container.NewGridWithColumns(2, text("QUẦY", 30, dim, true), text("SỐ", 30, dim, true)))
	for _, c := range b.Counters {
		num, col := c.Display, ui.BoardText
		switch {
		case c.State == "closed" && num == "":
			num, col = "—", dim
		case c.State == "paused" && num == "":
			num, col = "tạm nghỉ", dim
		}
		counters.Add(container.NewGridWithColumns(2, text(fmt.Sprint(c.Number), 44, ui.BoardText, true), text(num, 44, col, true)))
	}

	last := container.NewVBox(text("SỐ VỪA GỌI", 30, dim, true))
	for _, c := range b.Last {
		last.Add(text(fmt.Sprintf("%s → quầy %d", c.Display, c.Counter), 38, ui.BoardText, false))
	}

	waiting := container.NewGridWithColumns(max(1, min(len(b.Services), 3)))
	for _, svc := range b.Services {
		waiting.Add(centred(fmt.Sprintf("%s: %d người chờ", svc.Name, svc.Waiting), 26, ui.BoardText, false))
	}
	bottom := container.NewVBox(waiting)
	if n := b.Highlighted(now); n != nil { // the spoken sentence, for those who cannot hear it
		bottom.Objects = append([]fyne.CanvasObject{centred(voice.Caption(b.Display().Template, n.Display, n.Counter), 34, ui.BoardHighlight, true)}, bottom.Objects...)
	}
	if b.Ticker != "" {
		bottom.Add(centred(s.marquee(b.Ticker), 28, ui.BoardHighlight, false))
	}

	body := container.NewGridWithColumns(2, panel(container.NewCenter(hero)), container.NewGridWithColumns(2, panel(counters), panel(last)))
	a.win.SetContent(container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil,
		container.New(layout.NewPaddedLayout(), body)))
}
