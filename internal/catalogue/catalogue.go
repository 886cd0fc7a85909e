// Package catalogue is the office's list of administrative procedures (thủ tục
// hành chính): for each, the service that receives it, the documents to bring,
// the fees and the processing time. The kiosk shows it as a guide; intake (issue
// 6) takes the processing time from it. Standard library only.
package catalogue

import (
	"fmt"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Units of a processing time.
const (
	SameDay      = "same_day"      // trả trong ngày
	WorkingDays  = "working_days"  // ngày làm việc
	CalendarDays = "calendar_days" // ngày (kể cả nghỉ)
	WorkingHours = "working_hours" // giờ làm việc
)

// Procedure is one administrative procedure.
type Procedure struct {
	// Code is the national procedure code (mã thủ tục), e.g. "1.001193".
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Field is the area of law (lĩnh vực), e.g. "Hộ tịch".
	Field string `json:"field"`
	// Service is the queue service (queue.ServiceConfig.ID) that receives it.
	Service    string     `json:"service"`
	Processing Duration   `json:"processing"`
	Fees       []Fee      `json:"fees,omitempty"`
	Documents  []Document `json:"documents"`
	// Agency is the short code of the agency that decides it (first part of the
	// dossier code); empty means the office's own.
	Agency string `json:"agency,omitempty"`
	// Online says whether it is fully online (dịch vụ công trực tuyến toàn
	// trình): "full" — filed online only, the office takes no paper for it
	// (Directive 24/CT-TTg): the kiosk sends its citizen to the desk that
	// helps file online; "full_paper" — fully online, the office still
	// takes paper; "" — not.
	Online string `json:"online,omitempty"`
}

// Online values.
const (
	OnlineFull      = "full"
	OnlineFullPaper = "full_paper"
)

// OnlineOnly says whether the office takes no paper for it: its citizen is
// helped to file online.
func (p Procedure) OnlineOnly() bool { return p.Online == OnlineFull }

// Duration is a processing time: Amount of Unit (Amount is 0 for SameDay).
type Duration struct {
	Amount int    `json:"amount"`
	Unit   string `json:"unit"`
	// CutOff, "HH:MM", is set where the province's decision says a dossier
	// received at or after it counts from the next working day (Hà Nội's
	// 2025–26 decisions: 15:00 for some procedures); empty: it counts from
	// when it was received.
	CutOff string `json:"cut_off,omitempty"`
}

// Fee is one fee or charge (phí, lệ phí) in đồng; Amount 0 means free.
type Fee struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// Document is one paper of the dossier (thành phần hồ sơ) and how many to bring.
type Document struct {
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	// Kind says which form: "original" (bản chính), "copy" (bản sao), or
	// "original_or_copy"; empty means the form does not matter.
	Kind string `json:"kind,omitempty"`
	// Optional documents are brought only in some cases (the name says which).
	Optional bool `json:"optional,omitempty"`
}

// Catalogue is the office's procedures, in the order they are listed.
type Catalogue struct {
	Procedures []Procedure `json:"procedures"`
}

// ByCode returns the procedure with the code.
func (c Catalogue) ByCode(code string) (Procedure, bool) {
	for _, p := range c.Procedures {
		if p.Code == code {
			return p, true
		}
	}
	return Procedure{}, false
}

// Validate checks the catalogue against the office's services: every procedure
// needs a unique code, a name, a known service, a processing time and at least
// one document. Errors name the procedure, in Vietnamese and English.
func (c Catalogue) Validate(services []string) error {
	known := map[string]bool{}
	for _, s := range services {
		known[s] = true
	}
	codes := map[string]bool{}
	for i, p := range c.Procedures {
		where := fmt.Sprintf("#%d %q", i+1, p.Code)
		bad := func(vi, en string) error {
			return problem.Errorf(problem.EInvalid, "Danh mục thủ tục, thủ tục %s: "+vi, "procedure catalogue, procedure %s: "+en, where)
		}
		switch {
		case strings.TrimSpace(p.Code) == "" || len(p.Code) > 40:
			return bad("thiếu mã hoặc mã quá dài", "code is missing or too long")
		case codes[p.Code]:
			return bad("mã bị trùng", "code is duplicated")
		case strings.TrimSpace(p.Name) == "":
			return bad("thiếu tên", "name is missing")
		case !known[p.Service]:
			return bad(fmt.Sprintf("dịch vụ %q không có trong cấu hình văn phòng", p.Service), fmt.Sprintf("service %q is not in the office config", p.Service))
		case len(p.Documents) == 0:
			return bad("chưa có thành phần hồ sơ", "no documents listed")
		case p.Online != "" && p.Online != OnlineFull && p.Online != OnlineFullPaper:
			return bad(fmt.Sprintf("online %q: full (toàn trình, không nhận giấy), full_paper (toàn trình, vẫn nhận giấy) hoặc để trống", p.Online),
				fmt.Sprintf("online %q: full (fully online, no paper taken), full_paper (fully online, paper still taken) or empty", p.Online))
		}
		codes[p.Code] = true
		if err := p.Processing.check(); err != nil {
			return bad("thời hạn giải quyết: "+err.Error(), "processing time: "+err.Error())
		}
		for _, f := range p.Fees {
			if strings.TrimSpace(f.Name) == "" || f.Amount < 0 {
				return bad("phí/lệ phí thiếu tên hoặc âm", "a fee has no name or is negative")
			}
		}
		for _, d := range p.Documents {
			if strings.TrimSpace(d.Name) == "" || d.Quantity < 1 || d.Quantity > 99 {
				return bad(fmt.Sprintf("giấy tờ %q thiếu tên hoặc số lượng không hợp lệ (1–99)", d.Name), fmt.Sprintf("document %q has no name or a quantity outside 1–99", d.Name))
			}
			switch d.Kind {
			case "", "original", "copy", "original_or_copy":
			default:
				return bad(fmt.Sprintf("giấy tờ %q có loại %q; dùng original, copy hoặc original_or_copy", d.Name, d.Kind), fmt.Sprintf("document %q has kind %q; use original, copy or original_or_copy", d.Name, d.Kind))
			}
		}
	}
	return nil
}

func (d Duration) check() error {
	switch d.Unit {
	case SameDay:
		if d.Amount != 0 {
			return fmt.Errorf("same_day amount must be 0")
		}
	case WorkingDays, CalendarDays, WorkingHours:
		if d.Amount < 1 || d.Amount > 365*8 {
			return fmt.Errorf("amount %d out of range", d.Amount)
		}
	default:
		return fmt.Errorf("unit %q; use same_day, working_days, calendar_days or working_hours", d.Unit)
	}
	if d.CutOff != "" {
		if t, err := time.Parse("15:04", d.CutOff); err != nil || t.Format("15:04") != d.CutOff {
			return fmt.Errorf("cut-off %q; write the time as HH:MM, e.g. 15:00", d.CutOff)
		}
	}
	return nil
}
