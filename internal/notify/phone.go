package notify

import (
	"regexp"
	"strings"

	"motcua/internal/problem"
)

var mobile = regexp.MustCompile(`^0[35789][0-9]{8}$`)

// Phone is a Vietnamese mobile number as anyone writes it ("0912 345 678",
// "+84 912 345 678", "84912345678"), as 0912345678.
func Phone(typed string) (string, error) {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９': // typed on a phone's full-width keypad
			b.WriteRune('0' + r - '０')
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "84") && len(d) == 11 {
		d = "0" + d[2:]
	}
	if !mobile.MatchString(d) || len(typed) > 40 {
		return "", problem.Errorf(problem.EInvalid, "Số điện thoại di động không đúng (10 chữ số, ví dụ 0912 345 678)", "not a Vietnamese mobile number (10 digits, e.g. 0912 345 678)")
	}
	return d, nil
}

// International is the number as Zalo takes it: 84912345678.
func International(phone string) string { return "84" + strings.TrimPrefix(phone, "0") }

// Masked is the number as staff see it on a message: 091****678.
func Masked(phone string) string {
	if len(phone) < 7 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:3] + strings.Repeat("*", len(phone)-6) + phone[len(phone)-3:]
}
