package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
)

// A device given two addresses (the office's server and its standby,
// "http://10.0.0.10:8080,http://10.0.0.11:8080") talks to the live primary
// of the highest epoch: when the one in use refuses the connection, or is
// a standby (503 with X-Motcua-Primary), or was replaced (fenced), it asks
// every address's /healthz and goes on with the primary of the highest
// epoch. Every request says the highest epoch the device has seen
// (X-Motcua-Epoch): an old primary that comes back learns from the first
// device that it was replaced, and stops taking writes.

// parseBases splits a list of addresses.
func parseBases(list string) []string {
	var out []string
	for _, b := range strings.Split(list, ",") {
		if b = strings.TrimRight(strings.TrimSpace(b), "/"); b != "" {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// base is the address in use.
func (c *Client) base() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bases[c.cur]
}

// Epoch is the highest epoch the client has seen.
func (c *Client) Epoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// learn takes a server's epoch from its answer.
func (c *Client) learn(h http.Header) {
	n, err := strconv.ParseUint(h.Get(api.EpochHeader), 10, 64)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.epoch = max(c.epoch, n)
	c.mu.Unlock()
}

// tell puts the highest epoch seen on a request, and where its primary
// is (an old primary checks it before it stops).
func (c *Client) tell(h http.Header) {
	c.mu.Lock()
	e, at := c.epoch, c.bases[c.cur]
	c.mu.Unlock()
	if e > 0 {
		h.Set(api.EpochHeader, strconv.FormatUint(e, 10))
		h.Set(api.PrimaryHeader, at)
	}
}

// refused says whether err is a connection never made (nothing was done:
// safe to send again elsewhere).
func refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// elsewhere says whether an answer says to go to another server: a
// standby's, or a replaced primary's.
func elsewhere(resp *http.Response) bool {
	return resp.StatusCode == http.StatusServiceUnavailable && (resp.Header.Get(api.PrimaryHeader) != "" || resp.Header.Get(api.FencedHeader) != "")
}

// failover asks every address for its health and takes the primary of
// the highest epoch; it says whether it moved.
func (c *Client) failover(ctx context.Context) bool {
	if len(c.bases) < 2 {
		return false
	}
	type found struct {
		i int
		h api.Health
	}
	var wg sync.WaitGroup
	answers := make(chan found, len(c.bases))
	for i, b := range c.bases {
		wg.Go(func() {
			if h, err := api.ReadHealth(ctx, c.http, b, 2*time.Second, nil); err == nil {
				answers <- found{i, h}
			}
		})
	}
	wg.Wait()
	close(answers)
	best := -1
	var epoch uint64
	var all []found
	for a := range answers {
		all = append(all, a)
		if a.h.Role == api.RolePrimary && a.h.Epoch >= epoch && a.h.Epoch >= c.Epoch() {
			best, epoch = a.i, a.h.Epoch
		}
	}
	if best < 0 {
		return false
	}
	c.mu.Lock()
	moved := c.cur != best
	c.cur, c.epoch = best, max(c.epoch, epoch)
	c.mu.Unlock()
	for _, a := range all {
		if a.h.Role == api.RolePrimary && a.h.Epoch < epoch {
			go c.notify(c.bases[a.i]) // an old primary still taking writes: tell it
		}
	}
	return moved
}

// notify tells an old primary at base of the primary of the highest
// epoch (with the device's key: it checks that primary, then stops).
func (c *Client) notify(base string) {
	api.ReadHealth(context.Background(), c.http, base, 5*time.Second, func(h http.Header) { c.identify(h); c.tell(h) })
}

// probe finds the live primary once, before the first request, when the
// client has more than one address: a device restarted after a take-over
// must not go back to the old primary.
func (c *Client) probe(ctx context.Context) {
	if len(c.bases) < 2 {
		return
	}
	c.mu.Lock()
	done := c.probed
	c.probed = true
	c.mu.Unlock()
	if !done {
		c.failover(ctx)
	}
}
