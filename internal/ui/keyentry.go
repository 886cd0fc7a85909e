package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// KeyEntry is a text field that leaves the function keys (F1–F12) and Escape
// to the window: a clerk's shortcuts work whatever field has the cursor (a
// plain widget.Entry keeps them, and the app seems frozen).
type KeyEntry struct {
	widget.Entry
	onKey func(*fyne.KeyEvent)
}

// NewKeyEntry returns a field whose function keys and Escape go to onKey.
func NewKeyEntry(onKey func(*fyne.KeyEvent)) *KeyEntry {
	e := &KeyEntry{onKey: onKey}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey hands function keys and Escape to the window, the rest to the text.
func (e *KeyEntry) TypedKey(k *fyne.KeyEvent) {
	if windowKey(k.Name) && e.onKey != nil {
		e.onKey(k)
		return
	}
	e.Entry.TypedKey(k)
}

func windowKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyEscape, fyne.KeyF1, fyne.KeyF2, fyne.KeyF3, fyne.KeyF4, fyne.KeyF5, fyne.KeyF6,
		fyne.KeyF7, fyne.KeyF8, fyne.KeyF9, fyne.KeyF10, fyne.KeyF11, fyne.KeyF12:
		return true
	}
	return false
}

// keyEntryWidth caps the width a field asks for: Fyne sizes a field to its
// placeholder, and a long hint would widen the form and then the window.
// The field still takes all the width its layout gives it.
const keyEntryWidth = 120

// MinSize is the field's height, and at most keyEntryWidth of its width.
func (e *KeyEntry) MinSize() fyne.Size {
	s := e.Entry.MinSize()
	s.Width = fyne.Min(s.Width, keyEntryWidth)
	return s
}
