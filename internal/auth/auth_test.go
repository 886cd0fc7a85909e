package auth

import (
	"testing"
	"time"

	"motcua/internal/queue"

	"golang.org/x/crypto/bcrypt"
)

// Unknown usernames cost the same bcrypt work as known ones: the answer time
// does not tell which exist.
func TestUnknownUserCostsTheSame(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("135790"), 6)
	a := New(Config{Users: []queue.StaffUser{{Username: "lan", PINHash: string(hash)}}, TTL: time.Hour})
	if got, _ := bcrypt.Cost(a.dummyHash); got != 6 {
		t.Errorf("dummy hash cost %d, want the users' 6", got)
	}
}
