// Package queue is motcua's domain: services, counters, tickets and their states,
// the call-next rule, daily numbering, estimated waits and the events every change
// produces. It imports only the standard library; storage, HTTP and the apps adapt
// to it (see docs/ARCHITECTURE.md).
package queue

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in internal/server.
const (
	EInvalid      = "invalid"        // the request is malformed or breaks a rule of input
	ENotFound     = "not_found"      // the named thing does not exist
	EConflict     = "conflict"       // the request does not fit the current state
	EUnauthorized = "unauthorized"   // no or bad credentials
	EForbidden    = "forbidden"      // credentials are fine but not allowed to do this
	ETooMany      = "too_many"       // rate limited (login attempts)
	EFull         = "service_full"   // the service reached its daily cap or number range
	EClosed       = "service_closed" // the service is outside its opening hours
	EInternal     = "internal"       // anything else; details only in the log
)

// Error is a domain error a person can read: a stable Code for programs and a
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

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns the *Error in err's chain or a generic internal error, so a
// caller always has a sentence to show and never leaks internal detail.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	// Packages that may not import this one (calendar) say what is wrong in
	// both languages through Texts; such an error is the input's fault.
	var bilingual interface{ Texts() (vi, en string) }
	if errors.As(err, &bilingual) {
		vi, en := bilingual.Texts()
		return &Error{Code: EInvalid, Message: vi, MessageEN: en}
	}
	return &Error{Code: EInternal, Message: "Lỗi hệ thống, vui lòng thử lại hoặc báo cán bộ kỹ thuật", MessageEN: "Internal error, please retry or call technical staff"}
}
