// Package voice turns a call into the Vietnamese sentence the waiting room hears
// ("Mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số năm")
// and plays announcements one at a time. Numbers are read by the rules of
// DOMAIN.md — mốt, lăm, tư, linh/lẻ, không trăm — never by a speech engine,
// which reads some numbers wrong. Standard library only.
package voice

import "strings"

// Style chooses between the regional forms of number words.
type Style struct {
	// Thousand is "nghìn" (North, the default) or "ngàn" (South).
	Thousand string
	// ZeroTens is "linh" (default) or "lẻ": 105 = một trăm linh năm.
	ZeroTens string
	// NoTu reads 4 after a tens word as "bốn" instead of "tư" (24 = hai mươi bốn).
	NoTu bool
}

func (s Style) withDefaults() Style {
	if s.Thousand == "" {
		s.Thousand = "nghìn"
	}
	if s.ZeroTens == "" {
		s.ZeroTens = "linh"
	}
	return s
}

var digits = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// NumberWords reads n (0 ≤ n ≤ 999 999 999) as Vietnamese words.
func NumberWords(n int, style Style) []string {
	style = style.withDefaults()
	if n <= 0 {
		return []string{digits[0]}
	}
	var groups []int // lowest first
	for ; n > 0; n /= 1000 {
		groups = append(groups, n%1000)
	}
	scale := []string{"", style.Thousand, "triệu"}
	var out []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		out = append(out, group(g, i < len(groups)-1, style)...)
		if scale[i] != "" {
			out = append(out, scale[i])
		}
	}
	return out
}

// group reads 1–999. A group after a larger one (full) always reads its
// hundreds: 1023 = một nghìn không trăm hai mươi ba.
func group(g int, full bool, style Style) []string {
	h, t, u := g/100, g/10%10, g%10
	var out []string
	if h > 0 || full {
		out = append(out, digits[h], "trăm")
	}
	switch {
	case t == 0:
		if u > 0 && len(out) > 0 {
			out = append(out, style.ZeroTens)
		}
		if u > 0 {
			out = append(out, digits[u])
		}
	case t == 1:
		out = append(out, "mười")
		switch u {
		case 0:
		case 5:
			out = append(out, "lăm")
		default:
			out = append(out, digits[u])
		}
	default:
		out = append(out, digits[t], "mươi")
		switch u {
		case 0:
		case 1:
			out = append(out, "mốt")
		case 4:
			if style.NoTu {
				out = append(out, "bốn")
			} else {
				out = append(out, "tư")
			}
		case 5:
			out = append(out, "lăm")
		default:
			out = append(out, digits[u])
		}
	}
	return out
}

// letters are the Vietnamese names of the letters a ticket prefix may have.
var letters = map[rune]string{
	'A': "a", 'B': "bê", 'C': "xê", 'D': "dê", 'Đ': "đê", 'E': "e", 'F': "ép", 'G': "giê", 'H': "hát",
	'I': "i", 'J': "gi", 'K': "ca", 'L': "e lờ", 'M': "em mờ", 'N': "en nờ", 'O': "o", 'P': "pê", 'Q': "quy",
	'R': "e rờ", 'S': "ét sì", 'T': "tê", 'U': "u", 'V': "vê", 'W': "vê kép", 'X': "ích xì", 'Y': "i dài", 'Z': "dét",
}

// DisplayWords reads a displayed ticket number: prefix letters by name, then the
// digits as one number ("A1023" = a một nghìn không trăm hai mươi ba). Leading
// zeros of the digits are read one by one ("A023" = a không hai mươi ba).
func DisplayWords(display string, style Style) []string {
	var out []string
	rs := []rune(strings.ToUpper(strings.TrimSpace(display)))
	i := 0
	for ; i < len(rs) && (rs[i] < '0' || rs[i] > '9'); i++ {
		if name, ok := letters[rs[i]]; ok {
			out = append(out, strings.Fields(name)...)
		}
	}
	num := rs[i:]
	for len(num) > 1 && num[0] == '0' {
		out = append(out, digits[0])
		num = num[1:]
	}
	n := 0
	for _, r := range num {
		if r < '0' || r > '9' || n > 99_999_999 {
			break
		}
		n = n*10 + int(r-'0')
	}
	if len(num) > 0 {
		out = append(out, NumberWords(n, style)...)
	}
	return out
}
