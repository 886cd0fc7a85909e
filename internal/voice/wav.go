package voice

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Rate is the sample rate of every clip and announcement: 22 050 Hz, mono,
// 16-bit PCM (what espeak-ng writes; recorded clips must be saved so).
const Rate = 22050

// ReadWAV returns the samples of a 16-bit mono PCM WAV at Rate. Anything else
// is refused with a message saying what to convert it to.
func ReadWAV(data []byte) ([]int16, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, errors.New("not a WAV file")
	}
	var pcm []byte
	format := false
	for p := 12; p+8 <= len(data); {
		id, size := string(data[p:p+4]), int(binary.LittleEndian.Uint32(data[p+4:p+8]))
		p += 8
		if size < 0 || p+size > len(data) {
			size = len(data) - p // espeak-ng leaves the size unset when it writes to a pipe
		}
		chunk := data[p : p+size]
		switch id {
		case "fmt ":
			if len(chunk) < 16 {
				return nil, errors.New("short fmt chunk")
			}
			tag, ch := binary.LittleEndian.Uint16(chunk[0:]), binary.LittleEndian.Uint16(chunk[2:])
			rate, bits := binary.LittleEndian.Uint32(chunk[4:]), binary.LittleEndian.Uint16(chunk[14:])
			if tag != 1 || ch != 1 || rate != Rate || bits != 16 {
				return nil, fmt.Errorf("WAV is format %d, %d channel(s), %d Hz, %d bit; need PCM mono %d Hz 16 bit", tag, ch, rate, bits, Rate)
			}
			format = true
		case "data":
			pcm = chunk
		}
		p += size + size%2
	}
	if !format || pcm == nil {
		return nil, errors.New("WAV without fmt or data chunk")
	}
	out := make([]int16, len(pcm)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(pcm[2*i:]))
	}
	return out, nil
}

// WriteWAV encodes samples as a 16-bit mono PCM WAV at Rate.
func WriteWAV(samples []int16) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*len(samples)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(Rate))
	le(uint32(Rate * 2))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(2 * len(samples)))
	le(samples)
	return b.Bytes()
}

// normalise scales a clip so its peak is at -3 dBFS (espeak-ng peaks near
// clipping; recorded clips come at any level) and trims silence at both ends.
func normalise(s []int16) []int16 {
	const quiet = 300
	start, end := 0, len(s)
	for start < end && abs16(s[start]) < quiet {
		start++
	}
	for end > start && abs16(s[end-1]) < quiet {
		end--
	}
	s = s[start:end]
	peak := 0
	for _, v := range s {
		peak = max(peak, abs16(v))
	}
	if peak == 0 {
		return s
	}
	gain := 0.708 * 32767 / float64(peak)
	out := make([]int16, len(s))
	for i, v := range s {
		out[i] = int16(math.Round(float64(v) * gain))
	}
	return out
}

func abs16(v int16) int {
	if v < 0 {
		return -int(v)
	}
	return int(v)
}

// chime is the two-tone "ding-dong" before an announcement, synthesised.
func chime() []int16 {
	var out []int16
	for _, tone := range []struct {
		hz  float64
		dur float64
	}{{880, 0.35}, {659.25, 0.55}} {
		n := int(tone.dur * Rate)
		for i := range n {
			t := float64(i) / Rate
			env := math.Exp(-3.5 * t / tone.dur)
			out = append(out, int16(0.45*32767*env*math.Sin(2*math.Pi*tone.hz*t)))
		}
	}
	return out
}

func silence(ms int) []int16 { return make([]int16, Rate*ms/1000) }
