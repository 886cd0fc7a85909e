// Package rating is the citizen's rating screen beside a counter: another
// device with another audience than the clerk's app (a second window of
// motcua-counter, or a tablet running motcua-counter --rating).
package rating

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// Server is what the rating screen needs: the feed, and sending a rating
// with the key of the rating device paired to the counter.
type Server interface {
	Subscribe(ctx context.Context, fn func(api.Update))
	Rate(ctx context.Context, n int, ticketID, option string, reasons []string) (queue.Rating, error)
	Status(ctx context.Context, printer string) error
}

// Config is the rating screen's setting.
type Config struct {
	Counter   int
	ThanksFor time.Duration // the thank-you stays this long; default 5 s
	// Theme draws this window (the citizen's: large); nil keeps the app's.
	Theme fyne.Theme
	Now   func() time.Time
	// UI runs feed updates, timers and answers on the UI goroutine, where the
	// screen's state lives (the zero value: fyne.Do and plain goroutines).
	UI ui.Bridge
	// Refused is called when the server no longer takes the device's key
	// (the admin revoked it): ui.Device then pairs again. nil does nothing.
	Refused func()
}

// Screen is the citizen-facing screen beside a counter. After the clerk
// finishes, it shows the clerk's name and counter and asks for a rating. It has
// nothing the clerk could use to close, skip or answer it: only the citizen's
// choices, and the server's deadline, end it ("no rating" is recorded then).
type Screen struct {
	win fyne.Window
	srv Server
	cfg Config

	live     api.Live // the server's state, from the feed
	answered string   // the ticket already rated here
	chosen   string   // an option that needs reasons, waiting for them
	reasons  []string
	sending  bool
	thanks   time.Time // the thank-you shows until then
	msg      string
	lang     string
	shown    string // the screen drawn last, to redraw only on change

	box     *fyne.Container // the rows shown now
	langBtn *widget.Button
	head    *widget.Label // the top line, beside the language: who serves, and the time left
}

// New builds the rating screen in win.
func New(win fyne.Window, srv Server, cfg Config) *Screen {
	if cfg.ThanksFor <= 0 {
		cfg.ThanksFor = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &Screen{win: win, srv: srv, cfg: cfg}
	r.build()
	win.SetCloseIntercept(func() {}) // nobody closes the citizen's screen
	r.render()
	return r
}

// Start follows the feed and the clock until ctx ends.
func (r *Screen) Start(ctx context.Context) {
	go r.srv.Subscribe(ctx, func(u api.Update) { r.cfg.UI.Post(func() { r.Apply(u) }) })
	ui.Every(ctx, time.Second, r.cfg.UI.Post, r.render)
	ui.Heartbeat(ctx, 0, func() string { return "none" }, r.srv.Status) // the tablet prints nothing
}

// Apply takes one feed update.
func (r *Screen) Apply(u api.Update) {
	if u.Unauthorized && r.cfg.Refused != nil {
		r.cfg.Refused()
		return
	}
	r.live.Apply(u)
	r.render()
}

// pending is the counter's open rating request, if the screen should ask.
func (r *Screen) pending() (queue.Counter, bool) {
	if r.live.Snap == nil {
		return queue.Counter{}, false
	}
	i := slices.IndexFunc(r.live.Snap.Counters, func(c queue.Counter) bool { return c.Number == r.cfg.Counter })
	if i < 0 {
		return queue.Counter{}, false
	}
	c := r.live.Snap.Counters[i]
	return c, c.RatingFor != "" && c.RatingFor != r.answered && r.cfg.Now().Before(c.RatingUntil)
}

// Showing names what the screen shows: "idle", "ask", "reasons" or "thanks".
// Like every method of Screen, call it on the UI goroutine.
func (r *Screen) Showing() string {
	if r.cfg.Now().Before(r.thanks) {
		return "thanks"
	}
	if _, ok := r.pending(); ok {
		if r.chosen != "" {
			return "reasons"
		}
		return "ask"
	}
	r.chosen, r.reasons = "", nil
	return "idle"
}

// Choose takes the citizen's answer; one that needs reasons asks for them first.
func (r *Screen) Choose(option string) {
	if r.live.Snap == nil || r.sending {
		return
	}
	i := slices.IndexFunc(r.live.Snap.Rating.Options, func(o queue.RatingOption) bool { return o.ID == option })
	if i < 0 {
		return
	}
	if r.live.Snap.Rating.Options[i].NeedsReason {
		r.chosen, r.reasons, r.msg = option, nil, ""
		r.render()
		return
	}
	r.send(option, nil)
}

// ToggleReason ticks or unticks a reason.
func (r *Screen) ToggleReason(id string) {
	if i := slices.Index(r.reasons, id); i >= 0 {
		r.reasons = slices.Delete(r.reasons, i, i+1)
	} else {
		r.reasons = append(r.reasons, id)
	}
	if len(r.reasons) > 0 {
		r.msg = "" // the "choose a reason" prompt has been answered
	}
	r.render()
}

// Back leaves the reasons for the answers again: the citizen may change
// their mind about "Không hài lòng".
func (r *Screen) Back() {
	r.chosen, r.reasons, r.msg = "", nil, ""
	r.render()
}

// SendReasons sends the chosen answer with its reasons (at least one).
func (r *Screen) SendReasons() {
	option, reasons := r.chosen, slices.Clone(r.reasons)
	if len(reasons) == 0 {
		r.msg = r.tr("need reason")
		r.render()
		return
	}
	r.send(option, reasons)
}

func (r *Screen) send(option string, reasons []string) {
	c, ok := r.pending()
	if !ok || r.sending {
		return
	}
	r.sending = true
	r.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := r.srv.Rate(ctx, r.cfg.Counter, c.RatingFor, option, reasons)
		r.cfg.UI.Post(func() {
			r.sending = false
			if err != nil {
				e := problem.As(err)
				r.msg = e.Message + " / " + e.MessageEN
			} else {
				r.answered, r.chosen, r.reasons, r.msg = c.RatingFor, "", nil, ""
				r.thanks = r.cfg.Now().Add(r.cfg.ThanksFor)
			}
			r.shown = "" // redraw
			r.render()
		})
	})
}

var texts = ui.Texts{
	"welcome":     {"Xin kính chào Ông/Bà", "Welcome"},
	"counter":     {"Quầy %d — Cán bộ %s", "Counter %d — %s"},
	"number":      {"Số %s", "Number %s"},
	"question":    {"Ông/Bà có hài lòng với việc phục vụ?", "Were you satisfied with the service?"},
	"why":         {"Vì sao Ông/Bà chưa hài lòng? (chọn một hoặc nhiều)", "Why were you not satisfied? (choose one or more)"},
	"send":        {"Gửi đánh giá", "Send"},
	"back":        {"Quay lại", "Back"},
	"need reason": {"Vui lòng chọn ít nhất một lý do", "Please choose at least one reason"},
	"thanks":      {"Cảm ơn Ông/Bà đã đánh giá!", "Thank you for your rating!"},
	"left":        {"còn %d giây", "%d s left"},
	"offline":     {"Mất kết nối máy chủ", "No connection to the server"},
	"language":    {"English", "Tiếng Việt"},
}

func (r *Screen) tr(key string) string { return texts.In(r.lang == "en", key) }

// ToggleLanguage switches the citizen's screen between Vietnamese and English.
func (r *Screen) ToggleLanguage() {
	if r.lang == "en" {
		r.lang = ""
	} else {
		r.lang = "en"
	}
	r.shown = ""
	r.render()
}

// render redraws when what is shown changes (the countdown once a second).
func (r *Screen) render() {
	screen := r.Showing()
	c, _ := r.pending()
	left := int(c.RatingUntil.Sub(r.cfg.Now()).Seconds() + 0.5)
	key := fmt.Sprintf("%s|%s|%d|%v|%s|%v|%v|%v", screen, c.RatingFor, left, r.reasons, r.msg, r.live.Online, r.sending, r.live.Snap != nil)
	if key == r.shown {
		return
	}
	r.shown = key
	tr := r.tr
	pick := func(vi, en string) string { return ui.Pick(r.lang == "en", vi, en) }
	big := func(s string, size float32) *canvas.Text { return ui.Big(s, size, true) }
	label := func(s string) *widget.Label {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	r.langBtn.SetText(tr("language"))
	box := r.box
	box.Objects = nil
	r.head.SetText("")
	switch screen {
	case "thanks":
		box.Add(big(tr("thanks"), 48))
	case "idle":
		office := ""
		if r.live.Snap != nil {
			office = pick(r.live.Snap.Office, r.live.Snap.OfficeEN)
		}
		box.Add(big(tr("welcome"), 44))
		box.Add(label(office))
		box.Add(label(fmt.Sprintf("%s %d", pick("Quầy", "Counter"), r.cfg.Counter)))
	case "ask", "reasons":
		// At the top, always in sight; the rows below fit a 900×700 tablet.
		r.head.SetText(fmt.Sprintf(tr("counter"), c.Number, c.ClerkName) + " · " + fmt.Sprintf(tr("left"), max(left, 0)))
		box.Add(big(fmt.Sprintf(tr("number"), c.RatingNumber), 40))
		if screen == "ask" {
			box.Add(big(tr("question"), 32))
			for _, o := range r.live.Snap.Rating.Options {
				b := widget.NewButton(pick(o.Label, o.LabelEN), func() { r.Choose(o.ID) })
				b.Importance = widget.HighImportance
				if o.NeedsReason {
					b.Importance = widget.DangerImportance
				}
				box.Add(b)
			}
		} else {
			box.Add(big(tr("why"), 28))
			grid := container.NewGridWithColumns(2) // two columns: the reasons and the buttons fit the tablet
			box.Add(grid)
			for _, o := range r.live.Snap.Rating.Reasons {
				text := pick(o.Label, o.LabelEN)
				if slices.Contains(r.reasons, o.ID) {
					text = "✓ " + text
				}
				b := ui.NewWrapButton(text, func() { r.ToggleReason(o.ID) })
				if slices.Contains(r.reasons, o.ID) {
					b.Importance = widget.HighImportance
				}
				grid.Add(b)
			}
			if r.msg != "" { // in the screen, by the button it is about
				box.Add(label(r.msg))
			}
			send := widget.NewButton(tr("send"), r.SendReasons)
			send.Importance = widget.SuccessImportance
			box.Add(container.NewGridWithColumns(2, widget.NewButton(tr("back"), r.Back), send))
		}
	}
	if r.msg != "" && screen != "reasons" {
		box.Add(label(r.msg))
	}
	if !r.live.Online {
		warn := canvas.NewText(tr("offline"), color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff})
		warn.Alignment = fyne.TextAlignCenter
		box.Add(warn)
	}
	r.win.Content().Refresh() // the same widgets, laid out again for the new rows
}

// build makes the window's content once; render changes its rows.
func (r *Screen) build() {
	r.box = container.NewVBox()
	r.langBtn = widget.NewButton("", r.ToggleLanguage)
	r.head = widget.NewLabel("")
	r.head.Wrapping = fyne.TextWrapWord
	var content fyne.CanvasObject = container.NewBorder(container.NewBorder(nil, nil, nil, r.langBtn, r.head), nil, nil, nil,
		container.NewVBox(layout.NewSpacer(), r.box, layout.NewSpacer())) // the full width: the wrapped lines and the buttons span it
	if r.cfg.Theme != nil {
		content = container.NewThemeOverride(content, r.cfg.Theme)
	}
	r.win.SetContent(content)
}
