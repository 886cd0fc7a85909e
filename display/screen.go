package display

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"motcua/internal/ui"
	"motcua/internal/voice"
)

// screen draws a Board into widgets made once; each redraw (twice a second,
// and on every feed update) changes their texts and the rows of the lists in
// place, so the window's content is never replaced.
type screen struct {
	a         *App
	flashOn   bool
	tickerPos int // where a ticker too long for the screen has scrolled to

	office, clock, banner   *canvas.Text
	bannerBox               *fyne.Container
	heroTitle, heroNum      *canvas.Text
	heroCounter             *canvas.Text
	counters, last, waiting *fyne.Container
	caption, ticker         *canvas.Text
	root                    *fyne.Container
	cols                    int  // columns of the waiting counts
	changed                 bool // a text or a list changed size: lay out again
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

func newScreen(a *App) *screen {
	s := &screen{a: a,
		office: text("", 34, ui.BoardText, true), clock: text("", 34, ui.BoardText, true),
		banner:    centred("", 30, ui.BoardText, true),
		heroTitle: centred("", 44, dim, true), heroNum: centred("", 220, ui.BoardText, true), heroCounter: centred("", 96, ui.BoardText, true),
		counters: container.NewVBox(), last: container.NewVBox(), waiting: container.NewGridWithColumns(1),
		caption: centred("", 34, ui.BoardHighlight, true), ticker: centred("", 28, ui.BoardHighlight, false),
	}
	s.bannerBox = container.NewStack(canvas.NewRectangle(red), s.banner)
	top := container.NewVBox(container.NewBorder(nil, nil, s.office, s.clock), s.bannerBox)
	hero := container.NewCenter(container.NewVBox(s.heroTitle, s.heroNum, s.heroCounter))
	body := container.NewGridWithColumns(2, panel(hero), container.NewGridWithColumns(2, panel(s.counters), panel(s.last)))
	bottom := container.NewVBox(s.caption, s.waiting, s.ticker)
	s.root = container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil,
		container.New(layout.NewPaddedLayout(), body))
	a.win.SetContent(s.root)
	return s
}

// setText changes a text only when it differs (a refresh costs a redraw).
func (s *screen) setText(t *canvas.Text, text string, c color.Color, size float32) {
	if t.Text != text || t.Color != c || t.TextSize != size {
		s.changed = s.changed || t.Text != text || t.TextSize != size
		t.Text, t.Color, t.TextSize = text, c, size
		t.Refresh()
	}
}

// render draws the board; it runs on the UI goroutine.
func (a *App) render() {
	b, now, s := a.Board(), a.cfg.Now(), a.ui
	s.flashOn = !s.flashOn
	s.setText(s.office, b.Office, ui.BoardText, 34)
	zone := time.Local
	if a.live.Snap != nil {
		zone = ui.Zone(a.live.Snap.TimeZone)
	}
	s.setText(s.clock, now.In(zone).Format("15:04:05  02/01/2006"), ui.BoardText, 34)
	switch {
	case !a.ever:
		s.setText(s.banner, "Đang kết nối máy chủ…  /  Connecting to the server…  ("+ui.About("display")+")", ui.BoardText, 30)
		s.showBanner(true)
	case !b.Online:
		s.setText(s.banner, "MẤT KẾT NỐI MÁY CHỦ — đang kết nối lại…  /  Lost the server — reconnecting…", ui.BoardText, 30)
		s.showBanner(true)
	default:
		s.showBanner(false)
	}

	// The new call, large and flashing for HighlightFor; else the latest call.
	switch n := b.Highlighted(now); {
	case n != nil:
		c := ui.BoardHighlight
		if !s.flashOn {
			c = ui.BoardText
		}
		s.setText(s.heroTitle, "MỜI SỐ", dim, 44)
		s.setText(s.heroNum, n.Display, c, 220)
		s.setText(s.heroCounter, fmt.Sprintf("ĐẾN QUẦY %d", n.Counter), c, 96)
		s.setText(s.caption, voice.Caption(b.Display().Template, n.Display, n.Counter), ui.BoardHighlight, 34) // for those who cannot hear it
	case len(b.Last) > 0:
		l := b.Last[0]
		s.setText(s.heroTitle, "VỪA GỌI", dim, 40)
		s.setText(s.heroNum, l.Display, ui.BoardText, 160)
		s.setText(s.heroCounter, fmt.Sprintf("QUẦY %d", l.Counter), ui.BoardText, 72)
		s.setText(s.caption, "", ui.BoardHighlight, 34)
	default:
		s.setText(s.heroTitle, "", dim, 40)
		s.setText(s.heroNum, "Xin mời Ông/Bà lấy số và chờ đến lượt", ui.BoardText, 40)
		s.setText(s.heroCounter, "", ui.BoardText, 72)
		s.setText(s.caption, "", ui.BoardHighlight, 34)
	}

	rows := []fyne.CanvasObject{container.NewGridWithColumns(2, text("QUẦY", 30, dim, true), text("SỐ", 30, dim, true))}
	for _, c := range b.Counters {
		num, col := c.Display, ui.BoardText
		switch {
		case c.State == "closed" && num == "":
			num, col = "—", dim
		case c.State == "paused" && num == "":
			num, col = "tạm nghỉ", dim
		}
		rows = append(rows, container.NewGridWithColumns(2, text(fmt.Sprint(c.Number), 44, ui.BoardText, true), text(num, 44, col, true)))
	}
	s.setRows(s.counters, rows)
	rows = []fyne.CanvasObject{text("SỐ VỪA GỌI", 30, dim, true)}
	for _, c := range b.Last {
		rows = append(rows, text(fmt.Sprintf("%s → quầy %d", c.Display, c.Counter), 38, ui.BoardText, false))
	}
	s.setRows(s.last, rows)
	rows = nil
	for _, svc := range b.Services {
		rows = append(rows, centred(fmt.Sprintf("%s: %d người chờ", svc.Name, svc.Waiting), 26, ui.BoardText, false))
	}
	if cols := max(1, min(len(b.Services), 3)); cols != s.cols {
		s.waiting.Layout, s.cols, s.changed = layout.NewGridLayoutWithColumns(cols), cols, true
	}
	s.setRows(s.waiting, rows)
	s.setText(s.ticker, s.marquee(b.Ticker), ui.BoardHighlight, 28)
	if s.changed { // the same widgets, laid out again for their new sizes
		s.changed = false
		s.root.Refresh()
	}
}

// setRows replaces a list's rows when what they say changed.
func (s *screen) setRows(c *fyne.Container, rows []fyne.CanvasObject) {
	if len(rows) == len(c.Objects) && sameTexts(rows, c.Objects) {
		return
	}
	c.Objects, s.changed = rows, true
}

// sameTexts compares two lists of rows by the texts they show.
func sameTexts(a, b []fyne.CanvasObject) bool {
	for i := range a {
		if textsOf(a[i]) != textsOf(b[i]) {
			return false
		}
	}
	return true
}

func textsOf(o fyne.CanvasObject) string {
	switch v := o.(type) {
	case *canvas.Text:
		return v.Text + "\x00" + fmt.Sprint(v.Color)
	case *fyne.Container:
		out := ""
		for _, c := range v.Objects {
			out += textsOf(c) + "\x01"
		}
		return out
	}
	return ""
}

func (s *screen) showBanner(on bool) {
	if s.bannerBox.Visible() == on {
		return
	}
	if on {
		s.bannerBox.Show()
	} else {
		s.bannerBox.Hide()
	}
	s.changed = true
}
