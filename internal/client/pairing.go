package client

import (
	"context"
	"net/http"

	"motcua/internal/api"
)

// Pair asks the server for a pairing code to show (a device without a key).
func (c *Client) Pair(ctx context.Context) (api.PairingAnswer, error) {
	var out api.PairingAnswer
	_, err := c.do(ctx, "POST", api.Pairing, nil, &out)
	return out, err
}

// Paired asks whether the admin has paired the device: its key once, and
// ok false while it waits.
func (c *Client) Paired(ctx context.Context, token string) (api.PairedAnswer, bool, error) {
	var out api.PairedAnswer
	status, err := c.do(ctx, "GET", api.Path(api.Paired, token), nil, &out)
	return out, err == nil && status == http.StatusOK, err
}
