// Package problem is motcua's one bilingual error: a stable code for programs
// and a sentence in Vietnamese with its English translation for people. It is a
// leaf (standard library only), so the domain packages, the calendar, the
// catalogue and the printer drivers all report errors the same way without
// importing one another; internal/server maps the codes to HTTP statuses.
package problem

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in internal/server.
const (
	EInvalid      = "invalid"        // the request is malformed or breaks a rule of input
	ENotFound     = "not_found"      // the named thing does not exist
	EConflict     = "conflict"       // the request does not fit the current state
	EUnchecked    = "unprocessable"  // a well-formed document that does not pass its checks (the settings)
	EUnauthorized = "unauthorized"   // no or bad credentials
	EForbidden    = "forbidden"      // credentials are fine but not allowed to do this
	ETooMany      = "too_many"       // rate limited (login attempts)
	ESetPIN       = "set_pin"        // the one-time code is right: log in again choosing a PIN
	EFull         = "service_full"   // the service reached its daily cap or number range
	EClosed       = "service_closed" // the service is outside its opening hours
	EStorageFull  = "storage_full"   // the server's disk is full: nothing can be recorded until there is room
	EUnavailable  = "unavailable"    // the one who must answer is not reachable now (an office from the province)
	EInternal     = "internal"       // anything else; details only in the log
)

// Error is an error a person can read: a stable Code for programs and a
// sentence in Vietnamese (Message) with its English translation (MessageEN).
type Error struct {
	Code      string
	Message   string
	MessageEN string
}

// Error returns both languages, Vietnamese first.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.MessageEN)
}

// Errorf builds an Error; vi and en are format strings sharing the same args.
func Errorf(code, vi, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(vi, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Invalidf is Errorf with EInvalid: the input's fault.
func Invalidf(vi, en string, args ...any) *Error { return Errorf(EInvalid, vi, en, args...) }

// CodeOf returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error and "" for nil.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// As returns the *Error in err's chain or a generic internal error, so a
// caller always has a sentence to show and never leaks internal detail.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EInternal, Message: "Lỗi hệ thống, vui lòng thử lại hoặc báo cán bộ kỹ thuật", MessageEN: "Internal error, please retry or call technical staff"}
}
