package console

import (
	"fmt"
	"strconv"

	"motcua/internal/queue"
)

// A new office's console says what is left before its first day: the
// office's own details, its services and counters, its staff, its devices
// paired, its procedure catalogue, this year's calendar, the province.

// step is one line of the checklist.
type step struct {
	Done         bool
	Text, TextEN string
	Link         string // the page that does it
}

// officeHome is the office page with the checklist.
type officeHome struct {
	officeView
	Steps []step
	Left  int // steps not done
}

// checklist is how the office stands.
func (c *Console) checklist(o queue.Office) []step {
	staff, kiosks := 0, 0
	for _, u := range c.InForce.Staff() {
		if u.Role == queue.RoleClerk && !u.Disabled {
			staff++
		}
	}
	for _, d := range c.InForce.Devices() {
		if d.Kind == queue.DeviceKiosk {
			kiosks++
		}
	}
	year := c.Now().In(c.InForce.Zone()).Year()
	hasYear := false
	for _, y := range c.InForce.Years() {
		hasYear = hasYear || y.Year == year
	}
	procedures := len(c.InForce.Catalogue().Procedures)
	return []step{
		{o.Authority != "" && o.Place != "", "Thông tin văn phòng in trên biểu mẫu (cơ quan chủ quản, địa danh)", "The office's details printed on the forms (authority, place)", "/admin"},
		{len(o.Hours.Weekday) > 0, "Giờ làm việc (cấp số, hạn trả kết quả, bảng hiển thị)", "Working hours (tickets, return dates, the boards)", "/admin"},
		{len(o.Services) > 1 || len(o.Services) == 1 && o.Services[0].ID != "tiep_nhan", "Dịch vụ (lĩnh vực) của văn phòng: " + strconv.Itoa(len(o.Services)), "The office's services: " + strconv.Itoa(len(o.Services)), "/admin/services"},
		{len(o.Counters) > 0, "Quầy và dịch vụ mỗi quầy phục vụ: " + strconv.Itoa(len(o.Counters)), "Counters and what each serves: " + strconv.Itoa(len(o.Counters)), "/admin/counters"},
		{staff > 0, fmt.Sprintf("Cán bộ tiếp nhận: %d", staff), fmt.Sprintf("Clerks: %d", staff), "/admin/users"},
		{kiosks > 0, fmt.Sprintf("Thiết bị đã ghép nối (máy lấy số: %d)", kiosks), fmt.Sprintf("Devices paired (kiosks: %d)", kiosks), "/admin/devices"},
		{procedures > 0, fmt.Sprintf("Danh mục thủ tục: %d", procedures), fmt.Sprintf("Procedure catalogue: %d", procedures), "/admin/catalogue"},
		{hasYear, fmt.Sprintf("Lịch làm việc năm %d", year), fmt.Sprintf("The working calendar of %d", year), "/admin/calendar"},
		{c.Settings.Sync().Uplink(), "Gửi số liệu lên tỉnh (không bắt buộc)", "Shipping to the province (optional)", "/admin/sync"},
	}
}
