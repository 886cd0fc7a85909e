package bolt

import (
	"crypto/sha256"
	"encoding/json"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Session is a logged-in clerk or admin. Only a hash of its token is stored, so a
// copy of the database does not let anyone log in.
type Session struct {
	Username string    `json:"u"`
	Expires  time.Time `json:"exp"`
}

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// PutSession stores a session under its token.
func (s *Store) PutSession(token string, sess Session) error {
	raw, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bSessions).Put(tokenKey(token), raw) })
}

// Session returns the unexpired session of token.
func (s *Store) Session(token string, now time.Time) (Session, bool) {
	var sess Session
	var ok bool
	s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSessions).Get(tokenKey(token))
		ok = v != nil && json.Unmarshal(v, &sess) == nil && now.Before(sess.Expires)
		return nil
	})
	return sess, ok
}

// DeleteSession logs a token out, and drops every expired session.
func (s *Store) DeleteSession(token string, now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSessions)
		if err := b.Delete(tokenKey(token)); err != nil {
			return err
		}
		// Collect first: deleting while a cursor walks may skip keys.
		var stale [][]byte
		b.ForEach(func(k, v []byte) error {
			var sess Session
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
