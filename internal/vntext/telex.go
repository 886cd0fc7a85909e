package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Telex turns keys typed the Telex way into Vietnamese, word by word, so an
// on-screen keyboard of plain letters reaches every Vietnamese letter:
// aa â, aw ă, ee ê, oo ô, ow ơ, uw ư (w alone ư), uow ươ, dd đ; tones s (sắc),
// f (huyền), r (hỏi), x (ngã), j (nặng), z removes the tone; typing a mark's key
// twice gives the letter back ("ass" → "as", "aaa" → "aa").
func Telex(keys string) string {
	var out strings.Builder
	word := []rune{}
	flush := func() {
		if len(word) > 0 {
			out.WriteString(telexWord(word))
			word = word[:0]
		}
	}
	for _, r := range keys {
		if unicode.IsLetter(r) {
			word = append(word, r)
			continue
		}
		flush()
		out.WriteRune(r)
	}
	flush()
	return out.String()
}

const toneKeys = "sfrxj"

var toneMarks = map[rune]rune{'s': '\u0301', 'f': '\u0300', 'r': '\u0309', 'x': '\u0303', 'j': '\u0323'}

func isVowel(r rune) bool { return strings.ContainsRune("aăâeêioôơuưy", unicode.ToLower(r)) }

// telexWord applies the keys of one word.
func telexWord(keys []rune) string {
	var w []rune
	var tone rune // one of toneKeys, or 0
	for _, k := range keys {
		lk := unicode.ToLower(k)
		last := rune(0)
		if len(w) > 0 {
			last = w[len(w)-1]
		}
		ll := unicode.ToLower(last)
		switch {
		case lk == 'a' && ll == 'a', lk == 'e' && ll == 'e', lk == 'o' && ll == 'o':
			w[len(w)-1] = withCase(map[rune]rune{'a': 'â', 'e': 'ê', 'o': 'ô'}[lk], last)
		case lk == 'a' && ll == 'â', lk == 'e' && ll == 'ê', lk == 'o' && ll == 'ô':
			w[len(w)-1] = withCase(lk, last)
			w = append(w, k)
		case lk == 'd' && ll == 'd' && len(w) == 1:
			w[0] = withCase('đ', last)
		case lk == 'w':
			if !applyHorn(w) {
				w = append(w, withCase('ư', k))
			}
		case strings.ContainsRune(toneKeys, lk) && hasVowel(w):
			if tone == lk {
				tone = 0
				w = append(w, k)
			} else {
				tone = lk
			}
		case lk == 'z' && hasVowel(w) && tone != 0:
			tone = 0
		default:
			w = append(w, k)
		}
	}
	if tone != 0 {
		if i := tonePosition(w); i >= 0 {
			return norm.NFC.String(string(w[:i+1]) + string(toneMarks[tone]) + string(w[i+1:]))
		}
	}
	return string(w)
}

// applyHorn puts the w key's mark on the word: uo → ươ, else the last a, o or u
// of the final vowel cluster gets ă, ơ or ư. It reports whether it found one.
func applyHorn(w []rune) bool {
	for i := len(w) - 1; i >= 0 && (isVowel(w[i]) || i == len(w)-1); i-- {
		lower := unicode.ToLower(w[i])
		if lower == 'o' && i > 0 && unicode.ToLower(w[i-1]) == 'u' {
			w[i-1], w[i] = withCase('ư', w[i-1]), withCase('ơ', w[i])
			return true
		}
		if m, ok := map[rune]rune{'a': 'ă', 'o': 'ơ', 'u': 'ư'}[lower]; ok {
			w[i] = withCase(m, w[i])
			return true
		}
	}
	return false
}

func hasVowel(w []rune) bool {
	for _, r := range w {
		if isVowel(r) {
			return true
		}
	}
	return false
}

// tonePosition finds the vowel that carries the tone: a marked vowel (ơ in ươ),
// else the only vowel, else the last when a consonant ends the word, else the
// first of two vowels (hòa, thủy) or the middle of three. "qu" and "gi" before
// another vowel are consonants.
func tonePosition(w []rune) int {
	start := 0
	if len(w) > 2 {
		a, b := unicode.ToLower(w[0]), unicode.ToLower(w[1])
		if (a == 'q' && b == 'u' || a == 'g' && b == 'i') && isVowel(w[2]) {
			start = 2
		}
	}
	first, end := -1, -1
	for i := start; i < len(w); i++ {
		if isVowel(w[i]) {
			if first < 0 {
				first = i
			}
			end = i + 1
		} else if first >= 0 {
			break
		}
	}
	if first < 0 {
		return -1
	}
	for i := end - 1; i >= first; i-- {
		if strings.ContainsRune("ơê", unicode.ToLower(w[i])) {
			return i
		}
	}
	for i := first; i < end; i++ {
		if strings.ContainsRune("ăâôư", unicode.ToLower(w[i])) {
			return i
		}
	}
	switch n := end - first; {
	case n == 1:
		return first
	case end < len(w):
		return end - 1
	case n == 2:
		return first
	default:
		return first + 1
	}
}

func withCase(r, like rune) rune {
	if unicode.IsUpper(like) {
		return unicode.ToUpper(r)
	}
	return r
}
