// Package ui holds what the Fyne apps share: the touch theme for kiosks and
// counters, and the high-contrast theme for waiting-room boards. Fyne's bundled
// font renders every Vietnamese letter form, so the themes keep it.
package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Sizes of the touch theme: text as large as a phone's large setting, buttons
// well over 64 px tall, for elderly citizens and people new to touchscreens.
const (
	TouchText     = 28
	TouchHeading  = 44
	TouchPadding  = 12
	TouchIconSize = 36
)

// touch is a theme that embeds Fyne's default and changes only sizes.
type touch struct{ fyne.Theme }

// TouchTheme returns the kiosk and counter theme, light variant by default.
func TouchTheme() fyne.Theme { return touch{theme.DefaultTheme()} }

func (t touch) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameText:
		return TouchText
	case theme.SizeNameHeadingText:
		return TouchHeading
	case theme.SizeNameSubHeadingText:
		return 34
	case theme.SizeNameCaptionText:
		return 22
	case theme.SizeNamePadding:
		return TouchPadding
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNameInlineIcon:
		return TouchIconSize
	case theme.SizeNameInputBorder:
		return 3
	}
	return t.Theme.Size(name)
}

// board is the waiting-room theme: white and yellow on near-black, readable
// across a room.
type board struct{ touch }

// BoardTheme returns the display board's high-contrast dark theme.
func BoardTheme() fyne.Theme { return board{touch{theme.DefaultTheme()}} }

// Board colours, also used by the board's own widgets.
var (
	BoardBackground = color.NRGBA{R: 0x0b, G: 0x0f, B: 0x1a, A: 0xff}
	BoardText       = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	BoardHighlight  = color.NRGBA{R: 0xff, G: 0xd6, B: 0x0a, A: 0xff}
)

func (b board) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch name {
	case theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
		return BoardBackground
	case theme.ColorNameForeground:
		return BoardText
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return BoardHighlight
	}
	return b.touch.Theme.Color(name, theme.VariantDark)
}

func (b board) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameText:
		return 40
	case theme.SizeNameHeadingText:
		return 72
	}
	return b.touch.Size(name)
}

// desk is the clerk's theme: a desktop worked all day with a keyboard, with more
// on screen than a kiosk, still larger than Fyne's default.
type desk struct{ fyne.Theme }

// DeskText is the clerk's body text size.
const DeskText = 18

// CounterTheme returns the clerk's theme.
func CounterTheme() fyne.Theme { return desk{theme.DefaultTheme()} }

func (d desk) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case theme.SizeNameText:
		return DeskText
	case theme.SizeNameHeadingText:
		return 28
	case theme.SizeNameInnerPadding:
		return 12
	}
	return d.Theme.Size(name)
}
