package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"motcua/internal/notify"
)

// FileTokens keeps an office's own OA's token pair in a file of its data
// directory (0600, written whole then renamed: a stop never leaves half a
// pair, and a used refresh token is never all that is left).
type FileTokens struct{ Path string }

// Load reads the pair (empty when the file is not there yet).
func (f FileTokens) Load(context.Context) (Token, error) {
	var t Token
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err == nil {
		err = json.Unmarshal(raw, &t)
	}
	return t, err
}

// Save writes the pair.
func (f FileTokens) Save(_ context.Context, t Token) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".zalo-token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// Channel is a client as the office's outbox takes it (the office's own OA).
type Channel struct{ C *Client }

// Send sends m by ZNS.
func (c Channel) Send(ctx context.Context, m notify.Message, _ notify.Settings) notify.Outcome {
	return c.C.Send(ctx, m.Phone, m.Kind, m.Params, m.ID)
}
