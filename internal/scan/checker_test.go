package scan

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// The streaming check says what Check says of the whole file, whatever
// sizes the file arrives in, page objects split across chunks counted once.
func TestCheckerAsCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var big bytes.Buffer
	big.WriteString("%PDF-1.7\n")
	for i := range 3000 {
		fmt.Fprintf(&big, "%d 0 obj << /Type /Page /Parent 2 0 R >> endobj\n", i+3)
		big.Write(bytes.Repeat([]byte{'x'}, r.IntN(200)))
	}
	big.WriteString("trailer\n%%EOF\n")
	for _, data := range [][]byte{
		big.Bytes(),
		[]byte("%PDF-1.4\n1 0 obj << /Type /Pages >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF"),
		[]byte("GIF89a not a pdf %%EOF"),
		[]byte("%PDF-1.4 cut short"),
		{},
	} {
		wantPages, wantErr := Check(data)
		for _, size := range []int{1, 7, 63, 64, 65, 4096, 1 << 20} {
			var c Checker
			for from := 0; from < len(data); from += size {
				c.Write(data[from:min(from+size, len(data))])
			}
			pages, err := c.Result()
			if pages != wantPages || (err == nil) != (wantErr == nil) {
				t.Errorf("%d bytes in writes of %d: %d pages %v, Check says %d %v", len(data), size, pages, err, wantPages, wantErr)
			}
		}
	}
}
