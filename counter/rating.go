package counter

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"sync"
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

// RatingServer is what the rating screen needs: the feed, and sending a rating
// with the key of the rating device paired to the counter.
type RatingServer interface {
	Subscribe(ctx context.Context, fn func(api.Update))
	Rate(ctx context.Context, n int, ticketID, option string, reasons []string) (queue.Rating, error)
}

// RatingConfig is the rating screen's setting.
type RatingConfig struct {
	Counter   int
	ThanksFor time.Duration // the thank-you stays this long; default 5 s
	// Theme draws this window (the citizen's: large); nil keeps the app's.
	Theme fyne.Theme
	Now   func() time.Time
	Do    func(func())
}

// Rating is the citizen-facing screen beside a counter (a second window of the
// counter app, or a tablet running motcua-counter --rating). After the clerk
// finishes, it shows the clerk's name and counter and asks for a rating. It has
// nothing the clerk could use to close, skip or answer it: only the citizen's
// choices, and the server's deadline, end it ("no rating" is recorded then).
type Rating struct {
	win fyne.Window
	srv RatingServer
	cfg RatingConfig

	mu       sync.Mutex
	live     api.Live // the server's state, from the feed
	answered string   // the ticket already rated here
	chosen   string   // an option that needs reasons, waiting for them
	reasons  []string
	sending  bool
	thanks   time.Time // the thank-you shows until then
	msg      string
	lang     string
	shown    string // the screen drawn last, to redraw only on change
}

// NewRating builds the rating screen in win.
func NewRating(win fyne.Window, srv RatingServer, cfg RatingConfig) *Rating {
	if cfg.ThanksFor <= 0 {
		cfg.ThanksFor = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	r := &Rating{win: win, srv: srv, cfg: cfg}
	win.SetCloseIntercept(func() {}) // nobody closes the citizen's screen
	r.render()
	return r
}

// Start follows the feed and the clock until ctx ends.
func (r *Rating) Start(ctx context.Context) {
	go r.srv.Subscribe(ctx, func(u api.Update) { r.cfg.Do(func() { r.Apply(u) }) })
	ui.Every(ctx, time.Second, r.cfg.Do, r.render)
}

// Apply takes one feed update.
func (r *Rating) Apply(u api.Update) {
	r.mu.Lock()
	r.live.Apply(u)
	r.mu.Unlock()
	r.render()
}

// pending is the counter's open rating request, if the screen should ask.
func (r *Rating) pendingLocked() (queue.Counter, bool) {
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

// Screen names what the screen shows: "idle", "ask", "reasons" or "thanks".
func (r *Rating) Screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.screenLocked()
}

func (r *Rating) screenLocked() string {
	if r.cfg.Now().Before(r.thanks) {
		return "thanks"
	}
	if _, ok := r.pendingLocked(); ok {
		if r.chosen != "" {
			return "reasons"
		}
		return "ask"
	}
	r.chosen, r.reasons = "", nil
	return "idle"
}

// Choose takes the citizen's answer; one that needs reasons asks for them first.
func (r *Rating) Choose(option string) {
	r.mu.Lock()
	if r.live.Snap == nil || r.sending {
		r.mu.Unlock()
		return
	}
	i := slices.IndexFunc(r.live.Snap.Rating.Options, func(o queue.RatingOption) bool { return o.ID == option })
	if i < 0 {
		r.mu.Unlock()
		return
	}
	if r.live.Snap.Rating.Options[i].NeedsReason {
		r.chosen, r.reasons, r.msg = option, nil, ""
		r.mu.Unlock()
		r.render()
		return
	}
	r.mu.Unlock()
	r.send(option, nil)
}

// ToggleReason ticks or unticks a reason.
func (r *Rating) ToggleReason(id string) {
	r.mu.Lock()
	if i := slices.Index(r.reasons, id); i >= 0 {
		r.reasons = slices.Delete(r.reasons, i, i+1)
	} else {
		r.reasons = append(r.reasons, id)
	}
	r.mu.Unlock()
	r.render()
}

// SendReasons sends the chosen answer with its reasons (at least one).
func (r *Rating) SendReasons() {
	r.mu.Lock()
	option, reasons := r.chosen, slices.Clone(r.reasons)
	if len(reasons) == 0 {
		r.msg = r.trLocked("need reason")
		r.mu.Unlock()
		r.render()
		return
	}
	r.mu.Unlock()
	r.send(option, reasons)
}

func (r *Rating) send(option string, reasons []string) {
	r.mu.Lock()
	c, ok := r.pendingLocked()
	if !ok || r.sending {
		r.mu.Unlock()
		return
	}
	r.sending = true
	r.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := r.srv.Rate(ctx, r.cfg.Counter, c.RatingFor, option, reasons)
		r.cfg.Do(func() {
			r.mu.Lock()
			r.sending = false
			if err != nil {
				e := problem.As(err)
				r.msg = e.Message + " / " + e.MessageEN
			} else {
				r.answered, r.chosen, r.reasons, r.msg = c.RatingFor, "", nil, ""
				r.thanks = r.cfg.Now().Add(r.cfg.ThanksFor)
			}
			r.mu.Unlock()
			r.shown = "" // redraw
			r.render()
		})
	}()
}

var ratingTexts = map[string][2]string{
	"welcome":     {"Xin kính chào Ông/Bà", "Welcome"},
	"counter":     {"Quầy %d — Cán bộ %s", "Counter %d — %s"},
	"number":      {"Số %s", "Number %s"},
	"question":    {"Ông/Bà có hài lòng với việc phục vụ?", "Were you satisfied with the service?"},
	"why":         {"Vì sao Ông/Bà chưa hài lòng? (chọn một hoặc nhiều)", "Why were you not satisfied? (choose one or more)"},
	"send":        {"Gửi đánh giá", "Send"},
	"need reason": {"Vui lòng chọn ít nhất một lý do", "Please choose at least one reason"},
	"thanks":      {"Cảm ơn Ông/Bà đã đánh giá!", "Thank you for your rating!"},
	"left":        {"Còn %d giây", "%d s left"},
	"offline":     {"Mất kết nối máy chủ", "No connection to the server"},
	"language":    {"English", "Tiếng Việt"},
}

func (r *Rating) trLocked(key string) string {
	if r.lang == "en" {
		return ratingTexts[key][1]
	}
	return ratingTexts[key][0]
}

// ToggleLanguage switches the citizen's screen between Vietnamese and English.
func (r *Rating) ToggleLanguage() {
	r.mu.Lock()
	if r.lang == "en" {
		r.lang = ""
	} else {
		r.lang = "en"
	}
	r.shown = ""
	r.mu.Unlock()
	r.render()
}

// render redraws when what is shown changes (the countdown once a second).
func (r *Rating) render() {
	r.mu.Lock()
	screen := r.screenLocked()
	c, _ := r.pendingLocked()
	left := int(c.RatingUntil.Sub(r.cfg.Now()).Seconds() + 0.5)
	key := fmt.Sprintf("%s|%s|%d|%v|%s|%v|%v|%v", screen, c.RatingFor, left, r.reasons, r.msg, r.live.Online, r.sending, r.live.Snap != nil)
	if key == r.shown {
		r.mu.Unlock()
		return
	}
	r.shown = key
	tr := r.trLocked
	pick := func(vi, en string) string {
		if r.lang == "en" && en != "" {
			return en
		}
		return vi
	}
	big := func(s string, size float32) *canvas.Text { return ui.Big(s, size, true) }
	label := func(s string) *widget.Label {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	lang := widget.NewButton(tr("language"), r.ToggleLanguage)
	box := container.NewVBox()
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
		box.Add(label(fmt.Sprintf(tr("counter"), c.Number, c.ClerkName)))
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
			for _, o := range r.live.Snap.Rating.Reasons {
				text := pick(o.Label, o.LabelEN)
				if slices.Contains(r.reasons, o.ID) {
					text = "✓ " + text
				}
				b := widget.NewButton(text, func() { r.ToggleReason(o.ID) })
				if slices.Contains(r.reasons, o.ID) {
					b.Importance = widget.HighImportance
				}
				box.Add(b)
			}
			send := widget.NewButton(tr("send"), r.SendReasons)
			send.Importance = widget.SuccessImportance
			box.Add(send)
		}
		box.Add(label(fmt.Sprintf(tr("left"), max(left, 0))))
	}
	if r.msg != "" {
		box.Add(label(r.msg))
	}
	if !r.live.Online {
		warn := canvas.NewText(tr("offline"), color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff})
		warn.Alignment = fyne.TextAlignCenter
		box.Add(warn)
	}
	r.mu.Unlock()
	var content fyne.CanvasObject = container.NewBorder(container.NewHBox(layout.NewSpacer(), lang), nil, nil, nil, container.NewCenter(box))
	if r.cfg.Theme != nil {
		content = container.NewThemeOverride(content, r.cfg.Theme)
	}
	r.win.SetContent(content)
}
