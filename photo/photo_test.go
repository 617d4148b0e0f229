package photo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"testing"

	"smartdiag/photo/phototest"
)

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { return int(a>>8) - int(b) }
	abs := func(x int) int { return max(x, -x) }
	return abs(d(r, want.R)) < 40 && abs(d(g, want.G)) < 40 && abs(d(b, want.B)) < 40
}

// Where the red quarter of a w×h sensor picture ends up once turned upright for each
// orientation: the corner it occupies (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left).
func TestFitTurnsEveryOrientationUpright(t *testing.T) {
	corner := map[int]int{1: 0, 2: 1, 3: 2, 4: 3, 5: 0, 6: 1, 7: 2, 8: 3}
	for o := 1; o <= 8; o++ {
		for _, be := range []bool{false, true} {
			data := phototest.JPEG(400, 300, o, be)
			if got := Orientation(data); got != o {
				t.Fatalf("orientation %d (big-endian %v) read as %d", o, be, got)
			}
			img, format, err := Decode(data)
			if err != nil || format != "jpeg" {
				t.Fatal(format, err)
			}
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if (o >= 5) != (w == 300 && h == 400) {
				t.Fatalf("orientation %d: %d×%d", o, w, h)
			}
			pts := []image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {3 * w / 4, 3 * h / 4}, {w / 4, 3 * h / 4}}
			for i, p := range pts {
				want := phototest.Grey
				if i == corner[o] {
					want = phototest.Red
				}
				if !near(img.At(p.X, p.Y), want) {
					t.Errorf("orientation %d: corner %d is %v, want %v", o, i, img.At(p.X, p.Y), want)
				}
			}
		}
	}
}

func TestFitDownscalesLongSide(t *testing.T) {
	cases := []struct {
		name          string
		data          []byte
		changed       bool
		wantW, wantH  int
		wantFormat    string
		upperLeftRed  bool
		upperRightRed bool
	}{
		{"landscape 1800×1350", phototest.JPEG(1800, 1350, 1, false), true, 1600, 1200, "jpeg", true, false},
		{"phone portrait (orientation 6)", phototest.JPEG(1800, 1350, 6, false), true, 1200, 1600, "jpeg", false, true},
		{"small, turned (orientation 8)", phototest.JPEG(800, 600, 8, true), true, 600, 800, "jpeg", false, false},
		{"small upright: stored as is", phototest.JPEG(1600, 900, 1, false), false, 1600, 900, "jpeg", true, false},
		{"no EXIF", phototest.JPEG(2000, 500, 0, false), true, 1600, 400, "jpeg", true, false},
		{"large PNG stays PNG", pngOf(2000, 500), true, 1600, 400, "png", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, changed, err := Fit(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if changed != c.changed {
				t.Fatalf("changed %v", changed)
			}
			if !changed && !bytes.Equal(out, c.data) {
				t.Fatal("unchanged photo not returned byte for byte")
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil || format != c.wantFormat || cfg.Width != c.wantW || cfg.Height != c.wantH {
				t.Fatalf("stored %s %d×%d (%v), want %s %d×%d", format, cfg.Width, cfg.Height, err, c.wantFormat, c.wantW, c.wantH)
			}
			if changed && Orientation(out) != 1 {
				t.Error("a re-encoded photo still carries an orientation")
			}
			img, _, _ := image.Decode(bytes.NewReader(out))
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if c.upperLeftRed != near(img.At(w/5, h/5), phototest.Red) || c.upperRightRed != near(img.At(4*w/5, h/5), phototest.Red) {
				t.Errorf("wrong way up: upper left %v, upper right %v", img.At(w/5, h/5), img.At(4*w/5, h/5))
			}
			if c.changed && len(out) > len(c.data) && c.wantFormat == "jpeg" && max(c.wantW, c.wantH) == MaxSide {
				t.Errorf("downscaled photo grew: %d → %d bytes", len(c.data), len(out))
			}
		})
	}
}

func pngOf(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(phototest.Grey), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, w/2, h/2), image.NewUniform(phototest.Red), image.Point{}, draw.Src)
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestDecodeRefusesHugeAndNonImages(t *testing.T) {
	// A PNG header declaring 60000×60000 pixels: refused before decoding.
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	data[16], data[17], data[18], data[19] = 0, 0, 0xEA, 0x60
	data[20], data[21], data[22], data[23] = 0, 0, 0xEA, 0x60
	if _, _, err := Fit(data); err == nil {
		t.Error("a 3.6-gigapixel PNG was accepted")
	}
	if _, _, err := Fit([]byte("plain text")); err == nil {
		t.Error("text accepted as an image")
	}
	if Orientation([]byte("plain text")) != 1 {
		t.Error("orientation of text")
	}
}

func TestThumbnailJPEG(t *testing.T) {
	out, err := ThumbnailJPEG(phototest.JPEG(800, 600, 6, false), 300, 80)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil || img.Bounds().Dx() != 225 || img.Bounds().Dy() != 300 {
		t.Fatalf("thumbnail %v %v", img.Bounds(), err)
	}
}

// FuzzOrientation: any bytes give an orientation 1–8 without panicking, and Fit never panics.
func FuzzOrientation(f *testing.F) {
	f.Add(phototest.JPEG(16, 8, 6, false))
	f.Add(phototest.JPEG(16, 8, 3, true))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		Fit(data)
	})
}
