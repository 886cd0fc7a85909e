// Package escpos turns an image into ESC/POS raster commands for 80 mm (or 58 mm)
// thermal printers, sends them over TCP (port 9100) or to a device file, reads the
// printer's paper status, and decodes raster commands back into an image (for
// tests and for saving what would have printed).
//
// Only a few commands are needed: ESC @ (init), GS v 0 (raster bit image, sent in
// bands), ESC d n (feed), GS V 66 n (feed and cut), DLE EOT n (real-time status).
package escpos

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
)

// bandRows is how many rows one GS v 0 block carries: small enough for any
// printer's buffer.
const bandRows = 256

// Raster encodes img as a complete print job: initialise, the image in bands of
// raster data (a pixel darker than mid-grey prints), feed, and a partial cut.
func Raster(img image.Image) []byte {
	b := img.Bounds()
	widthBytes := (b.Dx() + 7) / 8
	var out bytes.Buffer
	out.Write([]byte{0x1b, 0x40}) // ESC @
	for top := b.Min.Y; top < b.Max.Y; top += bandRows {
		rows := min(bandRows, b.Max.Y-top)
		out.Write([]byte{0x1d, 0x76, 0x30, 0, byte(widthBytes), byte(widthBytes >> 8), byte(rows), byte(rows >> 8)})
		for y := top; y < top+rows; y++ {
			line := make([]byte, widthBytes)
			for x := b.Min.X; x < b.Max.X; x++ {
				if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128 {
					i := x - b.Min.X
					line[i/8] |= 0x80 >> (i % 8)
				}
			}
			out.Write(line)
		}
	}
	out.Write([]byte{0x1b, 0x64, 4})     // ESC d 4: feed past the cutter
	out.Write([]byte{0x1d, 0x56, 66, 0}) // GS V 66 0: feed and partial cut
	return out.Bytes()
}

// Decode turns the raster blocks of a print job back into one image, black on
// white, stacking the bands. It accepts the commands Raster writes and rejects
// anything else, so a test sees exactly what a printer would print.
func Decode(job []byte) (*image.Gray, error) {
	var bands []*image.Gray
	width := -1
	for i := 0; i < len(job); {
		switch {
		case bytes.HasPrefix(job[i:], []byte{0x1b, 0x40}):
			i += 2
		case bytes.HasPrefix(job[i:], []byte{0x1b, 0x64}) && i+2 < len(job):
			i += 3
		case bytes.HasPrefix(job[i:], []byte{0x1d, 0x56, 66}) && i+3 < len(job):
			i += 4
		case bytes.HasPrefix(job[i:], []byte{0x1d, 0x76, 0x30}) && i+8 <= len(job):
			wb := int(job[i+4]) | int(job[i+5])<<8
			rows := int(job[i+6]) | int(job[i+7])<<8
			i += 8
			if wb == 0 || rows == 0 || i+wb*rows > len(job) {
				return nil, fmt.Errorf("raster block at %d: %d bytes × %d rows does not fit the job", i-8, wb, rows)
			}
			if width >= 0 && wb*8 != width {
				return nil, fmt.Errorf("raster block at %d changes width", i-8)
			}
			width = wb * 8
			band := image.NewGray(image.Rect(0, 0, width, rows))
			for y := range rows {
				for x := range width {
					c := color.Gray{Y: 255}
					if job[i+y*wb+x/8]&(0x80>>(x%8)) != 0 {
						c.Y = 0
					}
					band.SetGray(x, y, c)
				}
			}
			i += wb * rows
			bands = append(bands, band)
		default:
			return nil, fmt.Errorf("unknown command byte %#x at %d", job[i], i)
		}
	}
	if len(bands) == 0 {
		return nil, fmt.Errorf("no raster image in the job")
	}
	h := 0
	for _, b := range bands {
		h += b.Bounds().Dy()
	}
	out := image.NewGray(image.Rect(0, 0, width, h))
	y := 0
	for _, b := range bands {
		for r := range b.Bounds().Dy() {
			copy(out.Pix[(y+r)*out.Stride:(y+r)*out.Stride+width], b.Pix[r*b.Stride:r*b.Stride+width])
		}
		y += b.Bounds().Dy()
	}
	return out, nil
}
