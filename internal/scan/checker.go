package scan

import (
	"bytes"

	"motcua/internal/problem"
)

// Checker checks a PDF as it streams by — what Check checks of a whole
// one, in a few kilobytes whatever its size: its header, the end marker
// in its last kilobyte, its pages counted in chunks of 64 KB that overlap
// by 64 bytes (a page object split across two is counted once).
type Checker struct {
	head    []byte // the first bytes
	buf     []byte // what is not counted yet (up to a chunk), after the overlap kept
	overlap int    // the bytes at buf's start counted already
	tail    []byte // the last kilobyte
	n       int64
	pages   int
}

const (
	checkChunk   = 64 << 10
	checkOverlap = 64
)

// Write takes the next bytes.
func (c *Checker) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if len(c.head) < 5 {
		c.head = append(c.head, p[:min(len(p), 5-len(c.head))]...)
	}
	c.tail = append(c.tail, p[max(0, len(p)-1024):]...)
	if len(c.tail) > 1024 {
		c.tail = append(c.tail[:0], c.tail[len(c.tail)-1024:]...)
	}
	c.buf = append(c.buf, p...)
	for len(c.buf) >= checkChunk {
		c.count(checkChunk)
	}
	return len(p), nil
}

// count counts the page objects that end within buf[:upto] past the
// overlap, and keeps the last checkOverlap bytes of it as the next overlap.
func (c *Checker) count(upto int) {
	for _, m := range pageObject.FindAllIndex(c.buf[:upto], -1) {
		if m[1] > c.overlap {
			c.pages++
		}
	}
	keep := max(0, upto-checkOverlap)
	c.buf = append(c.buf[:0], c.buf[keep:]...)
	c.overlap = upto - keep
}

// Result is what Check says of the whole: the pages, or why the file is
// not one the office keeps (problem.EUnchecked: 422).
func (c *Checker) Result() (int, error) {
	c.count(len(c.buf))
	switch {
	case c.n == 0:
		return 0, problem.Errorf(problem.EUnchecked, "Tệp rỗng", "the file is empty")
	case c.n > MaxPDF:
		return 0, problem.Errorf(problem.EUnchecked, "Tệp lớn quá %d MB", "the file is larger than %d MB", MaxPDF>>20)
	case !bytes.HasPrefix(c.head, []byte("%PDF-")):
		return 0, problem.Errorf(problem.EUnchecked, "Tệp không phải PDF", "the file is not a PDF")
	case !bytes.Contains(c.tail, []byte("%%EOF")):
		return 0, problem.Errorf(problem.EUnchecked, "Tệp PDF không trọn (thiếu phần cuối)", "the PDF is incomplete (no end marker)")
	}
	return c.pages, nil
}
