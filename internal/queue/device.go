package queue

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"motcua/internal/problem"
)

// Device kinds. Kiosks issue tickets; displays only read; a rating screen
// faces the citizen at one counter and only rates.
const (
	DeviceKiosk   = "kiosk"
	DeviceDisplay = "display"
	DeviceRating  = "rating"
	// DeviceStandby is a second PC that follows this server (its key:
	// motcua-server standby-key); one at a time.
	DeviceStandby = "standby"
)

// DeviceKindNames are the kinds in words, Vietnamese / English.
var DeviceKindNames = map[string]string{DeviceKiosk: "Kiosk lấy số / kiosk", DeviceDisplay: "Bảng gọi số / board", DeviceRating: "Màn hình đánh giá / rating screen", DeviceStandby: "Máy chủ dự phòng / standby server"}

// Device is a kiosk, display or rating screen that authenticates with a key.
// The settings keep the key's SHA-256 only (KeyHash); a config file gives
// the key itself (Key), which the store hashes when it takes it.
type Device struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Key     string `json:"key,omitempty"`
	KeyHash string `json:"key_sha256,omitempty"`
	// Counter pairs a rating screen with its counter.
	Counter int `json:"counter,omitempty"`
}

// KeyHashOf is the SHA-256 of a device key, in hex.
func KeyHashOf(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// Hashed returns the device with its key replaced by the key's hash.
func (d Device) Hashed() Device {
	if d.Key != "" {
		d.KeyHash, d.Key = KeyHashOf(d.Key), ""
	}
	return d
}

// HashedDevices is devices with their keys as hashes (nil stays nil).
func HashedDevices(devices []Device) []Device {
	if devices == nil {
		return nil
	}
	out := make([]Device, len(devices))
	for i, d := range devices {
		out[i] = d.Hashed()
	}
	return out
}

// ValidateDevices checks the devices against the office's counters, as the
// config file's and the console's changes are checked.
func ValidateDevices(devices []Device, office Office) error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: "+vi, "config: "+en, args...)
	}
	ids, keys := map[string]bool{}, map[string]bool{}
	standbys := 0
	for _, d := range devices {
		if !ValidUsername(d.ID) || ids[d.ID] {
			return bad("mã thiết bị %q không hợp lệ hoặc bị trùng", "device id %q is invalid or duplicated", d.ID)
		}
		ids[d.ID] = true
		if _, ok := DeviceKindNames[d.Kind]; !ok {
			return bad("thiết bị %q có loại %q; chỉ dùng kiosk, display, rating hoặc standby", "device %q has kind %q; use kiosk, display, rating or standby", d.ID, d.Kind)
		}
		if d.Kind == DeviceStandby {
			standbys++
		}
		if standbys > 1 {
			return bad("chỉ một máy dự phòng (thiết bị %q là máy thứ hai)", "one standby only (device %q is a second)", d.ID)
		}
		if d.Kind == DeviceRating && !slices.ContainsFunc(office.Counters, func(c CounterConfig) bool { return c.Number == d.Counter }) {
			return bad("màn hình đánh giá %q phải gắn với một quầy có thật (counter)", "rating screen %q must name an existing counter", d.ID)
		}
		if d.Kind != DeviceRating && d.Counter != 0 {
			return bad("chỉ màn hình đánh giá mới gắn với quầy (thiết bị %q)", "only rating screens name a counter (device %q)", d.ID)
		}
		key := d.Hashed().KeyHash
		if keys[key] || strings.TrimSpace(d.Key) == "" && d.KeyHash == "" {
			return bad("khoá của thiết bị %q trống hoặc trùng với thiết bị khác", "key of device %q is empty or shared", d.ID)
		}
		keys[key] = true
	}
	return nil
}

// DeviceChanges lists what differs between two lists of devices, by id; a
// key only as changed.
func DeviceChanges(before, after []Device) []string {
	old := map[string]Device{}
	for _, d := range before {
		old[d.ID] = d.Hashed()
	}
	var out []string
	seen := map[string]bool{}
	for _, d := range after {
		d = d.Hashed()
		seen[d.ID] = true
		o, ok := old[d.ID]
		p := "devices[" + d.ID + "]"
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: thêm / added (%s)", p, d.Kind))
			continue
		case o.Kind != d.Kind || o.Counter != d.Counter:
			out = append(out, fmt.Sprintf("%s: %s %d → %s %d", p, o.Kind, o.Counter, d.Kind, d.Counter))
		}
		if o.KeyHash != d.KeyHash {
			out = append(out, p+".key: đổi / changed")
		}
	}
	for _, d := range before {
		if !seen[d.ID] {
			out = append(out, fmt.Sprintf("devices[%s]: thu hồi / revoked", d.ID))
		}
	}
	return out
}
