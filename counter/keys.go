package counter

import (
	"fyne.io/fyne/v2"

	"motcua/internal/api"
)

// shortcut is the work screen's action for a key, shown on the buttons; the
// keys work from any field (ui.KeyEntry hands them to typedKey).
func shortcut(k fyne.KeyName) func(*App) {
	switch k {
	case fyne.KeyF1:
		return (*App).Next
	case fyne.KeyF2:
		return (*App).Recall
	case fyne.KeyF3:
		return (*App).NoShow
	case fyne.KeyF4:
		return (*App).OpenTransfer
	case fyne.KeyF5:
		return (*App).Finish
	case fyne.KeyF6:
		return (*App).TogglePause
	case fyne.KeyF7:
		return (*App).OpenIntake
	case fyne.KeyF8:
		return (*App).OpenDossiers
	case fyne.KeyF9:
		return (*App).ScanKey
	case fyne.KeyEscape: // leaves a form
		return (*App).CancelMode
	}
	return nil
}

// typedKey runs a shortcut: the canvas's keys, and a field's function keys.
func (a *App) typedKey(ev *fyne.KeyEvent) {
	if a.screen != screenWork {
		return
	}
	if f := shortcut(ev.Name); f != nil {
		f(a)
	}
}

// ScanKey (F9) scans a page in the scan step; after a dossier is received,
// or with one open on the dossier panel, it opens the scan step for it.
func (a *App) ScanKey() {
	switch {
	case a.mode == modeScan:
		a.ScanPage()
	case a.mode == modeResult && a.result != nil && a.result.kind == "receive":
		a.OpenScan(a.result.view)
	case a.mode == modeDossier && a.ui.panel != nil && a.ui.panel.shown != nil:
		a.OpenScan(api.DossierView{Dossier: *a.ui.panel.shown, Scan: a.ui.panel.scan})
	}
}
