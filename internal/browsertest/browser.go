// Package browsertest drives Debian's headless Chromium for the web pages'
// tests through chromedp (the maintained DevTools driver): open a page,
// evaluate JavaScript in it, wait for what it shows, take its picture.
// Imported by tests only.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	t   testing.TB
	ctx context.Context // the browser's: each tab is a context made from it
}

// Start launches Chromium (autoplay allowed, as TV kiosks are set up) and
// stops it, its profile removed, at the end of the test.
func Start(t testing.TB) *Browser {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is needed for the web pages' tests (make test installs it: apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, stop := chromedp.NewContext(alloc)
	t.Cleanup(func() { stop(); stopAlloc() })
	// The first call starts the browser, which lives as long as the context
	// of that call: no timeout on it (chromedp.Run).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	return &Browser{t: t, ctx: ctx}
}

// Page is one tab.
type Page struct {
	t   testing.TB
	ctx context.Context
}

// Open opens address in a new tab.
func (b *Browser) Open(address string) *Page {
	b.t.Helper()
	ctx, closeTab := chromedp.NewContext(b.ctx)
	b.t.Cleanup(closeTab)
	p := &Page{t: b.t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // the tab, for the life of its context
		b.t.Fatalf("new tab: %v", err)
	}
	if err := p.run(chromedp.Navigate(address)); err != nil {
		b.t.Fatalf("open %s: %v", address, err)
	}
	return p
}

// run runs actions in the tab, each call within 20 s.
func (p *Page) run(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// get runs one action that answers a value, within 20 s.
func get[T any](p *Page, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// Front brings the tab to the front (a TV shows the board in front: media
// plays there).
func (p *Page) Front() {
	p.t.Helper()
	if err := p.run(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.BringToFront, cdp.Empty{})
		return err
	})); err != nil {
		p.t.Fatalf("bring to front: %v", err)
	}
}

// Eval evaluates a JavaScript expression in the page and returns its value as
// a string ("" when it throws or is undefined).
func (p *Page) Eval(expr string) string {
	p.t.Helper()
	got, err := p.eval(expr)
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return got
}

func (p *Page) eval(expr string) (string, error) {
	return get(p, chromedp.Evaluate[string]("(function(){try{var v=("+expr+");return v===undefined||v===null?'':String(v)}catch(e){return ''}})()"))
}

// Screenshot sets the viewport to width×height and returns the page as PNG.
func (p *Page) Screenshot(width, height int) []byte {
	p.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	err := p.run(chromedp.EmulateViewport(int64(width), int64(height), opts...), chromedp.Sleep(300*time.Millisecond)) // one layout and paint
	var png []byte
	if err == nil {
		png, err = get(p, chromedp.CaptureScreenshot())
	}
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	return png
}

// Wait polls expr until it returns want (or contains it, when want starts
// with "~"), and returns how long that took. An evaluation that fails while
// the page navigates (a form's submit, a link followed) is polled again:
// the next one sees the new page.
func (p *Page) Wait(expr, want string, limit time.Duration) time.Duration {
	p.t.Helper()
	start := time.Now()
	for {
		got, err := p.eval(expr)
		if err == nil && (got == want || strings.HasPrefix(want, "~") && strings.Contains(got, want[1:])) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			if err != nil {
				got = fmt.Sprintf("(%v)", err)
			}
			p.t.Fatalf("after %s, %s = %q, want %q", limit, expr, got, want)
		}
		if errors.Is(err, context.Canceled) {
			p.t.Fatalf("evaluate %s: %v", expr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
