package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// ReadHealth asks the server at base for its /healthz (within wait), with
// the headers header adds (nil: none).
func ReadHealth(ctx context.Context, c *http.Client, base string, wait time.Duration, header func(http.Header)) (Health, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var h Health
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+Healthz, nil)
	if err != nil {
		return h, err
	}
	if header != nil {
		header(req.Header)
	}
	resp, err := c.Do(req)
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	return h, json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&h)
}
