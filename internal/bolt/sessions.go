package bolt

import (
	"crypto/sha256"
	"encoding/json"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// session is a logged-in clerk or admin. Only a hash of its token is stored, so a
// copy of the database does not let anyone log in.
type session struct {
	Username   string    `json:"u"`
	Credential uint64    `json:"c,omitempty"` // the user's at login (queue.StaffUser.Credential)
	Expires    time.Time `json:"exp"`
}

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// PutSession stores a login of username under its token until expires.
func (s *Store) PutSession(token, username string, credential uint64, expires time.Time) error {
	raw, err := json.Marshal(session{Username: username, Credential: credential, Expires: expires})
	if err != nil {
		return err
	}
	return s.update(func(tx *wtx) error { return tx.Bucket(bSessions).Put(tokenKey(token), raw) })
}

// Session returns the username of token's unexpired session and the
// user's credential version it was made under.
func (s *Store) Session(token string, now time.Time) (string, uint64, bool) {
	var sess session
	var ok bool
	s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSessions).Get(tokenKey(token))
		ok = v != nil && json.Unmarshal(v, &sess) == nil && now.Before(sess.Expires)
		return nil
	})
	return sess.Username, sess.Credential, ok
}

// DeleteSession logs a token out, and drops every expired session.
func (s *Store) DeleteSession(token string, now time.Time) error {
	return s.update(func(tx *wtx) error {
		b := tx.Bucket(bSessions)
		if err := b.Delete(tokenKey(token)); err != nil {
			return err
		}
		// Collect first: deleting while a cursor walks may skip keys.
		var stale [][]byte
		b.ForEach(func(k, v []byte) error {
			var sess session
			if json.Unmarshal(v, &sess) != nil || !now.Before(sess.Expires) {
				stale = append(stale, k)
			}
			return nil
		})
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
