// Package client is the Go client of motcua's API and feed, shared by the kiosk,
// counter and display apps: typed calls that return the server's errors as
// *problem.Error (Vietnamese and English), and a feed subscriber that reconnects by
// itself and resyncs from a snapshot after any gap.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/queue"
)

// Client calls one motcua server (or the live primary of two:
// failover.go). It is safe for concurrent use.
type Client struct {
	given int // how many of bases were given (the rest were learned)
	http  *http.Client

	mu        sync.Mutex
	bases     []string // the addresses given, then those learned (failover.go)
	auth      string   // device key or session token
	cur       int      // the address in use
	epoch     uint64   // the highest epoch seen
	probed    bool     // the live primary was looked for (probe)
	refreshed time.Time
	onServers func([]string)
}

// New returns a client of the server at base (e.g. http://127.0.0.1:8080,
// or the server and its standby, comma-separated) that authenticates with
// auth (a device key; empty for none; Login replaces it).
func New(base, auth string) *Client {
	bases := parseBases(base)
	return &Client{bases: bases, given: len(bases), auth: auth, http: &http.Client{Timeout: 10 * time.Second}}
}

// ErrUnreachable wraps network failures (api.ErrUnreachable), so a screen
// can say "Hệ thống tạm gián đoạn".
var ErrUnreachable = api.ErrUnreachable

func (c *Client) token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.auth
}

// do sends a JSON request and decodes a JSON answer into out. It returns the
// status; an error status comes back as *problem.Error.
func (c *Client) do(ctx context.Context, method, path string, in, out any) (int, error) {
	var body *upload
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = &upload{data: raw, contentType: "application/json"}
	}
	return c.send(ctx, method, path, body, out)
}

// upload is a request's body as it is sent (a PDF, or JSON), with its
// headers.
type upload struct {
	data        []byte
	contentType string
	header      http.Header
}

// send is do with the body given as bytes (nil: none). A request the
// server in use never took (its connection refused), or that a standby or a
// replaced primary turned away, goes once more to the live primary.
func (c *Client) send(ctx context.Context, method, path string, in *upload, out any) (int, error) {
	resp, err := c.roundTrip(ctx, method, path, in)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: %w: %w", method, path, ErrUnreachable, err)
	}
	if resp.StatusCode >= 400 {
		var eb api.ErrorBody
		if json.Unmarshal(raw, &eb) != nil || eb.Error.Code == "" {
			return resp.StatusCode, fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
		}
		return resp.StatusCode, eb.Problem()
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: bad answer: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

func (c *Client) roundTrip(ctx context.Context, method, path string, in *upload) (*http.Response, error) {
	c.probe(ctx)
	c.refresh()
	for try := 0; ; try++ {
		var body io.Reader
		if in != nil {
			body = bytes.NewReader(in.data)
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base()+path, body)
		if err != nil {
			return nil, err
		}
		if in != nil {
			for k, v := range in.header {
				req.Header[k] = v
			}
			req.Header.Set("Content-Type", in.contentType)
		}
		c.identify(req.Header)
		c.tell(req.Header)
		resp, err := c.http.Do(req)
		if err != nil {
			if try == 0 && refused(err) && c.failover(ctx) {
				continue
			}
			return nil, fmt.Errorf("%s %s: %w: %w", method, path, ErrUnreachable, err)
		}
		c.learn(resp.Header)
		if try == 0 && elsewhere(resp) && c.failover(ctx) {
			resp.Body.Close()
			continue
		}
		return resp, nil
	}
}

// Services returns every service's live status.
func (c *Client) Services(ctx context.Context) ([]queue.ServiceStatus, error) {
	var out []queue.ServiceStatus
	_, err := c.do(ctx, "GET", api.Services, nil, &out)
	return out, err
}

// Procedures returns the office's procedure catalogue.
func (c *Client) Procedures(ctx context.Context) ([]catalogue.Procedure, error) {
	var out []catalogue.Procedure
	_, err := c.do(ctx, "GET", api.Procedures, nil, &out)
	return out, err
}

// State returns the snapshot (the full view when logged in as staff).
func (c *Client) State(ctx context.Context) (queue.Snapshot, error) {
	var out queue.Snapshot
	_, err := c.do(ctx, "GET", api.State, nil, &out)
	return out, err
}

// Issue takes a ticket for a service, with an optional priority class id.
func (c *Client) Issue(ctx context.Context, serviceID, priority string) (api.TicketView, error) {
	return c.IssueFor(ctx, api.IssueRequest{ServiceID: serviceID, Priority: priority})
}

// IssueFor takes a ticket as req says (with a phone for its messages).
func (c *Client) IssueFor(ctx context.Context, req api.IssueRequest) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.Tickets, req, &out)
	return out, err
}

// GivePhone adds the phone for a ticket's messages (the kiosk that printed
// it, just after).
func (c *Client) GivePhone(ctx context.Context, ticketID, phone string) error {
	_, err := c.do(ctx, "POST", api.Path(api.TicketPhone, ticketID), api.PhoneRequest{Phone: phone}, nil)
	return err
}

// Messages are the messages to citizens about a ticket (or, with dossier
// set, a dossier) as staff see them.
func (c *Client) Messages(ctx context.Context, ticketID, dossier string) ([]api.MessageView, error) {
	q := "?ticket=" + url.QueryEscape(ticketID)
	if dossier != "" {
		q = "?dossier=" + url.QueryEscape(dossier)
	}
	var out []api.MessageView
	_, err := c.do(ctx, "GET", api.Messages+q, nil, &out)
	return out, err
}

// CheckIn checks in the remote ticket of code (a kiosk's key): the ticket,
// to print.
func (c *Client) CheckIn(ctx context.Context, code string) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.CheckIns, api.CheckInRequest{Code: code}, &out)
	return out, err
}

// TicketStatus returns the public status of the ticket with that token.
func (c *Client) TicketStatus(ctx context.Context, token string) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "GET", api.Path(api.TicketByToken, token), nil, &out)
	return out, err
}

// Cancel withdraws a ticket (a kiosk: only its own, e.g. when printing failed).
func (c *Client) Cancel(ctx context.Context, ticketID, reason string) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.Path(api.TicketCancel, ticketID), api.TicketActionRequest{Reason: reason}, &out)
	return out, err
}

// Rejoin puts a no-show ticket back in the queue within the rejoin window.
func (c *Client) Rejoin(ctx context.Context, ticketID string) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.Path(api.TicketRejoin, ticketID), nil, &out)
	return out, err
}

// Login exchanges a username and PIN for a session token, which the client then
// uses for every call. It returns the clerk's display name.
func (c *Client) Login(ctx context.Context, username, pin string) (string, error) {
	return c.LoginWithNewPIN(ctx, username, pin, "")
}

// LoginWithNewPIN logs in like Login and, with newPIN, makes it the user's
// PIN: how a user holding a one-time code (an error problem.ESetPIN from
// Login) chooses theirs, or anyone changes their own.
func (c *Client) LoginWithNewPIN(ctx context.Context, username, pin, newPIN string) (string, error) {
	c.mu.Lock()
	c.auth = "" // an old, expired session must not stand in the way
	c.mu.Unlock()
	var out api.LoginAnswer
	if _, err := c.do(ctx, "POST", api.Login, api.LoginRequest{Username: username, PIN: pin, NewPIN: newPIN}, &out); err != nil {
		return "", err
	}
	c.mu.Lock()
	c.auth = out.Token
	c.mu.Unlock()
	return out.Name, nil
}

// Logout ends the session; the client forgets its token.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.do(ctx, "POST", api.Logout, nil, nil)
	c.mu.Lock()
	c.auth = ""
	c.mu.Unlock()
	return err
}

// Rate sends the citizen's rating from the rating screen paired to counter n.
func (c *Client) Rate(ctx context.Context, n int, ticketID, option string, reasons []string) (queue.Rating, error) {
	var out queue.Rating
	_, err := c.do(ctx, "POST", api.Path(api.CounterRating, n),
		api.RatingRequest{TicketID: ticketID, Option: option, Reasons: reasons}, &out)
	return out, err
}

// Next calls the next ticket at counter n; ok is false when nobody waits.
func (c *Client) Next(ctx context.Context, n int) (t api.TicketView, ok bool, err error) {
	code, err := c.do(ctx, "POST", api.Path(api.CounterAction, n, api.ActNext), nil, &t)
	return t, err == nil && code == http.StatusOK, err
}

// TicketAction runs recall, start, no-show, finish, transfer or call at counter n.
func (c *Client) TicketAction(ctx context.Context, n int, action string, req api.CounterRequest) (api.TicketView, error) {
	var out api.TicketView
	_, err := c.do(ctx, "POST", api.Path(api.CounterAction, n, action), req, &out)
	return out, err
}

// CounterAction runs open, close, pause or resume at counter n.
func (c *Client) CounterAction(ctx context.Context, n int, action string) (queue.Counter, error) {
	var out queue.Counter
	_, err := c.do(ctx, "POST", api.Path(api.CounterAction, n, action), nil, &out)
	return out, err
}

// ServiceToday closes a service for the rest of today (action
// api.ActCloseToday, with the reason the kiosks show) or opens it again
// (api.ActOpenToday); the supervisor or an admin. It returns the service after.
func (c *Client) ServiceToday(ctx context.Context, id, action, reason string) (queue.ServiceStatus, error) {
	var out queue.ServiceStatus
	_, err := c.do(ctx, "POST", api.Path(api.ServiceToday, id, action), api.ServiceTodayRequest{Reason: reason}, &out)
	return out, err
}

// Alert reports a device's trouble to the supervisors (device key only).
func (c *Client) Alert(ctx context.Context, code, message string) error {
	_, err := c.do(ctx, "POST", api.DeviceAlerts, api.AlertRequest{Code: code, Message: message}, nil)
	return err
}

// Printed tells the server the last number this kiosk printed for each
// service on day (YYYYMMDD).
func (c *Client) Printed(ctx context.Context, day string, last map[string]int) error {
	_, err := c.do(ctx, "POST", api.DevicePrinted, api.PrintedRequest{Day: day, Last: last}, nil)
	return err
}
