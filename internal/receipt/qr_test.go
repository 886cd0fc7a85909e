package receipt

import (
	"image/color"
	"testing"
)

func TestQR(t *testing.T) {
	img, err := QR("http://192.168.1.10:8080/t/019ab2c3d4e5f60718293a4b5c6d7e8f", 256)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("size %v", b)
	}
	dark, light := 0, 0
	for y := 0; y < 256; y += 4 {
		for x := 0; x < 256; x += 4 {
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 128 {
				dark++
			} else {
				light++
			}
		}
	}
	if dark < 500 || light < 500 {
		t.Errorf("QR looks empty: %d dark, %d light samples", dark, light)
	}
	if _, err := QR("http://x/t/Đ", 256); err == nil {
		t.Error("a non-ASCII payload was accepted")
	}
}
