package notify

import (
	"strings"

	"motcua/internal/problem"
)

// Render fills a wording's {placeholders} from params; a placeholder
// without a value is left empty, and a wording that then ends on a label
// with nothing after it ("… Tra cứu:", an office without a public address)
// loses that label.
func Render(text string, params map[string]string) string {
	out := strings.TrimSpace(fill(text, params))
	if strings.HasSuffix(out, ":") {
		if i := strings.LastIndexAny(out[:len(out)-1], ".!?"); i >= 0 {
			out = out[:i+1]
		}
	}
	return out
}

func fill(text string, params map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(text[:i])
		b.WriteString(params[text[i+1:i+j]])
		text = text[i+j+1:]
	}
	b.WriteString(text)
	return b.String()
}

// checkWording refuses a wording that is empty, too long or uses a
// placeholder its kind does not have.
func checkWording(k Kind, text string) error {
	if strings.TrimSpace(text) == "" {
		return problem.Errorf(problem.EInvalid, "notify.templates.%s: lời nhắn trống", "notify.templates.%s: the wording is empty", k)
	}
	if n := len([]rune(text)); n > 480 {
		return problem.Errorf(problem.EInvalid, "notify.templates.%s: lời nhắn dài %d ký tự, tối đa 480", "notify.templates.%s: the wording is %d characters long, at most 480", k, n)
	}
	rest := text
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return problem.Errorf(problem.EInvalid, "notify.templates.%s: thiếu dấu } sau {", "notify.templates.%s: a { has no }", k)
		}
		name := rest[i+1 : i+j]
		known := false
		for _, p := range k.Params() {
			known = known || p == name
		}
		if !known {
			return problem.Errorf(problem.EInvalid, "notify.templates.%s: không có chỗ điền {%s}; dùng được: {%s}", "notify.templates.%s: there is no {%s}; these can be used: {%s}",
				k, name, strings.Join(k.Params(), "}, {"))
		}
		rest = rest[i+j+1:]
	}
}
