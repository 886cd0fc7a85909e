package server

import "motcua/internal/queue"

// Roles of users.
const (
	RoleClerk      = queue.RoleClerk
	RoleSupervisor = queue.RoleSupervisor
	RoleAdmin      = queue.RoleAdmin
)

// Device kinds.
const (
	DeviceKiosk   = queue.DeviceKiosk
	DeviceDisplay = queue.DeviceDisplay
	DeviceRating  = queue.DeviceRating
)

// User is a clerk, supervisor or admin who logs in with a username and PIN
// (PINHash: its bcrypt hash; motcua-server hash-pin makes one).
type User = queue.StaffUser

// Device is a kiosk, display or rating screen that authenticates with a key
// (from a config file) or the key's hash (from the settings).
type Device = queue.Device
