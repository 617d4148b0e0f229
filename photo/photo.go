// Package photo downscales evidence photos on attach and makes thumbnails for the wizard and the
// report. Photos are turned upright (EXIF orientation) when they are re-encoded, because the Go
// encoders write no EXIF and most PDF and UI renderers ignore the tag anyway.
package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"

	"golang.org/x/image/draw"
)

// The stored size of an evidence photo. A long side of 1600 px keeps the text of a nameplate or a
// screen readable and a phone photo at a few hundred KB (docs/format.md, "Evidence photos").
const (
	MaxSide     = 1600
	JPEGQuality = 85
	// MaxPixels bounds what is decoded: 64 megapixels, more than any phone camera, so a crafted
	// file declaring 60000×60000 pixels is refused before memory is allocated for it.
	MaxPixels = 64 << 20
)

// IsImage reports whether a file name is a photo the app downscales and shows as a thumbnail.
func IsImage(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// ErrTooLarge is returned for images with more than MaxPixels pixels.
var ErrTooLarge = errors.New("图片像素过多")

// Decode decodes a JPEG or PNG and turns it upright according to its EXIF orientation.
func Decode(data []byte) (image.Image, string, error) {
	img, format, o, err := decode(data)
	if err != nil {
		return nil, "", err
	}
	return orient(img, o), format, nil
}

// decode decodes a JPEG or PNG as stored, with its EXIF orientation (1 for a PNG).
func decode(data []byte) (image.Image, string, int, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", 0, err
	}
	if format != "jpeg" && format != "png" {
		return nil, "", 0, fmt.Errorf("不支持的图片格式 %s", format)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, "", 0, fmt.Errorf("%w（%d×%d）", ErrTooLarge, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", 0, err
	}
	o := 1
	if format == "jpeg" {
		o = Orientation(data)
	}
	return img, format, o, nil
}

// fitted decodes, scales to side and turns upright: scaling first, so turning a 48-megapixel
// photo costs no more than turning its small version.
func fitted(data []byte, side int) (image.Image, string, error) {
	img, format, o, err := decode(data)
	if err != nil {
		return nil, "", err
	}
	return orient(scale(img, side), o), format, nil
}

// Fit prepares a photo for storage: an image larger than MaxSide on its long side is scaled down
// to it, and a JPEG with an orientation other than upright is turned upright. The result keeps
// its format (a PNG stays a PNG: screenshots and drawings keep sharp edges). changed is false,
// and data is returned as it is, when nothing needs doing: a small upright photo is stored
// byte for byte.
func Fit(data []byte) (out []byte, changed bool, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, false, err
	}
	o := 1
	if format == "jpeg" {
		o = Orientation(data)
	}
	if max(cfg.Width, cfg.Height) <= MaxSide && o == 1 {
		return data, false, nil
	}
	img, format, err := fitted(data, MaxSide)
	if err != nil {
		return nil, false, err
	}
	var b bytes.Buffer
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: JPEGQuality})
	}
	if err != nil {
		return nil, false, err
	}
	return b.Bytes(), true, nil
}

// Thumbnail decodes a photo, turns it upright and scales it to at most side pixels on its long side.
func Thumbnail(data []byte, side int) (image.Image, error) {
	img, _, err := fitted(data, side)
	return img, err
}

// ThumbnailJPEG is a thumbnail encoded as JPEG, for embedding in a PDF.
func ThumbnailJPEG(data []byte, side, quality int) ([]byte, error) {
	img, err := Thumbnail(data, side)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, flatten(img), &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// scale fits img into side×side keeping its proportions; a smaller image is returned as it is.
func scale(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if max(w, h) <= side {
		return img
	}
	nw, nh := side, max(1, h*side/w)
	if h > w {
		nw, nh = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
	// BiLinear widens its kernel when shrinking, so it averages every source pixel rather than
	// sampling (no aliasing on fine text) and is several times faster than CatmullRom.
	draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// flatten draws an image with transparency on white, since JPEG has no alpha.
func flatten(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}

// orient applies an EXIF orientation (1–8) so the image is upright.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	dw, dh := w, h
	if o >= 5 { // 5–8 swap width and height
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // mirrored, turned 90° counter-clockwise (transpose)
				dx, dy = y, x
			case 6: // needs turning 90° clockwise (phone held upright)
				dx, dy = h-1-y, x
			case 7: // mirrored, turned 90° clockwise (transverse)
				dx, dy = h-1-y, w-1-x
			case 8: // needs turning 90° counter-clockwise
				dx, dy = y, w-1-x
			}
			si := src.PixOffset(x, y)
			di := dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
