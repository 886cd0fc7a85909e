package zalo_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/notify"
	"motcua/internal/zalo"
	"motcua/internal/zalo/zalotest"
)

// kept is a token pair in memory (the province's PostgreSQL and the
// office's file have tests of their own).
type kept struct {
	mu sync.Mutex
	t  zalo.Token
	n  int
}

func (k *kept) Load(context.Context) (zalo.Token, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.t, nil
}
func (k *kept) Save(_ context.Context, t zalo.Token) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.t, k.n = t, k.n+1
	return nil
}

func TestZNSAsZaloDocumentsIt(t *testing.T) {
	z := zalotest.Start(t, "tpl-called", "tpl-near")
	tokens := &kept{t: zalo.Token{Refresh: z.Refresh()}}
	cfg := zalo.Config{AppID: z.AppID, SecretKey: z.Secret, OAuthURL: z.URL + "/v4/oa/access_token", SendURL: z.URL + "/message/template",
		Templates: map[notify.Kind]string{notify.Called: "tpl-called", notify.Near: "tpl-near", notify.Ready: "tpl-not-approved"}}
	c := zalo.New(cfg, tokens)
	now := time.Now()
	c.Now = func() time.Time { return now }
	ctx := context.Background()
	params := map[string]string{"office": "UBND phường Thử", "number": "A1024", "counter": "3", "secret": "not sent"}

	out := c.Send(ctx, "0912345678", notify.Called, params, "t:1/queue.called")
	if !out.Sent || !strings.HasPrefix(out.Answer, "ZNS msg_id ") || z.Refreshes != 1 || tokens.n != 1 {
		t.Fatalf("first send: %+v, %d refreshes, %d saves", out, z.Refreshes, tokens.n)
	}
	s := z.Sent()[0]
	if s.Phone != "84912345678" || s.Template != "tpl-called" || s.Tracking != "t:1/queue.called" || s.Data["counter"] != "3" || s.Data["secret"] != "" {
		t.Fatalf("Zalo got %+v", s)
	}
	if tokens.t.Refresh != z.Refresh() {
		t.Fatal("the new refresh token was not kept (a refresh token is good once)")
	}
	// A second send uses the token kept.
	if out := c.Send(ctx, "0912345678", notify.Near, params, "t:2/queue.near"); !out.Sent || z.Refreshes != 1 {
		t.Fatalf("second: %+v, %d refreshes", out, z.Refreshes)
	}
	// Near its expiry the token is refreshed before use.
	now = now.Add(25*time.Hour - 5*time.Minute)
	if out := c.Send(ctx, "0912345678", notify.Called, params, "t:3/queue.called"); !out.Sent || z.Refreshes != 2 || z.Refused != 0 {
		t.Fatalf("near expiry: %+v, %d refreshes, %d refused", out, z.Refreshes, z.Refused)
	}
	// Zalo revokes it early: -124, a refresh, the message goes.
	z.Revoke()
	if out := c.Send(ctx, "0912345678", notify.Called, params, "t:4/queue.called"); !out.Sent || z.Refreshes != 3 || z.Refused != 1 {
		t.Fatalf("revoked: %+v, %d refreshes, %d refused", out, z.Refreshes, z.Refused)
	}
	// A template not approved, a kind with none, a phone without Zalo: never by ZNS.
	for _, c2 := range []struct {
		kind  notify.Kind
		phone string
	}{{notify.Ready, "0912345678"}, {notify.Lapsed, "0912345678"}, {notify.Called, "0987654321"}} {
		z.NoZalo["84987654321"] = true
		if out := c.Send(ctx, c2.phone, c2.kind, params, "x"); out.Sent || !out.Permanent {
			t.Fatalf("%s to %s: %+v", c2.kind, c2.phone, out)
		}
	}
	// The rate limit: waits, not counted as a try.
	z.PerSecond = 1
	var limitedOut notify.Outcome
	for range 3 {
		if o := c.Send(ctx, "0912345678", notify.Called, params, "t:5/queue.called"); o.Limited {
			limitedOut = o
		}
	}
	if !limitedOut.Limited || limitedOut.RetryAfter < time.Second {
		t.Fatalf("no rate limit seen: %+v", limitedOut)
	}
	// Someone else used the refresh token: the send fails, saying why, and is tried again later.
	z.PerSecond = 0
	z.Revoke()
	tokens.t.Refresh = "used-already"
	if out := c.Send(ctx, "0912345678", notify.Called, params, "t:6/queue.called"); out.Sent || out.Permanent || !strings.Contains(out.Answer, "Invalid refresh token") {
		t.Fatalf("a used refresh token: %+v", out)
	}
}
