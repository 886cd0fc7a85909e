package counter

// texts are the counter's sentences, Vietnamese first, English second.
var texts = map[string][2]string{
	"title":            {"Đăng nhập quầy", "Counter login"},
	"username":         {"Tên đăng nhập", "Username"},
	"pin":              {"Mã PIN", "PIN"},
	"counter":          {"Quầy số", "Counter"},
	"login":            {"Đăng nhập", "Log in"},
	"choose counter":   {"Hãy chọn quầy làm việc", "Choose your counter"},
	"welcome":          {"Xin chào %s — quầy %d đã mở", "Hello %s — counter %d is open"},
	"logout":           {"Đăng xuất", "Log out"},
	"device alert":     {"Báo lỗi thiết bị:", "Device alert:"},
	"seen":             {"Đã xem", "Seen"},
	"session expired":  {"Phiên đăng nhập đã hết hạn — vui lòng đăng nhập lại", "Your session has expired — please log in again"},
	"logged out":       {"Đã đăng xuất và đóng quầy", "Logged out; the counter is closed"},
	"failed":           {"Không thực hiện được:", "Not done:"},
	"check state":      {"chưa rõ thao tác đã được ghi nhận chưa; xem lại số đang phục vụ khi có kết nối", "it is not known whether the action was recorded; check the current ticket once connected"},
	"offline":          {"MẤT KẾT NỐI MÁY CHỦ — đang kết nối lại… Các thao tác tạm khoá.", "SERVER CONNECTION LOST — reconnecting… Actions are disabled."},
	"header":           {"Quầy %d — %s", "Counter %d — %s"},
	"paused state":     {"ĐANG TẠM NGHỈ", "PAUSED"},
	"no current":       {"Chưa gọi số nào", "No ticket called"},
	"state called":     {"Đang mời", "Called"},
	"state serving":    {"Đang phục vụ", "Serving"},
	"waited":           {"Đã chờ %d phút", "Waited %d min"},
	"recalls":          {"Đã gọi lại %d lần", "Recalled %d times"},
	"transfer note":    {"Ghi chú chuyển: %s", "Transfer note: %s"},
	"priority":         {"Ưu tiên: %s", "Priority: %s"},
	"next":             {"Gọi tiếp [F1]", "Call next [F1]"},
	"recall":           {"Gọi lại [F2]", "Recall [F2]"},
	"no-show":          {"Vắng mặt [F3]", "No-show [F3]"},
	"transfer":         {"Chuyển… [F4]", "Transfer… [F4]"},
	"finish":           {"Hoàn thành [F5]", "Finish [F5]"},
	"pause":            {"Tạm nghỉ [F6]", "Pause [F6]"},
	"resume":           {"Tiếp tục [F6]", "Resume [F6]"},
	"waiting":          {"Đang chờ", "Waiting"},
	"waiting count":    {"%s: %d người", "%s: %d"},
	"order":            {"Thứ tự gọi (chạm để gọi trước, cần lý do)", "Call order (tap to call out of order; needs a reason)"},
	"missed":           {"Vắng mặt — còn xếp lại được", "Missed — may rejoin"},
	"rejoin":           {"Xếp lại %s", "Rejoin %s"},
	"nobody":           {"Không có ai", "Nobody"},
	"transfer to":      {"Chuyển số %s sang dịch vụ:", "Transfer %s to service:"},
	"note":             {"Ghi chú cho quầy sau (không bắt buộc)", "Note for the next counter (optional)"},
	"confirm":          {"Xác nhận [Enter]", "Confirm [Enter]"},
	"cancel":           {"Huỷ [Esc]", "Cancel [Esc]"},
	"call reason":      {"Gọi số %s trước lượt — lý do (bắt buộc, được ghi lại):", "Call %s out of order — reason (required, logged):"},
	"choose service":   {"Hãy chọn dịch vụ cần chuyển sang", "Choose the service to transfer to"},
	"none waiting":     {"Không còn ai chờ", "Nobody is waiting"},
	"called":           {"Đã gọi số %s", "Called %s"},
	"recalled":         {"Đã gọi lại số %s", "Recalled %s"},
	"no-showed":        {"Số %s vắng mặt", "%s marked absent"},
	"finished":         {"Đã hoàn thành số %s — mời công dân đánh giá", "%s finished — the citizen is asked to rate"},
	"transferred":      {"Đã chuyển số %s", "Transferred %s"},
	"rejoined":         {"Số %s đã được xếp lại", "%s is back in the queue"},
	"paused":           {"Quầy đang tạm nghỉ", "The counter is paused"},
	"resumed":          {"Quầy làm việc trở lại", "The counter is working again"},
	"rating wait":      {"Công dân đang đánh giá số %s (còn %d giây)", "The citizen is rating %s (%d s left)"},
	"language":         {"English", "Tiếng Việt"},
	"intake":           {"Tiếp nhận hồ sơ [F7]", "Receive a dossier [F7]"},
	"hand back":        {"Đã trả kết quả", "Result handed back"},
	"return dossier":   {"Trả kết quả hồ sơ %s", "Hand back dossier %s"},
	"handed back":      {"Đã trả hồ sơ %s, xong số %s", "Dossier %s handed back; %s finished"},
	"intake title":     {"Tiếp nhận hồ sơ", "Receive a dossier"},
	"procedure search": {"Tìm thủ tục (gõ không dấu cũng được) hoặc mã thủ tục", "Find the procedure (no accents needed) or its code"},
	"scan cccd":        {"Quét mã QR trên thẻ căn cước vào đây", "Scan the ID card's QR here"},
	"cccd":             {"Thẻ căn cước", "ID card QR"},
	"cccd read":        {"Đã đọc thông tin từ thẻ căn cước — hãy đối chiếu với thẻ", "Read from the ID card — check it against the card"},
	"applicant":        {"Họ tên người nộp", "Applicant"},
	"id number":        {"Số CCCD/CMND", "ID number"},
	"phone":            {"Điện thoại", "Phone"},
	"address":          {"Địa chỉ", "Address"},
	"sets":             {"Số bộ hồ sơ", "Sets"},
	"delivery":         {"Nhận kết quả", "Collect at"},
	"at desk":          {"Tại Bộ phận Một cửa", "The desk"},
	"by post":          {"Qua bưu điện", "By post"},
	"reason":           {"Lý do (bắt buộc khi từ chối)", "Reason (required to refuse)"},
	"other missing":    {"Giấy tờ khác còn thiếu, cách nhau bởi ;", "Other missing papers, separated by ;"},
	"receive":          {"Tiếp nhận — in Mẫu 01", "Receive — print Mẫu 01"},
	"incomplete":       {"Chưa đủ — in Mẫu 02", "Incomplete — print Mẫu 02"},
	"refuse":           {"Từ chối — in Mẫu 03", "Refuse — print Mẫu 03"},
	"choose procedure": {"Hãy chọn thủ tục", "Choose the procedure"},
	"intake done":      {"Hồ sơ %s — đã in: %s", "Dossier %s — printed: %s"},
	"dossiers":         {"Hồ sơ [F8]", "Dossiers [F8]"},
	"dossiers title":   {"Hồ sơ: tra cứu, chuyển trạng thái, xin lỗi, sổ theo dõi", "Dossiers: look up, move along, apologise, register"},
	"dossier code":     {"Mã hồ sơ (hoặc quét QR trên phiếu hẹn)", "Dossier code (or scan the receipt's QR)"},
	"open":             {"Mở", "Open"},
	"dossier note":     {"Ghi chú / lý do", "Note / reason"},
	"new due":          {"Ngày hẹn mới dd/mm/yyyy hh:mm (Mẫu 04)", "New due date dd/mm/yyyy hh:mm (Mẫu 04)"},
	"apology":          {"Xin lỗi, hẹn lại — in Mẫu 04", "Apologise — print Mẫu 04"},
	"register":         {"In sổ theo dõi (Mẫu 06)", "Print the register (Mẫu 06)"},
	"to processing":    {"Đang xử lý", "Processing"},
	"to ready":         {"Đã có kết quả", "Ready"},
	"to supplement":    {"Yêu cầu bổ sung", "Request papers"},
	"supplemented":     {"Đã bổ sung đủ", "Papers completed"},
	"to withdrawn":     {"Rút hồ sơ", "Withdrawn"},
	"to refused":       {"Từ chối", "Refuse"},
	"due line":         {"Nhận %s · hẹn trả %s", "Received %s · due %s"},
	"has apology":      {"Đã có thư xin lỗi (Mẫu 04)", "Apology already sent (Mẫu 04)"},
	"opened":           {"Đã mở hồ sơ %s", "Opened dossier %s"},
	"moved":            {"Hồ sơ %s: %s", "Dossier %s: %s"},
	"printed":          {"Đã in: %s", "Printed: %s"},
	"bad due":          {"Ngày hẹn mới phải dạng 08/05/2026 10:00", "The new date must look like 08/05/2026 10:00"},
	"bad dates":        {"Ngày phải dạng 24/11/2026", "Dates must look like 24/11/2026"},
	"intake due":       {"hẹn trả %s, mã tra cứu %s", "due %s, PIN %s"},
}

// tr returns the sentence key in the app's language; the caller holds no lock.
func (a *App) tr(key string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.trLocked(key)
}

func (a *App) trLocked(key string) string {
	t := texts[key]
	if a.lang == "en" && t[1] != "" {
		return t[1]
	}
	return t[0]
}

// pick returns the English text when the app speaks English and there is one.
func (a *App) pick(vi, en string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if en != "" && a.lang == "en" {
		return en
	}
	return vi
}

// ToggleLanguage switches between Vietnamese (the default) and English.
func (a *App) ToggleLanguage() {
	a.mu.Lock()
	if a.lang == "en" {
		a.lang = ""
	} else {
		a.lang = "en"
	}
	a.mu.Unlock()
	a.render()
}
