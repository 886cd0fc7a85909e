package catalogue

import (
	"bytes"
	"encoding/json"

	"motcua/internal/problem"
)

// ParseJSON reads a catalogue in JSON ({"procedures": [...]}, docs/CONFIG.md)
// and checks it against the office's service ids.
func ParseJSON(data []byte, services []string) (Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Catalogue{}, problem.Errorf(problem.EInvalid, "Danh mục thủ tục không đọc được: %v", "procedure catalogue is not valid JSON: %v", err)
	}
	if dec.More() {
		return Catalogue{}, problem.Errorf(problem.EInvalid, "Danh mục thủ tục có dữ liệu thừa sau đối tượng JSON", "procedure catalogue has data after its JSON object")
	}
	if err := c.Validate(services); err != nil {
		return Catalogue{}, err
	}
	return c, nil
}
