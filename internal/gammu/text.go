package gammu

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// gsmBasic and gsmExtension are the GSM 03.38 default alphabet and its
// extension table (an extension character costs two septets).
const (
	gsmBasic     = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "^{}\\[~]|€\f"
)

// Plain is s with every Vietnamese mark taken off (tones, ă â ê ô ơ ư;
// đ → d), case and punctuation kept, and any character the GSM alphabet
// lacks written "?": the text of an SMS sent without marks.
func Plain(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case r == 'Đ':
			r = 'D'
		case r == '\t':
			r = ' '
		}
		if !strings.ContainsRune(gsmBasic, r) && !strings.ContainsRune(gsmExtension, r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SMSText is the text an SMS carries for the office's setting: as it is
// (UCS-2) or Plain (GSM 7-bit).
func SMSText(s string, unicode bool) string {
	if unicode {
		return norm.NFC.String(s)
	}
	return Plain(s)
}

// Parts splits an SMS text as a phone will join it: one part of up to 160
// septets (GSM) or 70 UTF-16 units (UCS-2), or, when longer, parts of 153
// or 67 (the rest of each part carries the concatenation header); an
// escape pair or a surrogate pair is never cut.
func Parts(text string, unicode bool) []string {
	cost := func(r rune) int {
		if strings.ContainsRune(gsmExtension, r) {
			return 2
		}
		return 1
	}
	single, multi := 160, 153
	if unicode {
		cost = func(r rune) int { return len(utf16.Encode([]rune{r})) }
		single, multi = 70, 67
	}
	total := 0
	for _, r := range text {
		total += cost(r)
	}
	if total <= single {
		return []string{text}
	}
	var parts []string
	start, used := 0, 0
	for i, r := range text {
		c := cost(r)
		if used+c > multi {
			parts = append(parts, text[start:i])
			start, used = i, 0
		}
		used += c
	}
	return append(parts, text[start:])
}
