package api

import "time"

// LoginRequest is the body of POST Login.
type LoginRequest struct {
	Username string `json:"username"`
	PIN      string `json:"pin"`
	// NewPIN, when set, becomes the user's PIN once PIN is checked; a user
	// holding a one-time code gets 403 set_pin until they give one.
	NewPIN string `json:"new_pin,omitempty"`
}

// LoginAnswer is what a login gives: the session token for every later call.
type LoginAnswer struct {
	Token     string    `json:"token"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at"`
}

// MeAnswer says who the caller is (GET Me).
type MeAnswer struct {
	Kind       string `json:"kind"` // clerk, admin, device
	ID         string `json:"id"`
	Name       string `json:"name,omitempty"`
	DeviceKind string `json:"device_kind,omitempty"`
}
