// Package printout sends a drawn ticket somewhere: to an ESC/POS thermal printer
// (over TCP or a device file) or, for an office without a printer, into a folder
// as PNG or PDF. The kiosk knows only the Printer interface.
package printout

import (
	"context"
	"errors"
	"image"
	"strings"

	"motcua/internal/escpos"
	"motcua/internal/problem"
)

// Printer puts one drawn ticket on paper (or on disk).
type Printer interface {
	Print(ctx context.Context, img *image.Gray) error
}

// ErrSave is a ticket that could not be written to its folder.
var ErrSave = &problem.Error{Code: "printer_save_failed", Message: "Không lưu được phiếu", MessageEN: "The ticket could not be saved"}

// IsTrouble reports whether err is the printer's (or the folder's) fault, as
// opposed to the ticket's: such trouble is reported to the supervisors.
func IsTrouble(err error) bool {
	return escpos.IsPrinterError(err) || errors.Is(err, ErrSave)
}

// Thermal prints on an ESC/POS printer as one raster image (GS v 0), so every
// Vietnamese letter prints whatever code pages the printer has.
type Thermal struct {
	Port escpos.Printer
}

// Print encodes img and sends it.
func (t Thermal) Print(ctx context.Context, img *image.Gray) error {
	return t.Port.Print(ctx, escpos.Raster(img))
}

// Parse reads a printer setting: "tcp://HOST:9100", a device file such as
// "/dev/usb/lp0", "png:DIR" or "pdf:DIR"; "" is no printer (nil).
func Parse(spec string) (Printer, error) {
	switch {
	case spec == "":
		return nil, nil
	case strings.HasPrefix(spec, "tcp://"):
		addr := strings.TrimPrefix(spec, "tcp://")
		if !strings.Contains(addr, ":") {
			addr += ":9100"
		}
		return Thermal{Port: escpos.TCP{Addr: addr}}, nil
	case strings.HasPrefix(spec, "png:"), strings.HasPrefix(spec, "pdf:"):
		format, dir, _ := strings.Cut(spec, ":")
		if dir == "" {
			break
		}
		return Folder{Dir: dir, Format: format}, nil
	case strings.HasPrefix(spec, "/"):
		return Thermal{Port: escpos.Device{Path: spec}}, nil
	}
	return nil, problem.Errorf(problem.EInvalid,
		"Máy in %q không hợp lệ; dùng tcp://ĐỊA_CHỈ:9100, /dev/usb/lp0, png:THƯ_MỤC hoặc pdf:THƯ_MỤC",
		"printer %q is not valid; use tcp://HOST:9100, /dev/usb/lp0, png:DIR or pdf:DIR", spec)
}
