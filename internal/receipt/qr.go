// Package receipt draws what the kiosk prints and shows: for now the QR code of a
// ticket's page; the whole ticket image comes with the kiosk (issue 3).
package receipt

import (
	"fmt"
	"image"

	qrcode "github.com/skip2/go-qrcode"
)

// QR draws url as a QR code image of size×size pixels, error correction level M
// (a thermal print survives a crease). URLs are kept ASCII: USB scanners cannot
// type Vietnamese characters.
func QR(url string, size int) (image.Image, error) {
	for _, r := range url {
		if r > 127 {
			return nil, fmt.Errorf("QR payload must be ASCII, got %q", r)
		}
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("QR of %q: %w", url, err)
	}
	q.DisableBorder = false
	return q.Image(size), nil
}
