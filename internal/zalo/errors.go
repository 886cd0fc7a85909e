package zalo

// What a ZNS error code means for the message. The codes are Zalo's
// (developers.zalo.me, ZNS "Bảng mã lỗi"); the ones acted on are listed
// here, and a code not listed is tried again, then falls to the next
// channel (notify.Message's tries per channel), so a code Zalo adds later
// costs a delay, never a message.
type fate int

const (
	again        fate = iota // a passing failure: try again later
	tokenRefused             // the access token is not (or no longer) valid: refresh, once
	limited                  // too many requests or the OA's quota: wait, not counted as a try
	never                    // this message will never go by ZNS: the next channel at once
)

// quotaUsed is the OA's daily quota used up (wait long, not a second).
const quotaUsed = -144

var fates = map[int]fate{
	-124:  tokenRefused, // access token invalid or expired
	-32:   limited,      // the app's rate limit
	-144:  limited,      // the OA's daily quota used up
	-108:  never,        // the phone number is not valid
	-118:  never,        // no Zalo account for this number, or it is disabled
	-119:  never,        // the account cannot receive ZNS
	-139:  never,        // the user refused ZNS from this OA
	-1123: never,        // the template does not exist, or is not approved or is disabled
	-1124: never,        // the template's parameters do not match it
}

func classify(code int) fate { return fates[code] }
