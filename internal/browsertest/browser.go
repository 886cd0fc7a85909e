// Package browsertest drives Debian's headless Chromium for the web pages'
// tests through chromedp (the maintained DevTools driver): open a page,
// evaluate JavaScript in it, wait for what it shows, take its picture.
// Imported by tests only.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	t       testing.TB
	ctx     context.Context // the browser's: each tab is a context made from it
	stop    func()          // ends this browser and removes its profile
	tabs    int             // opened so far
	retried bool            // relaunched once already
}

// Start launches Chromium (autoplay allowed, as TV kiosks are set up) and
// stops it, its profile removed, at the end of the test.
func Start(t testing.TB) *Browser {
	t.Helper()
	b := &Browser{t: t}
	t.Cleanup(func() { b.stop() })
	if err := b.launch(); err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	return b
}

// launch starts the browser process. Debian's /usr/bin/chromium is a shell
// wrapper that adds its desktop flags (GPU rasterisation, extensions): the
// tests run the browser itself when it is there.
func (b *Browser) launch() error {
	bin := "/usr/lib/chromium/chromium"
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("chromium"); err != nil {
			return errors.New("chromium is needed for the web pages' tests (make test installs it: apt-get install chromium)")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	alloc, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, stop := chromedp.NewContext(alloc)
	b.ctx, b.stop = ctx, func() { stop(); stopAlloc() }
	// The first call starts the browser, which lives as long as the context
	// of that call: no timeout on it (chromedp.Run).
	return chromedp.Do(ctx)
}

// crashed tells an error of a browser process that died (Chromium's own
// fault, seen once in CI as a segmentation fault while a first tab opened).
func crashed(err error) bool {
	return err != nil && strings.Contains(err.Error(), "browser process exited")
}

// Page is one tab.
type Page struct {
	t   testing.TB
	ctx context.Context
}

// Open opens address in a new tab. When the browser process dies while its
// first tab opens, the browser is started again once and the tab opened
// anew, said in the test's log: nothing of the test had run in it yet.
func (b *Browser) Open(address string) *Page {
	b.t.Helper()
	p, err := b.open(address)
	if crashed(err) && b.tabs == 0 && !b.retried {
		b.retried = true
		b.t.Logf("chromium exited while opening %s (%v): started again", address, err)
		b.stop()
		if err = b.launch(); err == nil {
			p, err = b.open(address)
		}
	}
	if err != nil {
		b.t.Fatalf("open %s: %v", address, err)
	}
	b.tabs++
	return p
}

func (b *Browser) open(address string) (*Page, error) {
	ctx, closeTab := chromedp.NewContext(b.ctx)
	b.t.Cleanup(closeTab)
	p := &Page{t: b.t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // the tab, for the life of its context
		return nil, fmt.Errorf("new tab: %w", err)
	}
	return p, p.run(chromedp.Navigate(address))
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

// Violation is one finding of axe-core on a page: the rule, its impact
// (minor, moderate, serious, critical), what it says, and where.
type Violation struct {
	ID, Impact, Help string
	Targets          []string
}

// Axe runs axe-core (its source, read from file) in the page against WCAG
// 2.1 A and AA and answers what it found.
func (p *Page) Axe(source []byte) []Violation {
	p.t.Helper()
	if err := p.run(chromedp.Evaluate[chromedp.Void](string(source))); err != nil {
		p.t.Fatalf("load axe-core: %v", err)
	}
	raw, err := get(p, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("axe-core: %v", err)
	}
	var out []Violation
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		p.t.Fatalf("axe-core's answer: %v", err)
	}
	return out
}

// AxeSource is axe-core's script, installed by make test-deps (MOTCUA_AXE;
// else .cache/axe under the module's root).
func AxeSource(t testing.TB) []byte {
	t.Helper()
	path := os.Getenv("MOTCUA_AXE")
	if path == "" {
		dir, _ := os.Getwd()
		for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
		}
		path = filepath.Join(dir, ".cache/axe/node_modules/axe-core/axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is needed for the accessibility tests (make test-deps installs it from npm): %v", err)
	}
	return src
}

// structure are the rules of landmarks and headings an elderly citizen's
// screen reader leans on: checked besides every serious or critical finding.
var structure = map[string]bool{"landmark-one-main": true, "page-has-heading-one": true, "region": true}

// PassesWCAG runs axe-core (source) in the page and fails the test, naming
// the page name, on a serious or critical finding, or one of landmarks and
// headings.
func (p *Page) PassesWCAG(source []byte, name string) {
	p.t.Helper()
	for _, v := range p.Axe(source) {
		if v.Impact == "serious" || v.Impact == "critical" || structure[v.ID] {
			p.t.Errorf("%s: %s (%s) %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "; "))
		}
	}
}
