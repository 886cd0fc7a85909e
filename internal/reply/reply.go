// Package reply is the server's one way of answering: a domain error to its
// HTTP status and bilingual JSON body, JSON answers, the strict decoding of
// request bodies (size, unknown fields, one object, no lone surrogates), and
// the request log with its ids.
package reply

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"motcua/internal/api"
	"motcua/internal/problem"
)

// MaxBody bounds every request body; MaxSettings the few that carry the
// settings (a document, a console form, a catalogue or calendar file: a
// hundred services fit in a tenth of it).
const (
	MaxBody     = 16 << 10
	MaxSettings = 256 << 10
)

// Status maps a domain error code to its HTTP status: the only place that does.
func Status(code string) int {
	switch code {
	case problem.EInvalid:
		return http.StatusBadRequest
	case problem.ENotFound:
		return http.StatusNotFound
	case problem.EUnchecked:
		return http.StatusUnprocessableEntity
	case problem.EConflict, problem.EFull, problem.EClosed:
		return http.StatusConflict
	case problem.EUnauthorized:
		return http.StatusUnauthorized
	case problem.EForbidden, problem.ESetPIN:
		return http.StatusForbidden
	case problem.ETooMany:
		return http.StatusTooManyRequests
	case problem.EStorageFull, problem.EUnavailable:
		return http.StatusServiceUnavailable
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeMethod:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// TooLarge is the refusal of a body over max bytes (413).
func TooLarge(max int64) error {
	return problem.Errorf(codeTooLarge, "Tệp lớn quá %d MB", "the file is larger than %d MB", max>>20)
}

const (
	codeTooLarge = "too_large"
	codeMethod   = "method_not_allowed"
)

// Error sends err as the JSON error body. Internal errors are logged with
// their chain and shown to the user as a generic sentence.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	e := problem.As(err)
	if e.Code == problem.EInternal {
		OpLog(r).Error("request failed", "err", err)
	}
	JSON(w, Status(e.Code), api.ErrorOf(e))
}

func JSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// Decode reads one JSON object from the body into v: at most MaxBody bytes, no
// unknown fields, nothing after it. An empty body leaves v as it is when
// optional is true.
func Decode(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	return DecodeUpTo(w, r, v, optional, MaxBody)
}

// DecodeUpTo is decode with a larger limit, for the few bodies that need it.
func DecodeUpTo(w http.ResponseWriter, r *http.Request, v any, optional bool, limit int64) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return DecodeError(err)
	}
	// encoding/json turns invalid UTF-8 into U+FFFD without a word: a name or
	// a note would be stored mangled. Refuse it instead.
	if !utf8.Valid(raw) || loneSurrogate(raw) {
		return problem.Errorf(problem.EInvalid, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ", "the request body is not valid UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if errors.Is(err, io.EOF) && optional {
		return nil
	}
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errTrailing
		}
	}
	return DecodeError(err)
}

var errTrailing = errors.New("trailing data")

// loneSurrogate reports a \uD800–\uDFFF escape that is not half of a pair:
// encoding/json would store it as U+FFFD, like invalid UTF-8.
func loneSurrogate(raw []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // an escaped character (\\, \", \n…): skip it
			continue
		}
		r, ok := hex4(i)
		switch {
		case !ok:
		case r >= 0xd800 && r < 0xdc00:
			if lo, ok := hex4(i + 6); !ok || lo < 0xdc00 || lo > 0xdfff {
				return true
			}
			i += 11
		case r >= 0xdc00 && r <= 0xdfff:
			return true
		default:
			i += 5
		}
	}
	return false
}

// DecodeError turns a JSON decoding error into a sentence in both languages.
func DecodeError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return problem.Errorf(codeTooLarge, "Dữ liệu gửi lên quá lớn (tối đa %d byte)", "request body too large (at most %d bytes)", MaxBody)
	case errors.Is(err, io.EOF):
		return problem.Errorf(problem.EInvalid, "Thiếu dữ liệu JSON trong yêu cầu", "request body is empty; JSON expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return problem.Errorf(problem.EInvalid, "Dữ liệu JSON bị cắt cụt", "JSON body ends too early")
	case errors.As(err, &syntax):
		return problem.Errorf(problem.EInvalid, "JSON không hợp lệ ở vị trí %d", "malformed JSON at offset %d", syntax.Offset)
	case errors.As(err, &typ):
		return problem.Errorf(problem.EInvalid, "Trường %q sai kiểu dữ liệu", "field %q has the wrong type", typ.Field)
	case errors.Is(err, errTrailing):
		return problem.Errorf(problem.EInvalid, "Chỉ được gửi một đối tượng JSON", "exactly one JSON object expected")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return problem.Errorf(problem.EInvalid, "Trường %s không được hỗ trợ", "unknown field %s", field)
	}
	return &problem.Error{Code: problem.EInvalid, Message: "Dữ liệu JSON không hợp lệ", MessageEN: "invalid JSON: " + err.Error()}
}
