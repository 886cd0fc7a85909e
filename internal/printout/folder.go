package printout

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Folder saves each ticket as a file in Dir: Format "png", or "pdf" (one page
// 80 mm wide, the image at the printer's 203 dpi). Files are written whole
// (temp file, then rename), so a folder watcher never sees half a ticket.
type Folder struct {
	Dir    string
	Format string
}

var seq atomic.Int64

// printedAt is the context key of the time a ticket says it was issued.
type printedAt struct{}

// At is ctx carrying the time the ticket on paper says (its issue, in the
// office's zone): a folder names the file by it, so that the file and the
// paper agree whatever the PC's own zone.
func At(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, printedAt{}, t)
}

// Print writes img to a new file named by the ticket's time (At; else the
// PC's clock) and a counter.
func (f Folder) Print(ctx context.Context, img *image.Gray) error {
	var buf bytes.Buffer
	var err error
	if f.Format == "pdf" {
		err = writePDF(&buf, img)
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSave, err)
	}
	at, ok := ctx.Value(printedAt{}).(time.Time)
	if !ok {
		at = time.Now()
	}
	name := fmt.Sprintf("phieu-%s-%d.%s", at.Format("20060102-150405"), seq.Add(1), f.Format)
	if err := writeWhole(filepath.Join(f.Dir, name), buf.Bytes()); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrSave, f.Dir, err)
	}
	return nil
}

func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".phieu-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
