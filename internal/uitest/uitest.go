// Package uitest finds widgets on a Fyne window for the apps' tests (Fyne's test
// driver taps and types; this finds what to tap and reads what is shown).
// Imported by tests only.
package uitest

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/ui"
)

// Walk calls fn for o and every object under it, through containers, scrolls,
// splits and theme overrides.
func Walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			Walk(c, fn)
		}
	case *container.Scroll:
		Walk(v.Content, fn)
	case *container.Split:
		Walk(v.Leading, fn)
		Walk(v.Trailing, fn)
	case *container.ThemeOverride:
		Walk(v.Content, fn)
	case *widget.Form:
		for _, it := range v.Items {
			Walk(it.Widget, fn)
		}
	}
}

// Pressable is a button of either kind the apps use: widget.Button, or
// ui.WrapButton (whose text wraps).
type Pressable interface {
	fyne.CanvasObject
	fyne.Tappable
	fyne.Disableable
}

// Label is the text of a button of either kind.
func Label(c fyne.CanvasObject) (string, bool) {
	switch b := c.(type) {
	case *widget.Button:
		return b.Text, true
	case *ui.WrapButton:
		return b.Text, true
	}
	return "", false
}

// Button is the first button under o whose text starts with prefix, or nil.
func Button(o fyne.CanvasObject, prefix string) Pressable {
	var found Pressable
	Walk(o, func(c fyne.CanvasObject) {
		if text, ok := Label(c); ok && found == nil && strings.HasPrefix(text, prefix) {
			found = c.(Pressable)
		}
	})
	return found
}

// Buttons lists the texts of every button under o.
func Buttons(o fyne.CanvasObject) []string {
	var out []string
	Walk(o, func(c fyne.CanvasObject) {
		if text, ok := Label(c); ok {
			out = append(out, text)
		}
	})
	return out
}

// Text is every label's and canvas text's text under o, a line each.
func Text(o fyne.CanvasObject) string {
	var b strings.Builder
	Walk(o, func(c fyne.CanvasObject) {
		switch v := c.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		}
	})
	return b.String()
}

// First is the first object of type T under o.
func First[T fyne.CanvasObject](o fyne.CanvasObject) T {
	var found T
	done := false
	Walk(o, func(c fyne.CanvasObject) {
		if t, ok := c.(T); ok && !done {
			found, done = t, true
		}
	})
	return found
}

// Work runs an app's background work (its ui.Bridge's Go) and lets a test wait
// until all of it has finished: a test of "nothing more happened" waits for
// the work to end instead of sleeping.
type Work struct{ wg sync.WaitGroup }

// Go runs f in a goroutine the test can wait for.
func (w *Work) Go(f func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		f()
	}()
}

// Wait returns when every piece of work started so far has finished.
func (w *Work) Wait() { w.wg.Wait() }

// PairingCode is the six-digit code a pairing screen shows ("123 456"), or
// "" when none shows.
func PairingCode(o fyne.CanvasObject) string {
	for _, line := range strings.Split(Text(o), "\n") {
		if len(line) == 7 && line[3] == ' ' && strings.Trim(line[:3]+line[4:], "0123456789") == "" {
			return line[:3] + line[4:]
		}
	}
	return ""
}

// Thread stands for Fyne's one UI thread in tests: an app's updates (the
// Post its Bridge is given) and the test's taps take turns on it.
var Thread sync.Mutex

// OnUI runs f on the tests' UI thread.
func OnUI(f func()) {
	Thread.Lock()
	defer Thread.Unlock()
	f()
}
