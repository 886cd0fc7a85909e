package client

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"motcua/internal/api"
	"motcua/internal/version"
)

// agent names this program and its build to the server (User-Agent): the
// console's devices page shows which version each kiosk, board and rating
// screen runs: motcua-kiosk/0.213+g1a2b3c4 (internal/version).
var agent = appAgent(filepath.Base(os.Args[0]), version.String())

func appAgent(program, version string) string {
	program = strings.TrimSuffix(program, ".exe")
	if !strings.HasPrefix(program, "motcua") {
		program = "motcua-" + program // a test binary, go run's
	}
	return program + "/" + version
}

// identify puts the credential and the program's name on a request.
func (c *Client) identify(h http.Header) {
	h.Set("User-Agent", agent)
	if tok := c.token(); tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
}

// Status is the device's heartbeat: its printer's state (ok, none, or a
// trouble code); the server notes when and which program.
func (c *Client) Status(ctx context.Context, printer string) error {
	_, err := c.do(ctx, "POST", api.DeviceStatus, api.DeviceStatusRequest{Printer: printer}, nil)
	return err
}

// Devices lists the office's devices as the server last heard from them
// (the supervisor or an admin).
func (c *Client) Devices(ctx context.Context) ([]api.DeviceView, error) {
	var out []api.DeviceView
	_, err := c.do(ctx, "GET", api.AdminDevices, nil, &out)
	return out, err
}
