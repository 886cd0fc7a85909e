package escpos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"motcua/internal/problem"
)

// Printer sends a print job somewhere.
type Printer interface {
	Print(ctx context.Context, job []byte) error
}

// Printing problems a kiosk reports to the citizen and to the server.
var (
	ErrOffline   = &problem.Error{Code: "printer_offline", Message: "Máy in không phản hồi", MessageEN: "The printer does not answer"}
	ErrPaperOut  = &problem.Error{Code: "printer_paper_out", Message: "Máy in hết giấy", MessageEN: "The printer is out of paper"}
	ErrCoverOpen = &problem.Error{Code: "printer_cover_open", Message: "Nắp máy in đang mở", MessageEN: "The printer cover is open"}
)

// TCP is a network printer (raw port 9100).
type TCP struct {
	Addr    string        // host:9100
	Timeout time.Duration // for connecting, the status answer and the write; default 5 s
}

// Print checks the paper and cover (real-time status, where the printer answers
// it) and sends the job.
func (p TCP) Print(ctx context.Context, job []byte) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrOffline, p.Addr, err)
	}
	defer conn.Close()
	if err := status(conn, timeout); err != nil {
		return err
	}
	conn.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(job); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrOffline, p.Addr, err)
	}
	return nil
}

// status asks DLE EOT 2 (offline causes) and DLE EOT 4 (paper sensor). A printer
// that does not answer status is not failed for it: only what it reports counts.
func status(conn net.Conn, timeout time.Duration) error {
	ask := func(n byte) (byte, bool) {
		conn.SetDeadline(time.Now().Add(min(timeout, time.Second)))
		defer conn.SetDeadline(time.Time{})
		if _, err := conn.Write([]byte{0x10, 0x04, n}); err != nil {
			return 0, false
		}
		var b [1]byte
		if _, err := conn.Read(b[:]); err != nil {
			return 0, false
		}
		return b[0], true
	}
	if b, ok := ask(2); ok && b&0x04 != 0 {
		return ErrCoverOpen
	}
	if b, ok := ask(4); ok && b&0x60 != 0 {
		return ErrPaperOut
	}
	return nil
}

// Device is a printer behind a device file such as /dev/usb/lp0.
type Device struct {
	Path    string
	Timeout time.Duration // default 10 s: a switched-off USB printer can block a write forever
}

// Print writes the job to the device, giving up after the timeout.
func (p Device) Print(ctx context.Context, job []byte) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p.Path, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		_, err = f.Write(job)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrOffline, p.Path, err)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%w: %s: no answer in %s", ErrOffline, p.Path, timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// IsPrinterError reports whether err is one of the printer errors above.
func IsPrinterError(err error) bool {
	return errors.Is(err, ErrOffline) || errors.Is(err, ErrPaperOut) || errors.Is(err, ErrCoverOpen)
}
