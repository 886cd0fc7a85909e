package kiosk

import "motcua/internal/ui"

// texts are the kiosk's sentences, Vietnamese first, English second.
var texts = ui.Texts{
	"prompt":             {"Chạm vào dịch vụ để lấy số thứ tự", "Touch a service to take a number"},
	"priority":           {"Ưu tiên (người cao tuổi, khuyết tật, mang thai…)", "Priority (elderly, disability, pregnancy…)"},
	"chosen":             {"Đã chọn ưu tiên: %s", "Priority chosen: %s"},
	"now choose service": {"Đã chọn ưu tiên: %s — bây giờ chọn dịch vụ", "Priority: %s — now choose a service"},
	"priority line":      {"Ưu tiên: %s", "Priority: %s"},
	"waiting":            {"%d người đang chờ", "%d waiting"},
	"closed today":       {"Tạm ngừng cấp số hôm nay", "No tickets today"},
	"checkin":            {"Tôi đã lấy số trực tuyến", "I took a number online"},
	"online only":        {"Thủ tục này nộp trực tuyến — cán bộ sẽ hỗ trợ bạn nộp. Số của bạn là số của quầy hỗ trợ nộp trực tuyến.", "This procedure is filed online — staff will help you file it. Your number is for the online filing help desk."},
	"phone offer":        {"Nhắn tin cho tôi khi sắp đến lượt (không bắt buộc)", "Text me when my turn is near (optional)"},
	"phone title":        {"Số điện thoại để nhận tin nhắn", "Your mobile number, for the messages"},
	"phone hint":         {"Chỉ dùng để báo lượt của phiếu này; không dùng vào việc khác và được xoá sau vài ngày", "Used only to tell you about this ticket; nothing else, and erased after a few days"},
	"phone confirm":      {"Gửi", "Send"},
	"phone ten digits":   {"Số di động gồm 10 chữ số, bắt đầu bằng 0", "A mobile number has 10 digits and starts with 0"},
	"phone done":         {"Đã ghi số. Ông/bà sẽ nhận tin nhắn khi sắp đến lượt và khi được mời vào quầy.", "Noted. You will get a message when your turn is near and when you are called."},
	"checkin title":      {"Xác nhận số đã lấy trực tuyến", "Check in a number taken online"},
	"checkin hint":       {"Đưa mã QR trên điện thoại vào đầu đọc, hoặc bấm 6 chữ số của mã xác nhận", "Hold the QR on your phone to the reader, or type the 6 digits of the check-in code"},
	"checkin confirm":    {"Xác nhận", "Check in"},
	"checkin six digits": {"Mã xác nhận gồm 6 chữ số", "The check-in code has 6 digits"},
	"opens at":           {"Chưa đến giờ — mở cấp số lúc %s", "Not open yet — tickets from %s"},
	"closed for the day": {"Đã hết giờ cấp số hôm nay — mời quay lại ngày làm việc sau", "Closed for today — please come back on the next working day"},
	"no wait":            {"không phải chờ", "no wait"},
	"no counter open":    {"Chưa có quầy mở — vui lòng chờ", "No counter open yet — please wait"},
	"wait":               {"chờ khoảng %d phút", "about %d min"},
	"search":             {"Tìm thủ tục (khai sinh, chứng thực…)", "Search a procedure"},
	"choose":             {"Chọn diện ưu tiên", "Choose your priority"},
	"no priority":        {"Không ưu tiên", "No priority"},
	"your number":        {"SỐ THỨ TỰ CỦA BẠN", "YOUR NUMBER"},
	"counters":           {"Quầy phục vụ: %s", "Counters: %s"},
	"ahead":              {"Số người chờ trước bạn: %d · %s", "People ahead of you: %d · %s"},
	"scan":               {"Quét mã để theo dõi lượt gọi trên điện thoại", "Scan to follow your turn on your phone"},
	"home":               {"Về trang chủ", "Home"},
	"offline":            {"Hệ thống tạm gián đoạn", "System temporarily unavailable"},
	"offline2":           {"Vui lòng chờ trong giây lát hoặc liên hệ cán bộ.", "Please wait a moment or ask staff."},
	"search title":       {"Tìm thủ tục", "Search a procedure"},
	"nothing":            {"Không tìm thấy", "Nothing found"},
	"space":              {"Dấu cách", "Space"},
	"delete":             {"⌫ Xoá", "⌫ Delete"},
	"hint":               {"Gõ không dấu cũng tìm được. Gõ dấu kiểu Telex: aa=â, dd=đ, s=sắc…", "Type without accents; Vietnamese letters by Telex: aa=â, dd=đ, s=acute…"},
	"print failed":       {"Không in được phiếu: %s.\nSố vừa lấy đã được huỷ. Vui lòng liên hệ cán bộ hướng dẫn.", "The ticket could not be printed: %s.\nThe number was cancelled. Please ask staff for help."},
	"issue failed":       {"Không lấy được số: %s", "No number could be issued: %s"},
	"language":           {"English", "Tiếng Việt"},
	"where":              {"Nộp tại: %s — quầy %s", "Where: %s — counters %s"},
	"documents":          {"Giấy tờ cần mang theo:", "Documents to bring (names in Vietnamese):"},
	"fee":                {"Phí, lệ phí:", "Fees:"},
	"processing":         {"Thời hạn giải quyết:", "Processing time:"},
	"take":               {"Lấy số thứ tự", "Take a number"},
	"take with list":     {"Lấy số và in danh sách giấy tờ", "Take a number and print the document list"},
	"back":               {"Quay lại", "Back"},
	"staff":              {"Cán bộ", "Staff"},
	"staff pin":          {"Nhập mã PIN của cán bộ", "Staff PIN"},
	"wrong pin":          {"Sai mã PIN", "Wrong PIN"},
	"locked":             {"Nhập sai quá nhiều lần; thử lại sau 1 phút", "Too many wrong PINs; try again in a minute"},
	"reprint title":      {"In lại phiếu (các phiếu in gần nhất tại máy này)", "Reprint (latest tickets printed here)"},
	"reprint":            {"In lại số %s · %s · %s", "Reprint %s · %s · %s"},
	"none printed":       {"Chưa in phiếu nào", "No ticket printed yet"},
	"reprinted":          {"Đã in lại số %s", "Number %s reprinted"},
	"test print":         {"In thử", "Test print"},
	"test printed":       {"Đã in trang thử", "Test page printed"},
	"no printer":         {"Máy kiosk này không có máy in", "This kiosk has no printer"},
	"results":            {"Nhận kết quả / Tra cứu hồ sơ", "Collect a result / Look up a dossier"},
	"lookup title":       {"Tra cứu hồ sơ — quét mã QR trên phiếu hẹn, hoặc nhập mã hồ sơ và mã tra cứu", "Look up — scan the QR on your receipt, or type the dossier code and PIN"},
	"scan here":          {"Quét mã QR vào đây", "Scan the QR here"},
	"code":               {"Mã hồ sơ", "Dossier code"},
	"pin":                {"Mã tra cứu", "PIN"},
	"look up":            {"Tra cứu", "Look up"},
	"due":                {"Hẹn trả kết quả: %s", "Due: %s"},
	"paper digitised":    {"✓ đã số hóa", "✓ digitised"},
	"paper exempt":       {"không cần số hóa", "not digitised (exempt)"},
	"paper not yet":      {"chưa số hóa", "not digitised yet"},
	"e-result":           {"✓ Đã có kết quả điện tử", "✓ Electronic result issued"},
	"take return":        {"Lấy số nhận kết quả", "Take a number to collect it"},
}

// tr returns the sentence key in the kiosk's language.
func (k *Kiosk) tr(key string) string { return texts.In(k.english(), key) }

func (k *Kiosk) english() bool { return k.lang == "en" }

// ToggleLanguage switches between Vietnamese (the default) and English.
func (k *Kiosk) ToggleLanguage() {
	k.touched = k.cfg.Now()
	if k.lang == "en" {
		k.lang = ""
	} else {
		k.lang = "en"
	}
	k.render()
}

// pick returns the English text when the kiosk speaks English and there is one.
func (k *Kiosk) pick(vi, en string) string { return ui.Pick(k.english(), vi, en) }
