package api

import "motcua/internal/queue"

// SettingsDocument is the office's settings as GET /api/v1/admin/settings
// answers them and PUT takes them: the version (on PUT, the version the edit
// started from; 0 to skip that check) and the office, in the seed file's
// shape ("office" of the config file).
type SettingsDocument struct {
	Version uint64       `json:"version"`
	Office  queue.Office `json:"office"`
}
