package auth

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// TicketToken makes the public token of a ticket: 48 bits of the issue time in
// milliseconds, then 80 random bits. The random part makes it unguessable; the
// time prefix makes tokens arrive in key order, so storing one appends to the
// token index instead of splitting pages at random (fewer pages per commit).
func TicketToken(now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (8 * (5 - i)))
	}
	rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

func RandomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
