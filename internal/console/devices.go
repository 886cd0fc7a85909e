package console

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// deviceRoster is the devices page: pair a device that shows a code, add one
// with a key for its file, give one a new key, revoke one; beside each, how
// it was last heard from.
var deviceRoster = roster[queue.Device]{
	page: devicesPage, path: "/admin/devices", field: "id",
	saved: "Đã thu hồi; thiết bị đó không vào được nữa. / Revoked; that device can no longer connect.",
	id:    func(d queue.Device) string { return d.ID },
	blank: queue.Device{Kind: queue.DeviceKiosk},
	list:  func(c *Console) []queue.Device { return c.InForce.Devices() },
	keep: func(c *Console, ctx context.Context, by queue.Actor, base uint64, devices []queue.Device) (uint64, error) {
		return c.Settings.ChangeDevices(ctx, by, base, devices)
	},
	act:   actOnDevice,
	after: pairDevice,
	fill:  func(c *Console, v *rosterView[queue.Device]) { v.Seen = c.seen() },
}

func actOnDevice(c *Console, f url.Values, devices []queue.Device, i int, v *rosterView[queue.Device]) ([]queue.Device, error) {
	id := strings.TrimSpace(f.Get("id"))
	newKey := func(d *queue.Device) {
		key := auth.RandomToken(24)
		d.Key, d.KeyHash, v.NewSecret = key, "", &shownSecret{Owner: d.ID, Secret: key}
	}
	switch f.Get("action") {
	case "add", "pair":
		n, err := formInt(f, "counter", "quầy", "counter")
		d := queue.Device{ID: id, Kind: f.Get("kind"), Counter: n}
		if d.Kind != queue.DeviceRating {
			d.Counter = 0
		}
		v.New = d
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			return nil, errThereIs("thiết bị", "device", id)
		}
		devices = append(devices, d)
		newKey(&devices[len(devices)-1])
		if f.Get("action") == "pair" {
			v.PairCode = pairingCode(f.Get("code"))
			if !c.Room.PairingWaits(v.PairCode) {
				return nil, problem.Errorf(problem.ENotFound, "Không có thiết bị nào đang chờ với mã %q (mã hết hạn sau 10 phút)", "no device waits with the code %q (codes expire after 10 minutes)", v.PairCode)
			}
		}
	case "rekey", "revoke":
		if i < 0 {
			return nil, errNoMore("thiết bị", "device", id)
		}
		if f.Get("action") == "revoke" {
			devices = slices.Delete(devices, i, i+1)
		} else {
			newKey(&devices[i])
		}
	default:
		return nil, errUnknownAction
	}
	return devices, nil
}

// pairDevice hands a paired device its key: the key goes to the device,
// not to this page.
func pairDevice(c *Console, devices []queue.Device, v *rosterView[queue.Device]) {
	if v.PairCode == "" {
		return
	}
	d := devices[len(devices)-1]
	c.Room.Pair(v.PairCode, api.PairedAnswer{ID: d.ID, Kind: d.Kind, Counter: d.Counter, Key: v.NewSecret.Secret})
	v.NewSecret = nil
	v.Notice = "Đã ghép nối " + d.ID + ": thiết bị nhận khoá ngay. / " + d.ID + " is paired: the device gets its key now."
}

// seenView is a device's line on the devices page: how it was last heard from.
type seenView struct {
	When, Version, Printer string
	Online, Trouble        bool
}

// printerWords are the printer's states as the devices page says them.
var printerWords = map[string]string{
	"ok": "bình thường / ok", "none": "không có máy in / none",
	"printer_paper_out": "HẾT GIẤY / out of paper", "printer_offline": "KHÔNG PHẢN HỒI / not answering",
	"printer_cover_open": "NẮP ĐANG MỞ / cover open", "printer_save_failed": "KHÔNG LƯU ĐƯỢC PHIẾU / cannot save",
}

// seen is every device heard from, in words, in the office's time.
func (c *Console) seen() map[string]seenView {
	loc, now := c.InForce.Zone(), c.Now()
	out := map[string]seenView{}
	for _, d := range c.Room.DeviceViews() {
		if d.LastSeen.IsZero() {
			continue // not heard from since the server started
		}
		v := seenView{Online: d.Online, Version: strings.TrimPrefix(d.Agent, "motcua-")}
		switch at := d.LastSeen.In(loc); {
		case v.Online:
			v.When = "đang kết nối / connected"
		case queue.DayOf(at, loc) == queue.DayOf(now, loc):
			v.When = at.Format("15:04")
		default:
			v.When = at.Format("15:04 02/01")
		}
		if d.Printer != "" {
			words, known := printerWords[d.Printer]
			if !known {
				words = d.Printer
			}
			v.Printer = words + " (" + d.PrinterAt.In(loc).Format("15:04") + ")"
			v.Trouble = d.Printer != "ok" && d.Printer != "none"
		}
		out[d.ID] = v
	}
	return out
}

// pairingCode is the code typed as the device shows it ("211 022"), or as
// anyone types it ("211-022", "211.022", "２１１０２２"): its digits.
func pairingCode(typed string) string { return queue.Digits(typed) }
