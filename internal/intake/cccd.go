package intake

import (
	"strings"
	"time"
)

// CCCD is what the QR on a chip ID card (căn cước công dân) holds. It is not
// signed: use it to fill forms in, never to prove identity.
type CCCD struct {
	ID, OldID, Name, Sex, Address string
	Birth, Issued                 time.Time
}

// ParseCCCD reads "ID|oldID|name|ddMMyyyy|sex|address|ddMMyyyy", as a USB QR
// scanner types it into a field.
func ParseCCCD(s string) (CCCD, error) {
	f := strings.Split(strings.TrimSpace(s), "|")
	if len(f) != 7 {
		return CCCD{}, errorf("Mã QR không phải của thẻ căn cước (cần 7 trường, có %d)", "not an ID card QR (7 fields expected, got %d)", len(f))
	}
	c := CCCD{ID: f[0], OldID: f[1], Name: strings.TrimSpace(f[2]), Sex: f[4], Address: strings.TrimSpace(f[5])}
	if len(c.ID) != 12 || strings.Trim(c.ID, "0123456789") != "" {
		return CCCD{}, errorf("Số căn cước %q phải có 12 chữ số", "the ID number %q must have 12 digits", c.ID)
	}
	var err error
	if c.Birth, err = time.Parse("02012006", f[3]); err != nil {
		return CCCD{}, errorf("Ngày sinh %q không đúng dạng ddMMyyyy", "birth date %q is not ddMMyyyy", f[3])
	}
	if c.Issued, err = time.Parse("02012006", f[6]); err != nil {
		return CCCD{}, errorf("Ngày cấp %q không đúng dạng ddMMyyyy", "issue date %q is not ddMMyyyy", f[6])
	}
	if c.Name == "" || (c.Sex != "Nam" && c.Sex != "Nữ") {
		return CCCD{}, errorf("Mã QR thiếu họ tên hoặc giới tính", "the QR lacks the name or sex")
	}
	return c, nil
}

// Applicant fills the applicant's fields from the card.
func (c CCCD) Applicant() Applicant {
	return Applicant{Name: c.Name, IDNumber: c.ID, Address: c.Address, Sex: c.Sex, BirthDate: c.Birth.Format("02/01/2006")}
}
