package ui

import "fmt"

// Texts is an app's table of sentences: key → {Vietnamese, English}. Every
// screen's words come from one, so that the English toggle changes them all.
type Texts map[string][2]string

// In returns the sentence key in Vietnamese, or in English when english is set
// and the table has an English sentence. A missing key reads as itself, so a
// typo shows on screen (and in tests) instead of a blank.
func (t Texts) In(english bool, key string) string {
	s, ok := t[key]
	switch {
	case !ok:
		return key
	case english && s[1] != "":
		return s[1]
	}
	return s[0]
}

// Inf is In with fmt.Sprintf's arguments.
func (t Texts) Inf(english bool, key string, args ...any) string {
	return fmt.Sprintf(t.In(english, key), args...)
}

// Pick returns en when english is set and en is not empty, else vi: names
// that come with both languages (services, priority classes, procedures).
func Pick(english bool, vi, en string) string {
	if english && en != "" {
		return en
	}
	return vi
}
