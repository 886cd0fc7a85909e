package api

import (
	"motcua/internal/notify"
	"motcua/internal/queue"
)

// SettingsDocument is the office's settings as GET /api/v1/admin/settings
// answers them and PUT takes them: the version (on PUT, the version the edit
// started from; 0 to skip that check) and the office, in the seed file's
// shape ("office" of the config file).
type SettingsDocument struct {
	Version uint64       `json:"version"`
	Office  queue.Office `json:"office"`
	// Users are the staff without their PINs. On PUT they may change name,
	// role and disabled, or leave; a new user needs a PIN, which only the
	// console makes (absent: the users stay as they are).
	Users []StaffView `json:"users,omitempty"`
	// Sync is where the event log ships (the province's PostgreSQL), its
	// password masked (queue.Mask); on PUT, absent leaves it as it is, and
	// a DSN sent back masked keeps the password in force.
	Sync *queue.Sync `json:"sync,omitempty"`
	// Notify is what the office tells citizens and how (the office's
	// "notify", shown here at the top); on PUT, absent leaves it as it is.
	Notify *notify.Settings `json:"notify,omitempty"`
}

// StaffView is a user as the settings document shows one: never the PIN.
type StaffView struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled,omitempty"`
}
