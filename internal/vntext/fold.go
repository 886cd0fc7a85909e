// Package vntext handles Vietnamese text for search and typing: folding away
// tone marks and letter marks so "khai sinh" (typed without marks, or in capitals)
// finds "Đăng ký khai sinh", and Telex typing for an on-screen keyboard.
// Decomposition uses golang.org/x/text/unicode/norm (already in the module graph
// through Fyne; Unicode tables are not ours to keep).
package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s, removes every Vietnamese mark (tones, ă â ê ô ơ ư, đ → d)
// and collapses runs of spaces and punctuation into one space.
func Fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining mark: tone, breve, circumflex, horn
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Match reports whether every word of query starts a word of text, both folded:
// "khai sinh", "KHAI SINH", "kh si" and "khai sinh" match "Đăng ký khai sinh";
// an empty query matches everything.
func Match(query, text string) bool {
	words := strings.Fields(Fold(text))
	for _, q := range strings.Fields(Fold(query)) {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
