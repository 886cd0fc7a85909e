// Package notify is what motcua tells a citizen who is not looking at a
// screen, and how: the kinds of message (queue and dossier), the office's
// wording of each with its placeholders, the notify settings (channels,
// quiet hours, thresholds, retention), a message's life in the outbox
// (queued, sending, sent, failed; retries and the fallback from one
// channel to the next) and the phone numbers it goes to. It knows no
// store, no queue and no network.
package notify

import "slices"

// Kind is one sort of message.
type Kind string

// The kinds. Queue messages go at once; dossier messages wait out the
// office's quiet hours.
const (
	Confirmed  Kind = "queue.confirmed"    // a remote number taken
	Booked     Kind = "queue.booked"       // a booking taken
	Code       Kind = "queue.code"         // the one-time code that verifies a phone
	Near       Kind = "queue.near"         // your turn is near
	Called     Kind = "queue.called"       // called to a counter
	Passed     Kind = "queue.passed"       // your turn came while you were away
	Lapsed     Kind = "queue.lapsed"       // … and the number lapsed
	Received   Kind = "dossier.received"   // the dossier received, its due date
	Supplement Kind = "dossier.supplement" // more papers needed
	Delayed    Kind = "dossier.delayed"    // late: the apology of Mẫu 04, the new date
	Ready      Kind = "dossier.ready"      // the result waits
	Returned   Kind = "dossier.returned"   // the result handed back
	RateLink   Kind = "rating.link"        // rate the service (no rating screen at the counter)
)

// Kinds are all the kinds, in the order the console lists them.
var Kinds = []Kind{Confirmed, Booked, Code, Near, Called, Passed, Lapsed, Received, Supplement, Delayed, Ready, Returned, RateLink}

// Known says whether k is one of Kinds.
func (k Kind) Known() bool { return slices.Contains(Kinds, k) }

// Queue says whether k is about today's queue (sent at once, worthless
// after an hour) rather than a dossier (held by quiet hours, good for days).
func (k Kind) Queue() bool {
	return k == Confirmed || k == Booked || k == Code || k == Near || k == Called || k == Passed || k == Lapsed || k == RateLink
}

// kindText is a kind's default wording and the placeholders its wording may
// use (the parameters a message of it carries, also a ZNS template's).
type kindText struct {
	vi, en string // what the console shows as the kind's name
	text   string // the default wording (Vietnamese: it goes to the citizen)
	params []string
}

var kinds = map[Kind]kindText{
	Confirmed: {"Xác nhận số từ xa", "Remote number confirmed",
		"{office}: đã cấp số {number} ({service}). Mã: {code}. Theo dõi: {link}", []string{"office", "number", "service", "code", "link"}},
	Booked: {"Xác nhận lịch hẹn", "Booking confirmed",
		"{office}: đã đặt lịch {service} lúc {slot}. Mã: {code}. Xem hoặc huỷ: {link}", []string{"office", "service", "slot", "code", "link"}},
	Code: {"Mã xác nhận số điện thoại", "Phone verification code",
		"{office}: mã xác nhận của ông/bà là {otp}, dùng trong {minutes} phút. Không đưa mã này cho ai.", []string{"office", "otp", "minutes"}},
	Near: {"Sắp đến lượt", "Your turn is near",
		"{office}: sắp đến lượt số {number}, còn {ahead} người trước (khoảng {minutes} phút). Xin về phòng chờ.", []string{"office", "number", "ahead", "minutes"}},
	Called: {"Được mời vào quầy", "Called to a counter",
		"{office}: mời số {number} đến quầy {counter}.", []string{"office", "number", "counter"}},
	Passed: {"Đã qua lượt (chưa có mặt)", "Passed over (not here)",
		"{office}: đã đến lượt số {number} nhưng ông/bà chưa có mặt. Xin đến quét mã tại máy lấy số trong {minutes} phút.", []string{"office", "number", "minutes"}},
	Lapsed: {"Số hết hiệu lực", "Number lapsed",
		"{office}: số {number} đã hết hiệu lực vì ông/bà không đến. Xin lấy số mới.", []string{"office", "number"}},
	Received: {"Đã tiếp nhận hồ sơ", "Dossier received",
		"{office}: đã tiếp nhận hồ sơ {code}, hẹn trả kết quả {due}. Tra cứu: {link}", []string{"office", "code", "due", "link"}},
	Supplement: {"Cần bổ sung hồ sơ", "Supplement requested",
		"{office}: hồ sơ {code} cần bổ sung: {missing}. Tra cứu: {link}", []string{"office", "code", "missing", "link"}},
	Delayed: {"Hồ sơ trễ hẹn (xin lỗi)", "Dossier delayed (apology)",
		"{office}: hồ sơ {code} chậm so với hẹn, chúng tôi xin lỗi ông/bà. Lý do: {reason}. Ngày hẹn mới: {due}.", []string{"office", "code", "reason", "due"}},
	Ready: {"Đã có kết quả", "Result ready",
		"{office}: hồ sơ {code} đã có kết quả. Mời ông/bà nhận tại {place}. Tra cứu: {link}", []string{"office", "code", "place", "link"}},
	Returned: {"Đã trả kết quả", "Result handed back",
		"{office}: hồ sơ {code} đã trả kết quả ngày {date}. Cảm ơn ông/bà.", []string{"office", "code", "date"}},
	RateLink: {"Mời đánh giá", "Rating link",
		"{office}: cảm ơn ông/bà. Xin đánh giá sự phục vụ: {link}", []string{"office", "link"}},
}

// Name is the kind's name for staff, in Vietnamese and in English.
func (k Kind) Name() (vi, en string) { t := kinds[k]; return t.vi, t.en }

// DefaultText is the wording a kind has when the office gives none.
func (k Kind) DefaultText() string { return kinds[k].text }

// Params are the placeholders the kind's wording may use.
func (k Kind) Params() []string { return kinds[k].params }
