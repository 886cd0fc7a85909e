package intake

import (
	"regexp"
	"strings"
	"time"
)

// Digitisation (số hóa hồ sơ, Circular 03/2025/TT-VPCP art. 5): each paper
// handed in is scanned at reception into one PDF, or the clerk records why
// the Circular exempts it; the result can be attached as an electronic file.
// The files live beside the store, named by their SHA-256 (internal/bolt's
// scans); the dossier's record holds only what is said here, so the hash is
// on the event chain with the record and a changed file fails verify.

// Scan is one stored file of a dossier: a paper's electronic copy or the
// electronic result.
type Scan struct {
	SHA256 string    `json:"sha256"` // hex; the file is scans/<sha256>.pdf
	Pages  int       `json:"pages"`  // 0 when the PDF does not say plainly
	Bytes  int64     `json:"bytes"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	// Source is where it came from: "scanner" (SANE at the counter) or
	// "folder" (a network scanner's share).
	Source string `json:"source,omitempty"`
	// Erased: the file was removed with the applicant's details after the
	// retention period; the record of it stays.
	Erased bool `json:"erased,omitempty"`
}

// Exemption is why a paper is not scanned (the Circular's cases).
type Exemption string

// The exemptions the Circular allows.
const (
	ExemptOnline       Exemption = "online"       // the dossier was submitted online: the file is there already
	ExemptComparison   Exemption = "comparison"   // an original only shown for comparison
	ExemptVerified     Exemption = "verified"     // a verification result received from another agency
	ExemptConfidential Exemption = "confidential" // a document under state secrecy
)

// Exemptions are the exemptions in the order a clerk picks from.
var Exemptions = []Exemption{ExemptOnline, ExemptComparison, ExemptVerified, ExemptConfidential}

// Words are the exemption in Vietnamese and English.
func (e Exemption) Words() (vi, en string) {
	switch e {
	case ExemptOnline:
		return "Hồ sơ đã nộp trực tuyến", "submitted online"
	case ExemptComparison:
		return "Bản chính chỉ để đối chiếu", "original shown for comparison only"
	case ExemptVerified:
		return "Kết quả xác minh của cơ quan khác", "verification result from another agency"
	case ExemptConfidential:
		return "Tài liệu mật", "confidential document"
	}
	return string(e), string(e)
}

func (e Exemption) valid() bool {
	for _, x := range Exemptions {
		if e == x {
			return true
		}
	}
	return false
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidSHA256 reports whether s names a stored file (64 lowercase hex).
func ValidSHA256(s string) bool { return shaPattern.MatchString(s) }

// digitisable: scans are taken while the dossier is with the office and its
// applicant's details are kept.
func (d *Dossier) digitisable() error {
	switch {
	case d.Erased:
		return errorf("Hồ sơ %s đã xoá dữ liệu cá nhân theo thời hạn lưu trữ", "dossier %s has been erased after retention", d.Code)
	case d.DueAt.IsZero():
		return errorf("Hồ sơ %s chưa được tiếp nhận (trạng thái %s): không số hóa", "dossier %s was not received (status %s): nothing to digitise", d.Code, d.Status)
	}
	return nil
}

func (d *Dossier) document(i int) (*Document, error) {
	if i < 0 || i >= len(d.Documents) {
		return nil, errorf("Hồ sơ %s không có giấy tờ số %d", "dossier %s has no document %d", d.Code, i+1)
	}
	doc := &d.Documents[i]
	if !doc.Received {
		return nil, errorf("Giấy tờ %q chưa nộp: không số hóa được", "%q was not handed in: nothing to digitise", doc.Name)
	}
	return doc, nil
}

// AttachScan makes s the electronic copy of document i (0-based), replacing
// an earlier scan (the history keeps its hash) or exemption.
func (d *Dossier) AttachScan(i int, s Scan) error {
	if err := d.digitisable(); err != nil {
		return err
	}
	doc, err := d.document(i)
	if err != nil {
		return err
	}
	if !ValidSHA256(s.SHA256) || s.Bytes <= 0 {
		return errorf("Tệp quét không hợp lệ", "the scan's file is invalid")
	}
	s.Source = cleanSource(s.Source)
	note := "Số hóa: " + doc.Name
	if doc.Scan != nil {
		note += " (thay bản " + doc.Scan.SHA256[:12] + ")"
	}
	doc.Scan, doc.Exempt = &s, ""
	d.History = append(d.History, Change{At: s.At, By: s.By, From: d.Status, To: d.Status, Note: note})
	return nil
}

// ExemptDocument records why document i is not scanned.
func (d *Dossier) ExemptDocument(i int, e Exemption, at time.Time, by string) error {
	if err := d.digitisable(); err != nil {
		return err
	}
	doc, err := d.document(i)
	if err != nil {
		return err
	}
	if !e.valid() {
		return errorf("Lý do không số hóa %q không có trong quy định", "%q is not an exemption the Circular allows", e)
	}
	if doc.Scan != nil {
		return errorf("Giấy tờ %q đã có bản quét", "%q is scanned already", doc.Name)
	}
	doc.Exempt = e
	vi, _ := e.Words()
	d.History = append(d.History, Change{At: at, By: by, From: d.Status, To: d.Status, Note: "Không số hóa " + doc.Name + ": " + vi})
	return nil
}

// AttachResult makes s the dossier's electronic result (kết quả điện tử),
// once the result is ready.
func (d *Dossier) AttachResult(s Scan) error {
	if err := d.digitisable(); err != nil {
		return err
	}
	if d.Status != Ready && d.Status != Returned {
		return errorf("Hồ sơ %s chưa có kết quả (trạng thái %s)", "dossier %s has no result yet (status %s)", d.Code, d.Status)
	}
	if !ValidSHA256(s.SHA256) || s.Bytes <= 0 {
		return errorf("Tệp kết quả không hợp lệ", "the result's file is invalid")
	}
	s.Source = cleanSource(s.Source)
	d.Result = &s
	d.History = append(d.History, Change{At: s.At, By: s.By, From: d.Status, To: d.Status, Note: "Kết quả điện tử"})
	return nil
}

// Digitised reports whether every paper handed in is scanned or exempted
// (the national index's "hồ sơ được số hóa"); a dossier with no paper
// handed in is not.
func (d Dossier) Digitised() bool {
	n := 0
	for _, doc := range d.Documents {
		if !doc.Received {
			continue
		}
		if doc.Scan == nil && doc.Exempt == "" {
			return false
		}
		n++
	}
	return n > 0
}

// Scans are the stored files d names (its papers' and its result's), erased
// ones left out.
func (d Dossier) Scans() []Scan {
	var out []Scan
	for _, doc := range d.Documents {
		if doc.Scan != nil && !doc.Scan.Erased {
			out = append(out, *doc.Scan)
		}
	}
	if d.Result != nil && !d.Result.Erased {
		out = append(out, *d.Result)
	}
	return out
}

// eraseScans marks every file erased (the store removes them once the
// record saying so is committed).
func (d *Dossier) eraseScans() {
	for i := range d.Documents {
		if s := d.Documents[i].Scan; s != nil {
			s.Erased = true
		}
	}
	if d.Result != nil {
		d.Result.Erased = true
	}
}

// ScanState is what a citizen's lookup says of a paper: "scanned",
// "exempt" or "" (not yet, or not handed in).
func (doc Document) ScanState() string {
	switch {
	case doc.Scan != nil:
		return "scanned"
	case doc.Exempt != "":
		return "exempt"
	}
	return ""
}

// cleanSource keeps a scan's source to the two known.
func cleanSource(s string) string {
	if s = strings.TrimSpace(s); s == "folder" {
		return s
	}
	return "scanner"
}
