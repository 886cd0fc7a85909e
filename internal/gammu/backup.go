package gammu

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf16"
)

// ReadFile reads one of gammu's .smsbackup files: the number and each
// part's text (gammu keeps them as UCS-2 in hex, TextNN lines, whatever the
// coding the modem will use).
func ReadFile(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	f := File{Path: path}
	type part struct{ hex []string }
	var parts []*part
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[SMSBackup") {
			parts = append(parts, &part{})
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, ";") || len(parts) == 0 {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		p := parts[len(parts)-1]
		switch {
		case k == "Number":
			f.Number = strings.Trim(v, `"`)
		case k == "Coding":
			f.Coding = v
		case strings.HasPrefix(k, "Text") && len(k) == 6:
			p.hex = append(p.hex, k[4:]+v)
		}
	}
	for i, p := range parts {
		sort.Strings(p.hex) // Text00, Text01, …
		var h strings.Builder
		for _, s := range p.hex {
			h.WriteString(s[2:])
		}
		b, err := hex.DecodeString(h.String())
		if err != nil || len(b)%2 != 0 {
			return f, fmt.Errorf("%s: part %d: not UCS-2 hex", path, i)
		}
		u := make([]uint16, len(b)/2)
		for j := range u {
			u[j] = uint16(b[2*j])<<8 | uint16(b[2*j+1])
		}
		f.Parts = append(f.Parts, string(utf16.Decode(u)))
	}
	if f.Number == "" || len(f.Parts) == 0 {
		return f, fmt.Errorf("%s: no number or no text", path)
	}
	return f, nil
}
