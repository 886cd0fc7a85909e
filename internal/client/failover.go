package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
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

// The addresses grow by what the primary in use says of its standby
// (/healthz "standby":{"url":…}): a device given only the first PC's
// address, or paired before the second was set up, learns the second's,
// and the app keeps it (NewDevice's keep) for its next start.

// RefreshEvery is how often a client asks the server in use for its
// health anew (to learn of a standby set up since), as it sends.
var RefreshEvery = 5 * time.Minute

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

// Servers are the addresses the client knows: those given, then those
// learned.
func (c *Client) Servers() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.bases)
}

// NewDevice is a device's client: its given address(es), then the
// servers it kept from before (each once), authenticating with auth; keep
// is told the addresses each time the client learns one (the app keeps
// them for its next start).
func NewDevice(given string, kept []string, auth string, keep func([]string)) *Client {
	var bases []string
	for _, b := range append(parseBases(given), kept...) {
		if b = strings.TrimRight(strings.TrimSpace(b), "/"); b != "" && !slices.Contains(bases, b) {
			bases = append(bases, b)
		}
	}
	c := New(strings.Join(bases, ","), auth)
	c.onServers = keep
	return c
}

// heard takes what the primary in use says of its standby: the learned
// addresses become its standby's and the one in use (never a given one
// dropped, nor the one in use); fn is told when they changed.
func (c *Client) heard(h api.Health) {
	if h.Role != api.RolePrimary || h.Standby == nil || h.Standby.URL == "" {
		return
	}
	url := strings.TrimRight(h.Standby.URL, "/")
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return
	}
	c.mu.Lock()
	if slices.Contains(c.bases, url) {
		c.mu.Unlock()
		return
	}
	cur := c.bases[c.cur]
	bases := slices.Clone(c.bases[:c.given])
	if !slices.Contains(bases, cur) {
		bases = append(bases, cur)
	}
	bases = append(bases, url)
	c.bases, c.cur = bases, slices.Index(bases, cur)
	fn := c.onServers
	c.mu.Unlock()
	if fn != nil {
		fn(slices.Clone(bases))
	}
}

// refresh asks the server in use for its health, at most every
// RefreshEvery, in the background.
func (c *Client) refresh() {
	c.mu.Lock()
	due := time.Since(c.refreshed) >= RefreshEvery
	if due {
		c.refreshed = time.Now()
	}
	base := c.bases[c.cur]
	c.mu.Unlock()
	if !due || base == "" {
		return
	}
	go func() {
		if h, err := api.ReadHealth(context.Background(), c.http, base, 5*time.Second, nil); err == nil {
			c.heard(h)
		}
	}()
}

// failover asks every address for its health and takes the primary of
// the highest epoch; it says whether it moved. It learns the standby of
// the primary it takes.
func (c *Client) failover(ctx context.Context) bool {
	c.mu.Lock()
	bases := slices.Clone(c.bases)
	c.refreshed = time.Now()
	c.mu.Unlock()
	if bases[0] == "" {
		return false
	}
	type found struct {
		i int
		h api.Health
	}
	var wg sync.WaitGroup
	answers := make(chan found, len(bases))
	for i, b := range bases {
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
	var health api.Health
	for a := range answers {
		all = append(all, a)
		if a.h.Role == api.RolePrimary && a.h.Epoch >= epoch && a.h.Epoch >= c.Epoch() {
			best, epoch, health = a.i, a.h.Epoch, a.h
		}
	}
	if best < 0 {
		return false
	}
	c.mu.Lock()
	cur := c.bases[c.cur]
	c.cur = max(slices.Index(c.bases, bases[best]), 0)
	c.epoch = max(c.epoch, epoch)
	moved := bases[best] != cur
	c.mu.Unlock()
	for _, a := range all {
		if a.h.Role == api.RolePrimary && a.h.Epoch < epoch {
			go c.notify(bases[a.i]) // an old primary still taking writes: tell it
		}
	}
	c.heard(health)
	return moved
}

// notify tells an old primary at base of the primary of the highest
// epoch (with the device's key: it checks that primary, then stops).
func (c *Client) notify(base string) {
	api.ReadHealth(context.Background(), c.http, base, 5*time.Second, func(h http.Header) { c.identify(h); c.tell(h) })
}

// probe finds the live primary once, before the first request: a device
// restarted after a take-over must not go back to the old primary; one
// given a single address learns of its standby.
func (c *Client) probe(ctx context.Context) {
	c.mu.Lock()
	done := c.probed
	c.probed = true
	c.mu.Unlock()
	if !done {
		c.failover(ctx)
	}
}
