package counter

import "fyne.io/fyne/v2"

// shortcuts are the work screen's keys, shown on the buttons.
var shortcuts = map[fyne.KeyName]func(*App){
	fyne.KeyF1:     (*App).Next,
	fyne.KeyF2:     (*App).Recall,
	fyne.KeyF3:     (*App).NoShow,
	fyne.KeyF4:     (*App).OpenTransfer,
	fyne.KeyF5:     (*App).Finish,
	fyne.KeyF6:     (*App).TogglePause,
	fyne.KeyF7:     (*App).OpenIntake,
	fyne.KeyF8:     (*App).OpenDossiers,
	fyne.KeyEscape: (*App).CancelMode,
}

// typedKey runs a shortcut (the canvas gets keys no focused field took).
func (a *App) typedKey(ev *fyne.KeyEvent) {
	if a.Screen() != "work" {
		return
	}
	if f, ok := shortcuts[ev.Name]; ok {
		f(a)
	}
}
