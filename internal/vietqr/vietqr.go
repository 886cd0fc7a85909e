// Package vietqr makes the VietQR a bank app reads to pay a fee: NAPAS's
// EMVCo merchant-presented QR — TLV fields (a two-digit tag, a two-digit
// length, the value), the NAPAS GUID A000000727 with the beneficiary's bank
// BIN and account, the transfer service QRIBFTTA, currency 704 (đồng), the
// amount, country VN, the purpose (the dossier's code) under tag 62.08,
// and a CRC-16/CCITT-FALSE over all of it, tag 63 included. A dynamic QR
// (point of initiation 12): one payment, one amount.
package vietqr

import (
	"fmt"
	"strconv"
	"strings"

	"motcua/internal/problem"
)

// NAPAS is the VietQR's GUID (tag 38.00).
const NAPAS = "A000000727"

// Account is where an office's fees are paid: the bank's BIN (6 digits,
// NAPAS's list: 970436 Vietcombank, 970415 VietinBank, …), the account
// number, the account's name (shown to staff; a bank app shows its own).
// The State Treasury's collection account goes here where the office
// collects that way.
type Account struct {
	BankBIN string `json:"bank_bin"`
	Account string `json:"account"`
	Name    string `json:"name,omitempty"`
}

// Set says whether the office named an account.
func (a Account) Set() bool { return a.BankBIN != "" || a.Account != "" }

// Check refuses an account a bank app could not pay.
func (a Account) Check() error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình: office.payment."+vi, "config: office.payment."+en, args...)
	}
	if len(a.BankBIN) != 6 || strings.Trim(a.BankBIN, "0123456789") != "" {
		return bad("bank_bin %q phải gồm 6 chữ số (mã BIN của ngân hàng, ví dụ 970436)", "bank_bin %q must be 6 digits (the bank's BIN, e.g. 970436)", a.BankBIN)
	}
	if n := len(a.Account); n == 0 || n > 19 || strings.Trim(strings.ToUpper(a.Account), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return bad("account %q: số tài khoản gồm chữ số hoặc chữ không dấu, tối đa 19 ký tự", "account %q: the account number is digits or ASCII letters, at most 19", a.Account)
	}
	if len([]rune(a.Name)) > 100 {
		return bad("name quá dài (tối đa 100 ký tự)", "name is too long (at most 100 characters)")
	}
	return nil
}

// tlv is one field: tag, length, value.
func tlv(tag, value string) string { return fmt.Sprintf("%s%02d%s", tag, len(value), value) }

// Payload is the VietQR text for a payment of amount đồng to a with
// purpose (ASCII letters, digits, spaces, . - /; at most 25 characters: a
// dossier's code fits).
func Payload(a Account, amount int64, purpose string) (string, error) {
	if err := a.Check(); err != nil {
		return "", err
	}
	if amount <= 0 || amount > 9_999_999_999_999 {
		return "", problem.Errorf(problem.EInvalid, "Số tiền %d không hợp lệ", "amount %d is not valid", amount)
	}
	if len(purpose) > 25 || strings.Trim(purpose, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .-/") != "" {
		return "", problem.Errorf(problem.EInvalid, "Nội dung chuyển khoản %q: chữ không dấu, số, tối đa 25 ký tự", "purpose %q: ASCII letters and digits, at most 25", purpose)
	}
	beneficiary := tlv("00", a.BankBIN) + tlv("01", a.Account)
	merchant := tlv("00", NAPAS) + tlv("01", beneficiary) + tlv("02", "QRIBFTTA")
	var b strings.Builder
	b.WriteString(tlv("00", "01"))
	b.WriteString(tlv("01", "12"))
	b.WriteString(tlv("38", merchant))
	b.WriteString(tlv("53", "704"))
	b.WriteString(tlv("54", strconv.FormatInt(amount, 10)))
	b.WriteString(tlv("58", "VN"))
	if purpose != "" {
		b.WriteString(tlv("62", tlv("08", purpose)))
	}
	b.WriteString("6304")
	return b.String() + fmt.Sprintf("%04X", CRC16(b.String())), nil
}

// CRC16 is CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no
// reflection, no final xor): "123456789" gives 0x29B1.
func CRC16(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// Fields reads a TLV string into its tags and values, in order; an error
// names where it stops reading.
func Fields(s string) ([][2]string, error) {
	var out [][2]string
	for i := 0; i < len(s); {
		if i+4 > len(s) {
			return out, fmt.Errorf("at %d: a field's tag and length are cut short", i)
		}
		n, err := strconv.Atoi(s[i+2 : i+4])
		if err != nil || n < 0 {
			return out, fmt.Errorf("at %d: length %q is not two digits", i, s[i+2:i+4])
		}
		if i+4+n > len(s) {
			return out, fmt.Errorf("at %d: tag %s says %d characters, %d are left", i, s[i:i+2], n, len(s)-i-4)
		}
		out = append(out, [2]string{s[i : i+2], s[i+4 : i+4+n]})
		i += 4 + n
	}
	return out, nil
}

// Check reads a payload back: its fields, its CRC; an error says what is
// wrong.
func Check(payload string) error {
	if len(payload) < 8 || payload[len(payload)-8:len(payload)-4] != "6304" {
		return fmt.Errorf("no CRC field (63) at the end")
	}
	if _, err := Fields(payload); err != nil {
		return err
	}
	want := fmt.Sprintf("%04X", CRC16(payload[:len(payload)-4]))
	if got := payload[len(payload)-4:]; got != want {
		return fmt.Errorf("CRC %s, computed %s", got, want)
	}
	return nil
}
