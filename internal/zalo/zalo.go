// Package zalo sends ZNS (Zalo Notification Service) template messages
// from an Official Account: the province's (motcua-province serve
// --zalo-config) or an office's own (motcua-server --zalo-config). It keeps
// the OA's access token fresh: Zalo's refresh token is good for one use, so
// each refresh's new pair is saved (Tokens) before the access token is
// used, and a refresh is made before the access token expires or when Zalo
// says it is no longer valid. Each kind of message maps to a template the
// OA had approved, its parameters the message's (docs/NOTIFY.md).
package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"motcua/internal/notify"
	"motcua/internal/problem"
)

// Zalo's addresses (the config may point elsewhere: a test's server).
const (
	DefaultOAuthURL = "https://oauth.zaloapp.com/v4/oa/access_token"
	DefaultSendURL  = "https://business.openapi.zalo.me/message/template"
)

// Config is the OA's application and its approved templates.
type Config struct {
	AppID     string `json:"app_id"`
	SecretKey string `json:"secret_key"`
	// Templates maps a kind of message to its approved template's id;
	// a kind without one is not sent by ZNS (the next channel takes it).
	Templates map[notify.Kind]string `json:"templates"`
	OAuthURL  string                 `json:"oauth_url,omitempty"`
	SendURL   string                 `json:"send_url,omitempty"`
}

// ReadConfig reads a --zalo-config file.
func ReadConfig(path string) (Config, error) {
	var c Config
	raw, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err == nil && (c.AppID == "" || c.SecretKey == "") {
		err = errors.New("app_id and secret_key are needed")
	}
	for k := range c.Templates {
		if err == nil && !k.Known() {
			err = fmt.Errorf("templates: there is no kind %q", k)
		}
	}
	if err != nil {
		return c, problem.Errorf(problem.EInvalid, "Tệp cấu hình Zalo %s: %v", "Zalo config file %s: %v", path, err)
	}
	if c.OAuthURL == "" {
		c.OAuthURL = DefaultOAuthURL
	}
	if c.SendURL == "" {
		c.SendURL = DefaultSendURL
	}
	return c, nil
}

// Token is the OA's access token and the refresh token that replaces it.
type Token struct {
	Access  string
	Expires time.Time
	Refresh string
}

// Tokens keeps the OA's token pair durably (the province's PostgreSQL, an
// office's data directory).
type Tokens interface {
	Load(ctx context.Context) (Token, error)
	Save(ctx context.Context, t Token) error
}

// Client sends for one OA.
type Client struct {
	Config Config
	Tokens Tokens
	HTTP   *http.Client
	Now    func() time.Time

	mu sync.Mutex // one refresh at a time: a refresh token is good once
}

// New is a client of cfg keeping its tokens in tokens.
func New(cfg Config, tokens Tokens) *Client {
	return &Client{Config: cfg, Tokens: tokens, HTTP: &http.Client{Timeout: 15 * time.Second}, Now: time.Now}
}

// refreshBefore: a token this close to its expiry is refreshed first.
const refreshBefore = 10 * time.Minute

// access is a valid access token: the one kept, or a fresh one when it
// expires soon or stale names it as refused by Zalo.
func (c *Client) access(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, err := c.Tokens.Load(ctx)
	if err != nil {
		return "", err
	}
	if t.Access != "" && t.Access != stale && c.Now().Add(refreshBefore).Before(t.Expires) {
		return t.Access, nil
	}
	if t.Refresh == "" {
		return "", errors.New("no refresh token: motcua-province zalo-token (or the office's) keeps one first")
	}
	form := url.Values{"app_id": {c.Config.AppID}, "refresh_token": {t.Refresh}, "grant_type": {"refresh_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Config.OAuthURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.Config.SecretKey)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var got struct {
		Access    string          `json:"access_token"`
		Refresh   string          `json:"refresh_token"`
		ExpiresIn json.RawMessage `json:"expires_in"` // Zalo writes it as a string of seconds
		Error     int             `json:"error"`
		Name      string          `json:"error_name"`
		Reason    string          `json:"error_reason"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&got); err != nil {
		return "", fmt.Errorf("refreshing the access token: HTTP %d, %v", resp.StatusCode, err)
	}
	secs, _ := strconv.Atoi(strings.Trim(string(got.ExpiresIn), `"`))
	if got.Access == "" || got.Refresh == "" || secs <= 0 {
		return "", fmt.Errorf("refreshing the access token: Zalo said %d %s %s", got.Error, got.Name, got.Reason)
	}
	t = Token{Access: got.Access, Refresh: got.Refresh, Expires: c.Now().Add(time.Duration(secs) * time.Second)}
	if err := c.Tokens.Save(ctx, t); err != nil {
		return "", fmt.Errorf("keeping the new tokens: %w", err)
	}
	return t.Access, nil
}

// Send sends one message of kind to phone with its template's parameters;
// trackingID is the message's id (Zalo keeps it beside its own msg_id).
func (c *Client) Send(ctx context.Context, phone string, kind notify.Kind, params map[string]string, trackingID string) notify.Outcome {
	template := c.Config.Templates[kind]
	if template == "" {
		return notify.Outcome{Permanent: true, Answer: fmt.Sprintf("ZNS: chưa có mẫu tin được duyệt cho %s / no approved template for %s", kind, kind)}
	}
	data := map[string]string{}
	for _, p := range kind.Params() {
		data[p] = params[p]
	}
	body, _ := json.Marshal(map[string]any{"phone": notify.International(phone), "template_id": template, "template_data": data, "tracking_id": trackingID})
	stale := ""
	for range 2 { // once more after a refresh, when Zalo refuses the token
		token, err := c.access(ctx, stale)
		if err != nil {
			return notify.Outcome{Answer: "ZNS: " + err.Error()}
		}
		out, refused := c.send(ctx, token, body)
		if !refused {
			return out
		}
		stale = token
	}
	return notify.Outcome{Answer: "ZNS: Zalo refused a fresh access token"}
}

func (c *Client) send(ctx context.Context, token string, body []byte) (out notify.Outcome, refused bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Config.SendURL, bytes.NewReader(body))
	if err != nil {
		return notify.Outcome{Answer: "ZNS: " + err.Error()}, false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return notify.Outcome{Answer: "ZNS: " + err.Error()}, false
	}
	defer resp.Body.Close()
	var got struct {
		Error   int    `json:"error"`
		Message string `json:"message"`
		Data    struct {
			MsgID string `json:"msg_id"`
		} `json:"data"`
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return notify.Outcome{Limited: true, RetryAfter: retryAfter(resp), Answer: "ZNS: HTTP 429"}, false
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&got); err != nil {
		return notify.Outcome{Answer: fmt.Sprintf("ZNS: HTTP %d, %v", resp.StatusCode, err)}, false
	}
	answer := fmt.Sprintf("ZNS %d: %s", got.Error, got.Message)
	if got.Error == 0 && got.Data.MsgID != "" {
		return notify.Outcome{Sent: true, Answer: "ZNS msg_id " + got.Data.MsgID}, false
	}
	switch classify(got.Error) {
	case tokenRefused:
		return notify.Outcome{Answer: answer}, true
	case limited:
		wait := time.Second // the app's rate a second: a moment
		if got.Error == quotaUsed {
			wait = time.Hour // the OA's daily quota: the SMS fallback is not for this
		}
		if h := resp.Header.Get("Retry-After"); h != "" {
			wait = retryAfter(resp)
		}
		return notify.Outcome{Limited: true, RetryAfter: wait, Answer: answer}, false
	case never:
		return notify.Outcome{Permanent: true, Answer: answer}, false
	}
	return notify.Outcome{Answer: answer}, false
}

func retryAfter(resp *http.Response) time.Duration {
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(min(s, 3600)) * time.Second
	}
	return time.Minute
}
