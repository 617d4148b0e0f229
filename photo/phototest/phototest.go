// Package phototest makes camera-like JPEGs for tests: a given size, a red top-left quarter on a
// grey background (so a test can tell which way up a stored photo is), and an EXIF orientation.
package phototest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
)

// Red and Grey are the colours of JPEG's marker quarter and background.
var (
	Red  = color.RGBA{220, 20, 20, 255}
	Grey = color.RGBA{128, 128, 128, 255}
)

// JPEG encodes a w×h picture as the sensor saw it, with EXIF orientation o (0: no EXIF at all),
// in big- or little-endian TIFF order.
func JPEG(w, h, o int, bigEndian bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// Filled rectangles rather than pixel by pixel: the tests run under the race detector.
	draw.Draw(img, img.Bounds(), image.NewUniform(Grey), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, w/2, h/2), image.NewUniform(Red), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	data := b.Bytes()
	if o == 0 {
		return data
	}
	return WithOrientation(data, o, bigEndian)
}

// WithOrientation inserts an APP1 EXIF segment holding only the orientation tag after the JPEG's
// SOI marker, as cameras write it.
func WithOrientation(data []byte, o int, bigEndian bool) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	tiff := []byte("II*\x00")
	if bigEndian {
		bo = binary.BigEndian
		tiff = []byte("MM\x00*")
	}
	tiff = bo.AppendUint32(tiff, 8) // first IFD right after the header
	tiff = bo.AppendUint16(tiff, 2) // two entries: something else first, then the orientation
	tiff = bo.AppendUint16(tiff, 0x010F)
	tiff = bo.AppendUint16(tiff, 2) // ASCII "Cam"
	tiff = bo.AppendUint32(tiff, 4)
	tiff = append(tiff, 'C', 'a', 'm', 0)
	tiff = bo.AppendUint16(tiff, 0x0112)
	tiff = bo.AppendUint16(tiff, 3) // SHORT
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, uint16(o))
	tiff = append(tiff, 0, 0)
	tiff = bo.AppendUint32(tiff, 0) // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{0xFF, 0xD8, 0xFF, 0xE1}, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, data[2:]...)
}
