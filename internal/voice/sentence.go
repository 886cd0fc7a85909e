package voice

import (
	"strconv"
	"strings"
)

// DefaultTemplate is the call as offices word it; {number} and {counter} are
// read as words.
const DefaultTemplate = "Mời công dân có số thứ tự {number} đến quầy số {counter}"

// Part is a piece of an announcement: a fixed phrase of the template, or one
// word of a number. Each part is one audio clip.
type Part struct {
	Text   string
	Phrase bool // a phrase of the template (longer pauses around it)
}

// Parts splits the call of display to counter into clips, in order.
func Parts(template, display string, counter int, style Style) []Part {
	if strings.TrimSpace(template) == "" {
		template = DefaultTemplate
	}
	var out []Part
	rest := template
	for rest != "" {
		i := strings.Index(rest, "{")
		j := strings.Index(rest, "}")
		if i < 0 || j < i {
			out = appendPhrase(out, rest)
			break
		}
		out = appendPhrase(out, rest[:i])
		var words []string
		switch rest[i+1 : j] {
		case "number":
			words = DisplayWords(display, style)
		case "counter":
			words = NumberWords(counter, style)
		}
		for _, w := range words {
			out = append(out, Part{Text: w})
		}
		rest = rest[j+1:]
	}
	return out
}

// appendPhrase adds a fixed phrase; punctuation around it is a pause, not a word.
func appendPhrase(out []Part, s string) []Part {
	s = strings.Trim(strings.Join(strings.Fields(s), " "), " ,.;:!?–—-")
	if s != "" {
		out = append(out, Part{Text: s, Phrase: true})
	}
	return out
}

// Sentence is the announcement as one line of words, exactly as spoken.
func Sentence(template, display string, counter int, style Style) string {
	parts := Parts(template, display, counter, style)
	words := make([]string, len(parts))
	for i, p := range parts {
		words[i] = p.Text
	}
	return strings.Join(words, " ")
}

// Caption is the announcement for the screen, with the digits as shown:
// "Mời công dân có số thứ tự 1023 đến quầy số 5".
func Caption(template, display string, counter int) string {
	if strings.TrimSpace(template) == "" {
		template = DefaultTemplate
	}
	return strings.NewReplacer("{number}", display, "{counter}", strconv.Itoa(counter)).Replace(template)
}

// StyleOf is the number style an office's display config asks for.
func StyleOf(thousand, zeroTens string, noTu bool) Style {
	return Style{Thousand: thousand, ZeroTens: zeroTens, NoTu: noTu}
}
