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

// Payloads published by others' VietQR generators (public repositories),
// their CRCs recomputed here: the dynamic ones are built byte for byte by
// Payload; the static ones (01 11, no amount) are read and checked.
func TestPublishedPayloads(t *testing.T) {
	for _, c := range []struct {
		bin, account, purpose string
		amount                int64
		want                  string
	}{
		{"970418", "V3CAS6262723924", "CSPZKHEL6A2 NTK O0004", 375000,
			"00020101021238590010A000000727012900069704180115V3CAS62627239240208QRIBFTTA530370454063750005802VN62250821CSPZKHEL6A2 NTK O000463044729"},
		{"970422", "VQRQACLNP2680", "Thanh toan don hang ABC", 100000,
			"00020101021238570010A000000727012700069704220113VQRQACLNP26800208QRIBFTTA530370454061000005802VN62270823Thanh toan don hang ABC6304CE4C"},
	} {
		got, err := Payload(Account{BankBIN: c.bin, Account: c.account}, c.amount, c.purpose)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %q %v\nwant %q", c.bin, c.account, got, err, c.want)
		}
	}
	for _, static := range []string{
		"00020101021138540010A00000072701240006970422011008129452690208QRIBFTTA53037045802VN6304D5F3",
		"00020101021138540010A00000072701240006970422011099999991480208QRIBFTTA53037045802VN63047B49",
		"00020101021138510010A00000072701210006970407010797968680208QRIBFTTA53037045802VN62240820gen by sunary/vietqr6304BE74",
	} {
		if err := Check(static); err != nil {
			t.Errorf("%s: %v", static, err)
		}
	}
}
