package replicate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/province"
	"motcua/internal/queue"
)

// sink is where the batches go: the province's service, over the uplink.
type sink interface {
	// cursor is the office the province holds the events under, and how far
	// it holds them without a gap.
	cursor(ctx context.Context) (office string, folded uint64, err error)
	// ship stores a batch (and the settings, when profile is not nil); no
	// events and no profile is a sign of life.
	ship(ctx context.Context, profile []byte, evs []province.Event) error
	close()
}

// uplink ships to the province's service with the office's key; the key
// names the office there. An office id in the settings is sent as a claim
// the province checks.
type uplink struct {
	base, key, claim string
	client           *http.Client
}

func newUplink(t queue.Sync) *uplink {
	return &uplink{base: strings.TrimRight(t.URL, "/"), key: t.Key, claim: t.Office,
		client: &http.Client{Timeout: time.Minute}}
}

func (u *uplink) cursor(ctx context.Context) (string, uint64, error) {
	var a api.UplinkAnswer
	err := u.call(ctx, http.MethodGet, api.UplinkCursor, nil, &a)
	return a.Office, a.Folded, err
}

func (u *uplink) ship(ctx context.Context, profile []byte, evs []province.Event) error {
	b := api.UplinkBatch{Office: u.claim, Profile: profile, Events: make([]api.UplinkEvent, len(evs))}
	for i, e := range evs {
		b.Events[i] = api.UplinkEvent{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
	}
	body, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return u.call(ctx, http.MethodPost, api.UplinkEvents, body, &api.UplinkAnswer{})
}

func (u *uplink) close() { u.client.CloseIdleConnections() }

// call sends one request and reads its answer into out; the province's
// refusal comes back as the error it says (in both languages).
func (u *uplink) call(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+u.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.client.Do(req)
	if err != nil {
		return fmt.Errorf("không kết nối được dịch vụ của tỉnh / cannot reach the province's service: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		var e api.ErrorBody
		if json.Unmarshal(raw, &e) == nil && e.Error.Code != "" {
			p := e.Problem()
			return fmt.Errorf("%s / %s", p.Message, p.MessageEN)
		}
		return fmt.Errorf("the province answered %s", resp.Status)
	}
	return json.Unmarshal(raw, out)
}
