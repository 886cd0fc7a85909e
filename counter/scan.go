package counter

import (
	"context"
	"fmt"
	"image"
	"os"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/scan"
	"motcua/internal/ui"
)

// The scan step (số hóa hồ sơ, Circular 03/2025 art. 5): after a dossier is
// received, or from the dossier panel, each paper handed in is scanned page
// by page from the counter's scanner (F9 scans a page), the last page shown
// to check, re-taken or dropped, and saved as one PDF of that paper; or
// taken from the folder a network scanner saves into; or marked exempt for
// one of the Circular's reasons. Once the result is ready, it can be
// attached the same way as the electronic result.

// ScanServer is what the scan step needs of the server.
type ScanServer interface {
	ScanDocument(ctx context.Context, code string, n int, pdf []byte, source string) (api.DossierView, error)
	ExemptDocument(ctx context.Context, code string, n int, e intake.Exemption) (api.DossierView, error)
	AttachResult(ctx context.Context, code string, pdf []byte) (api.DossierView, error)
}

// resultPaper is the scan step's target for the electronic result.
const resultPaper = -1

// scanStep is the scan step's state while it is open.
type scanStep struct {
	d      intake.Dossier
	cfg    queue.ScanConfig
	target int      // the paper being scanned (index in d.Documents), or resultPaper
	pages  [][]byte // its pages so far, JPEG at the office's settings
	last   image.Image
	folder *scan.File // a file taken from the watched folder, to send as it is

	list    *fyne.Container
	current *widget.Label
	preview *canvas.Image
	save    *widget.Button
}

// OpenScan opens the scan step for a dossier.
func (a *App) OpenScan(v api.DossierView) {
	if a.screen != screenWork || !a.live.Online || a.busy {
		return
	}
	a.scanning = &scanStep{d: v.Dossier, cfg: v.Scan, target: firstUndone(v.Dossier)}
	a.openMode(modeScan)
	a.render()
}

// firstUndone is the first paper handed in with neither a scan nor an
// exemption (the result when the papers are done and it is ready).
func firstUndone(d intake.Dossier) int {
	for i, doc := range d.Documents {
		if doc.Received && doc.ScanState() == "" {
			return i
		}
	}
	if d.Result == nil && (d.Status == intake.Ready || d.Status == intake.Returned) {
		return resultPaper
	}
	for i, doc := range d.Documents {
		if doc.Received {
			return i
		}
	}
	return resultPaper
}

func (w *widgets) buildScan() form {
	a, st := w.a, w.a.scanning
	if st == nil {
		return form{}
	}
	st.list, st.current = container.NewVBox(), widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	st.current.Wrapping = fyne.TextWrapWord
	st.preview = canvas.NewImageFromImage(nil)
	st.preview.FillMode = canvas.ImageFillContain
	st.preview.SetMinSize(fyne.NewSize(300, 424)) // A4's proportions
	page := ui.NewWrapButton(a.tr("scan page"), a.ScanPage)
	page.Importance = widget.HighImportance
	st.save = widget.NewButton("", a.SaveScan)
	st.save.Importance = widget.SuccessImportance
	tools := container.NewGridWithColumns(2, page, ui.NewWrapButton(a.tr("retake page"), a.RetakePage),
		ui.NewWrapButton(a.tr("drop page"), a.DropPage), ui.NewWrapButton(a.tr("from folder"), a.FromFolder))
	w.fillScan()
	// The papers and the tools on the left, the last page as large as fits
	// on the right, where the clerk checks it is straight and whole.
	return form{title: fmt.Sprintf(a.tr("scan title"), st.d.Code),
		body: container.NewBorder(nil, nil, nil, st.preview,
			container.NewVBox(st.list, widget.NewSeparator(), st.current, tools)),
		buttons: container.NewGridWithColumns(2, st.save, widget.NewButton(a.tr("scan done"), a.CancelMode))}
}

// fillScan shows each paper's state, the one being scanned, its last page.
func (w *widgets) fillScan() {
	a, st := w.a, w.a.scanning
	if st == nil || st.list == nil {
		return
	}
	st.list.Objects = nil
	names := make([]string, len(intake.Exemptions))
	for i, e := range intake.Exemptions {
		vi, en := e.Words()
		names[i] = a.pick(vi, en)
	}
	row := func(i int, label, state string, exempt bool) {
		pick := ui.NewWrapButton(label+" — "+state, func() { w.a.chooseTarget(i) })
		if i == st.target {
			pick.Importance = widget.HighImportance
		}
		if !exempt {
			st.list.Add(pick)
			return
		}
		sel := widget.NewSelect(names, func(s string) {
			if k := slices.Index(names, s); k >= 0 {
				w.a.Exempt(i, intake.Exemptions[k])
			}
		})
		sel.PlaceHolder = a.tr("exempt because")
		st.list.Add(container.NewBorder(nil, nil, nil, sel, pick))
	}
	for i, doc := range st.d.Documents {
		if !doc.Received {
			continue
		}
		row(i, fmt.Sprintf("%d. %s", i+1, doc.Name), a.paperState(doc.Scan, doc.Exempt), doc.Scan == nil)
	}
	if st.d.Status == intake.Ready || st.d.Status == intake.Returned {
		row(resultPaper, a.tr("e-result"), a.paperState(st.d.Result, ""), false)
	}
	name := a.tr("e-result")
	if st.target >= 0 {
		name = st.d.Documents[st.target].Name
	}
	switch {
	case st.folder != nil:
		st.current.SetText(fmt.Sprintf(a.tr("scanning folder"), name, st.folder.Name))
	default:
		st.current.SetText(fmt.Sprintf(a.tr("scanning paper"), name, len(st.pages)))
	}
	st.preview.Image = st.last
	st.preview.Refresh()
	n := len(st.pages)
	if st.folder != nil {
		n = 1
	}
	st.save.SetText(fmt.Sprintf(a.tr("save scan"), n))
	enable(st.save, n > 0 && !a.busy)
	st.list.Refresh()
	w.formArea.Refresh()
}

// paperState says what a paper has: its scan (pages), its exemption, or nothing yet.
func (a *App) paperState(s *intake.Scan, e intake.Exemption) string {
	switch {
	case s != nil && s.Erased:
		return a.tr("scan erased")
	case s != nil:
		return fmt.Sprintf(a.tr("scanned pages"), s.Pages)
	case e != "":
		vi, en := e.Words()
		return a.tr("exempt") + ": " + a.pick(vi, en)
	}
	return a.tr("not scanned")
}

func (a *App) chooseTarget(i int) {
	st := a.scanning
	if st == nil || a.busy {
		return
	}
	if st.target != i {
		st.target, st.pages, st.last, st.folder = i, nil, nil, nil
	}
	a.ui.fillScan()
}

// scanOp runs a slow step (the scanner, the server) off the UI thread; the
// scan step stays open.
func (a *App) scanOp(do func(ctx context.Context, st *scanStep) (func(), error)) {
	st := a.scanning
	if st == nil || a.busy || a.mode != modeScan {
		return
	}
	a.busy = true
	a.say(a.tr("scan working"), false)
	a.render()
	a.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a page of an old scanner
		defer cancel()
		then, err := do(ctx, st)
		a.cfg.UI.Post(func() {
			a.busy = false
			if err != nil {
				a.say(a.errText(err), true)
			} else {
				then()
			}
			a.ui.fillScan()
			a.render()
		})
	})
}

// ScanPage scans one more page of the paper (F9).
func (a *App) ScanPage() {
	if a.mode != modeScan {
		return
	}
	if a.cfg.Scanner == nil {
		a.say(a.tr("no scanner"), true)
		a.render()
		return
	}
	sc := *a.cfg.Scanner
	a.scanOp(func(ctx context.Context, st *scanStep) (func(), error) {
		img, err := sc.Page(ctx, st.cfg)
		if err != nil {
			return nil, err
		}
		return a.addPage(st, img, nil)
	})
}

// addPage compresses a page at the settings and, once done (then, with
// taken: the folder's file is moved first), adds it to the paper's pages.
func (a *App) addPage(st *scanStep, img image.Image, taken func() error) (func(), error) {
	jpg, err := scan.JPEG(img, st.cfg)
	if err != nil {
		return nil, err
	}
	if taken != nil {
		if err := taken(); err != nil {
			return nil, err
		}
	}
	return func() {
		st.pages, st.last, st.folder = append(st.pages, jpg), img, nil
		a.say(fmt.Sprintf(a.tr("page scanned"), len(st.pages)), false)
	}, nil
}

// RetakePage scans the last page again (crooked, cut off, blurred).
func (a *App) RetakePage() {
	if st := a.scanning; st != nil && len(st.pages) > 0 && !a.busy {
		a.dropLast()
		a.ScanPage()
	}
}

// DropPage removes the last page scanned.
func (a *App) DropPage() {
	if st := a.scanning; st != nil && !a.busy {
		a.dropLast()
		a.say("", false)
		a.ui.fillScan()
		a.render()
	}
}

func (a *App) dropLast() {
	st := a.scanning
	switch {
	case st.folder != nil:
		st.folder = nil
	case len(st.pages) > 0:
		st.pages = st.pages[:len(st.pages)-1]
	}
	st.last = nil
	if n := len(st.pages); n > 0 {
		st.last, _ = scan.DecodePage(st.pages[n-1])
	}
}

// FromFolder takes the newest file the network scanner saved: a PDF is the
// whole paper; a picture is one more page.
func (a *App) FromFolder() {
	if a.mode != modeScan {
		return
	}
	if a.cfg.ScanFolder == "" {
		a.say(a.tr("no folder"), true)
		a.render()
		return
	}
	folder, now := a.cfg.ScanFolder, a.cfg.Now()
	a.scanOp(func(ctx context.Context, st *scanStep) (func(), error) {
		files, err := folder.Waiting(now)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return func() { a.say(a.tr("folder empty"), true) }, nil
		}
		f := files[0]
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return nil, err
		}
		if f.PDF {
			if _, err := scan.Check(data); err != nil {
				return nil, err
			}
			return func() { st.pages, st.last, st.folder = nil, nil, &f }, nil
		}
		img, err := scan.DecodePage(data)
		if err != nil {
			return nil, err
		}
		return a.addPage(st, img, func() error { return folder.Take(f) })
	})
}

// SaveScan sends the paper's pages as one PDF (or the folder's PDF as it
// is) and moves on to the next paper not yet done.
func (a *App) SaveScan() {
	folder := a.cfg.ScanFolder
	a.scanOp(func(ctx context.Context, st *scanStep) (func(), error) {
		var pdf []byte
		source := "scanner"
		if st.folder != nil {
			data, err := os.ReadFile(st.folder.Path)
			if err != nil {
				return nil, err
			}
			pdf, source = data, "folder"
		} else {
			var err error
			if pdf, err = scan.PDF(st.pages, st.cfg.DPI); err != nil {
				return nil, err
			}
		}
		var v api.DossierView
		var err error
		if st.target == resultPaper {
			v, err = a.srv.AttachResult(ctx, st.d.Code, pdf)
		} else {
			v, err = a.srv.ScanDocument(ctx, st.d.Code, st.target+1, pdf, source)
		}
		if err != nil {
			return nil, err
		}
		if st.folder != nil {
			folder.Take(*st.folder) // stored: never taken twice
		}
		return func() {
			saved := st.target
			st.d, st.pages, st.last, st.folder = v.Dossier, nil, nil, nil
			st.target = firstUndone(st.d)
			a.say(fmt.Sprintf(a.tr("scan saved"), a.paperName(saved), bytesText(int64(len(pdf)))), false)
		}, nil
	})
}

// Exempt records why paper i is not scanned.
func (a *App) Exempt(i int, e intake.Exemption) {
	a.scanOp(func(ctx context.Context, st *scanStep) (func(), error) {
		v, err := a.srv.ExemptDocument(ctx, st.d.Code, i+1, e)
		if err != nil {
			return nil, err
		}
		return func() {
			st.d = v.Dossier
			if st.target == i {
				st.target, st.pages, st.last = firstUndone(st.d), nil, nil
			}
			a.say(fmt.Sprintf(a.tr("exempt saved"), a.paperName(i)), false)
		}, nil
	})
}

func (a *App) paperName(i int) string {
	if st := a.scanning; st != nil && i >= 0 && i < len(st.d.Documents) {
		return st.d.Documents[i].Name
	}
	return a.tr("e-result")
}

// bytesText is a file's size as a clerk reads it.
func bytesText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
