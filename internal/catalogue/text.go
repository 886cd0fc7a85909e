package catalogue

import (
	"fmt"
	"strings"
)

// Text is how the duration reads, in Vietnamese and in English, with its
// cut-off where it has one.
func (d Duration) Text() (vi, en string) {
	vi, en = d.unitText()
	if d.CutOff != "" && vi != "" {
		vi += fmt.Sprintf(" (nhận từ %s: tính từ ngày làm việc tiếp theo)", d.CutOff)
		en += fmt.Sprintf(" (received from %s: counted from the next working day)", d.CutOff)
	}
	return vi, en
}

func (d Duration) unitText() (vi, en string) {
	switch d.Unit {
	case SameDay:
		return "Trả kết quả trong ngày", "Same day"
	case WorkingDays:
		return fmt.Sprintf("%d ngày làm việc", d.Amount), fmt.Sprintf("%d working days", d.Amount)
	case CalendarDays:
		return fmt.Sprintf("%d ngày", d.Amount), fmt.Sprintf("%d days", d.Amount)
	case WorkingHours:
		return fmt.Sprintf("%d giờ làm việc", d.Amount), fmt.Sprintf("%d working hours", d.Amount)
	}
	return "", ""
}

// Money writes an amount in đồng the Vietnamese way: 1.000.000 đồng.
func Money(amount int64) string {
	s := fmt.Sprint(amount)
	if amount < 0 {
		s = s[1:]
	}
	var b strings.Builder
	if amount < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đồng"
}

// FeeText is the fees on one line: "Miễn phí", or "Lệ phí: 8.000 đồng (mỗi bản)".
func (p Procedure) FeeText() (vi, en string) {
	if len(p.Fees) == 0 {
		return "Không thu phí, lệ phí", "No fee"
	}
	var vis, ens []string
	for _, f := range p.Fees {
		if f.Amount == 0 {
			vis, ens = append(vis, f.Name+": miễn"), append(ens, f.Name+": free")
			continue
		}
		line := f.Name + ": " + Money(f.Amount)
		if f.Note != "" {
			line += " (" + f.Note + ")"
		}
		vis, ens = append(vis, line), append(ens, line)
	}
	return strings.Join(vis, "; "), strings.Join(ens, "; ")
}

// Text is the document as a checklist line: "Tờ khai đăng ký khai sinh (1 bản chính)".
func (d Document) Text() string {
	kind := map[string]string{"original": "bản chính", "copy": "bản sao", "original_or_copy": "bản chính hoặc bản sao"}[d.Kind]
	count := fmt.Sprintf("%d", d.Quantity)
	if kind != "" {
		count += " " + kind
	} else {
		count += " bản"
	}
	s := d.Name + " (" + count + ")"
	if d.Optional {
		s += " — nếu có"
	}
	return s
}

// Checklist is the procedure's documents as printable lines.
func (p Procedure) Checklist() []string {
	out := make([]string, len(p.Documents))
	for i, d := range p.Documents {
		out[i] = d.Text()
	}
	return out
}
