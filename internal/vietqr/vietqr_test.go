package vietqr

import (
	"strings"
	"testing"
)

func TestCRC16CCITTFalse(t *testing.T) {
	for in, want := range map[string]uint16{"123456789": 0x29B1, "": 0xFFFF, "A": 0xB915} {
		if got := CRC16(in); got != want {
			t.Errorf("CRC16(%q) = %04X, want %04X", in, got, want)
		}
	}
}

// The payload field by field, for Vietcombank's BIN and a dossier code.
func TestPayloadFields(t *testing.T) {
	a := Account{BankBIN: "970436", Account: "0011001234567", Name: "UBND phường Thử"}
	p, err := Payload(a, 58000, "XA.01-261207-0001")
	if err != nil {
		t.Fatal(err)
	}
	want := "000201" + "010212" +
		"3857" + "0010A000000727" + "0127" + "0006970436" + "01130011001234567" + "0208QRIBFTTA" +
		"5303704" + "540558000" + "5802VN" + "6221" + "0817XA.01-261207-0001" + "6304"
	if !strings.HasPrefix(p, want) || len(p) != len(want)+4 {
		t.Fatalf("payload\n%s\nwant\n%s····", p, want)
	}
	if err := Check(p); err != nil {
		t.Fatal(err)
	}
	fields, _ := Fields(p)
	tags := ""
	for _, f := range fields {
		tags += f[0] + " "
	}
	if tags != "00 01 38 53 54 58 62 63 " {
		t.Fatalf("tags %s", tags)
	}
	broken := p[:len(p)-1] + "0"
	if p[len(p)-1] == '0' {
		broken = p[:len(p)-1] + "1"
	}
	if Check(broken) == nil {
		t.Fatal("a wrong CRC passes")
	}
}

func TestPayloadRefuses(t *testing.T) {
	ok := Account{BankBIN: "970436", Account: "0011001234567"}
	for _, c := range []struct {
		a       Account
		amount  int64
		purpose string
	}{
		{Account{BankBIN: "97043", Account: "1"}, 1000, "X"},
		{Account{BankBIN: "970436", Account: ""}, 1000, "X"},
		{Account{BankBIN: "970436", Account: "12345678901234567890"}, 1000, "X"},
		{Account{BankBIN: "970436", Account: "số 1"}, 1000, "X"},
		{ok, 0, "X"},
		{ok, -5, "X"},
		{ok, 1000, "Hồ sơ XA.01"},
		{ok, 1000, strings.Repeat("A", 26)},
	} {
		if p, err := Payload(c.a, c.amount, c.purpose); err == nil {
			t.Errorf("%+v %d %q gave %s", c.a, c.amount, c.purpose, p)
		}
	}
}

func FuzzFields(f *testing.F) {
	f.Add("000201010212")
	f.Add("0002")
	f.Add("99999")
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := Fields(s)
		if err == nil {
			n := 0
			for _, x := range fields {
				n += 4 + len(x[1])
			}
			if n != len(s) {
				t.Fatalf("read %d of %d", n, len(s))
			}
		}
		Check(s)
	})
}
