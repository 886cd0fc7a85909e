package api

import "motcua/internal/problem"

// ErrorBody is the one shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is a problem.Error on the wire.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// ErrorOf is err as the error body says it.
func ErrorOf(err error) ErrorBody {
	e := problem.As(err)
	return ErrorBody{ErrorDetail{e.Code, e.Message, e.MessageEN}}
}

// Problem is the body back as the error it carries.
func (b ErrorBody) Problem() *problem.Error {
	return &problem.Error{Code: b.Error.Code, Message: b.Error.Message, MessageEN: b.Error.MessageEN}
}

// CodeUnreachable is the code of ErrUnreachable.
const CodeUnreachable = "unreachable"

// ErrUnreachable is what a client reports when the server cannot be reached,
// so a screen can say "Hệ thống tạm gián đoạn" (clients wrap it).
var ErrUnreachable = &problem.Error{Code: CodeUnreachable, Message: "Hệ thống tạm gián đoạn, không kết nối được máy chủ", MessageEN: "The system is temporarily unavailable: cannot reach the server"}
