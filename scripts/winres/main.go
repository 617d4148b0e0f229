// Command winres writes the inputs of smartdiag's Windows resource: an .ico made from
// assets/icon.png, an application manifest and an .rc script with the icon, the manifest and the
// version information. scripts/dist.sh compiles the .rc with x86_64-w64-mingw32-windres into the
// .syso that go build links into smartdiag.exe. With -png DIR it also writes the icon at the sizes
// a Linux icon theme uses (DIR/16.png … DIR/512.png). With -check EXE it only checks a built
// executable: a 64-bit GUI program whose resources hold the icon and the version information.
//
//	go run ./scripts/winres -icon assets/icon.png -out DIR -version 0.1.0.1 -product-version 0.1.0-g4384c2b
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"
)

func main() {
	icon := flag.String("icon", "assets/icon.png", "square PNG icon, at least 256 px")
	out := flag.String("out", "", "directory for smartdiag.ico, smartdiag.manifest and smartdiag.rc")
	pngDir := flag.String("png", "", "if set, also write DIR/<size>.png for a Linux icon theme")
	version := flag.String("version", "0.0.0.0", "file version, four numbers a.b.c.d")
	productVersion := flag.String("product-version", "", "product version text (default: -version)")
	product := flag.String("product", "智改数转网联诊断", "product name")
	company := flag.String("company", "", "company name")
	appID := flag.String("id", "cn.gov.jiangning.smartdiag", "assembly name in the manifest")
	check := flag.String("check", "", "check a built .exe instead of writing files")
	flag.Parse()
	if *productVersion == "" {
		*productVersion = *version
	}
	if *check != "" {
		if err := checkExe(*check, *product, *productVersion); err != nil {
			fmt.Fprintln(os.Stderr, "winres:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*icon, *out, *pngDir, *version, *productVersion, *product, *company, *appID); err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
}

func run(iconPath, out, pngDir, version, productVersion, product, company, appID string) error {
	nums, err := fileVersion(version)
	if err != nil {
		return err
	}
	f, err := os.Open(iconPath)
	if err != nil {
		return err
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %v", iconPath, err)
	}
	if b := src.Bounds(); b.Dx() != b.Dy() || b.Dx() < 256 {
		return fmt.Errorf("%s: icon is %dx%d, want a square of at least 256 px", iconPath, b.Dx(), b.Dy())
	}
	if pngDir != "" {
		if err := os.MkdirAll(pngDir, 0o755); err != nil {
			return err
		}
		for _, n := range []int{16, 24, 32, 48, 64, 128, 256, 512} {
			var buf bytes.Buffer
			if err := png.Encode(&buf, resize(src, n)); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(pngDir, strconv.Itoa(n)+".png"), buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	if out == "" {
		return nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	ico, err := makeICO(src, []int{256, 128, 64, 48, 32, 24, 16})
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"smartdiag.ico":      ico,
		"smartdiag.manifest": []byte(manifest(appID, nums)),
		"smartdiag.rc":       []byte(rcScript(nums, productVersion, product, company)),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fileVersion parses "a.b.c.d" (missing parts are 0) into the four 16-bit numbers of FILEVERSION.
func fileVersion(v string) ([4]uint16, error) {
	var n [4]uint16
	parts := strings.Split(v, ".")
	if len(parts) > 4 {
		return n, fmt.Errorf("file version %q: more than four numbers", v)
	}
	for i, p := range parts {
		x, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return n, fmt.Errorf("file version %q: %v", v, err)
		}
		n[i] = uint16(x)
	}
	return n, nil
}

// makeICO writes an icon file: 32-bit BMP images for the small sizes (what every version of
// Explorer reads) and a PNG for 256 px (Vista and later), largest first.
func makeICO(src image.Image, sizes []int) ([]byte, error) {
	var images [][]byte
	for _, n := range sizes {
		img := resize(src, n)
		if n >= 256 {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return nil, err
			}
			images = append(images, buf.Bytes())
		} else {
			images = append(images, dib(img))
		}
	}
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	le(uint16(0))          // reserved
	le(uint16(1))          // type: icon
	le(uint16(len(sizes))) // count
	offset := 6 + 16*len(sizes)
	for i, n := range sizes {
		dim := uint8(n)
		if n >= 256 {
			dim = 0 // 0 means 256
		}
		b.Write([]byte{dim, dim, 0, 0}) // width, height, palette size, reserved
		le(uint16(1))                   // colour planes
		le(uint16(32))                  // bits per pixel
		le(uint32(len(images[i])))
		le(uint32(offset))
		offset += len(images[i])
	}
	for _, img := range images {
		b.Write(img)
	}
	return b.Bytes(), nil
}

// dib encodes an icon image as a BITMAPINFOHEADER, bottom-up BGRA rows and the AND mask (set where
// the pixel is fully transparent).
func dib(img *image.NRGBA) []byte {
	n := img.Bounds().Dx()
	maskStride := (n + 31) / 32 * 4
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	le(uint32(40))   // header size
	le(int32(n))     // width
	le(int32(2 * n)) // height of image and mask together
	le(uint16(1))    // planes
	le(uint16(32))   // bits per pixel
	le(uint32(0))    // BI_RGB
	le(uint32(n*n*4 + maskStride*n))
	le([4]uint32{}) // resolution and palette fields
	for y := n - 1; y >= 0; y-- {
		for x := 0; x < n; x++ {
			c := img.NRGBAAt(x, y)
			b.Write([]byte{c.B, c.G, c.R, c.A})
		}
	}
	for y := n - 1; y >= 0; y-- {
		row := make([]byte, maskStride)
		for x := 0; x < n; x++ {
			if img.NRGBAAt(x, y).A == 0 {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		b.Write(row)
	}
	return b.Bytes()
}

// resize scales a square image to n×n by averaging the source area under each target pixel (with
// premultiplied alpha, so transparent pixels do not darken the edges).
func resize(src image.Image, n int) *image.NRGBA {
	sb := src.Bounds()
	scale := float64(sb.Dx()) / float64(n)
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		y0, y1 := float64(y)*scale, float64(y+1)*scale
		for x := 0; x < n; x++ {
			x0, x1 := float64(x)*scale, float64(x+1)*scale
			var r, g, bl, a, w float64
			for sy := int(y0); float64(sy) < y1 && sy < sb.Dy(); sy++ {
				wy := overlap(float64(sy), y0, y1)
				for sx := int(x0); float64(sx) < x1 && sx < sb.Dx(); sx++ {
					wt := wy * overlap(float64(sx), x0, x1)
					cr, cg, cb, ca := src.At(sb.Min.X+sx, sb.Min.Y+sy).RGBA() // premultiplied, 16 bit
					r += wt * float64(cr)
					g += wt * float64(cg)
					bl += wt * float64(cb)
					a += wt * float64(ca)
					w += wt
				}
			}
			if a == 0 {
				continue
			}
			dst.SetNRGBA(x, y, color.NRGBA{
				R: unmul(r, a), G: unmul(g, a), B: unmul(bl, a),
				A: uint8(a/w/257 + 0.5),
			})
		}
	}
	return dst
}

// overlap is the length of [p, p+1) inside [lo, hi).
func overlap(p, lo, hi float64) float64 {
	return max(0, min(p+1, hi)-max(p, lo))
}

// unmul turns a premultiplied channel sum back into an 8-bit straight-alpha value.
func unmul(c, a float64) uint8 {
	return uint8(min(255, c/a*255+0.5))
}

func manifest(appID string, v [4]uint16) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="` + appID + `" version="` + fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3]) + `" processorArchitecture="amd64"/>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">PerMonitorV2, PerMonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
</assembly>
`
}

// rcScript is the resource script. Text is written as UTF-16 escapes so that windres needs no code
// page for the Chinese names.
func rcScript(v [4]uint16, productVersion, product, company string) string {
	nums := fmt.Sprintf("%d,%d,%d,%d", v[0], v[1], v[2], v[3])
	dotted := fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
	var b strings.Builder
	fmt.Fprintf(&b, "// Generated by scripts/winres.\n")
	fmt.Fprintf(&b, "1 ICON \"smartdiag.ico\"\n")
	fmt.Fprintf(&b, "1 24 \"smartdiag.manifest\"\n") // RT_MANIFEST, CREATEPROCESS_MANIFEST_RESOURCE_ID
	fmt.Fprintf(&b, "1 VERSIONINFO\nFILEVERSION %s\nPRODUCTVERSION %s\n", nums, nums)
	fmt.Fprintf(&b, "FILEFLAGSMASK 0x3f\nFILEFLAGS 0x0\nFILEOS 0x40004\nFILETYPE 0x1\nFILESUBTYPE 0x0\n")
	fmt.Fprintf(&b, "BEGIN\n  BLOCK \"StringFileInfo\"\n  BEGIN\n    BLOCK \"080404b0\"\n    BEGIN\n")
	for _, kv := range [][2]string{
		{"CompanyName", company},
		{"FileDescription", product},
		{"FileVersion", dotted},
		{"InternalName", "smartdiag"},
		{"OriginalFilename", "smartdiag.exe"},
		{"ProductName", product},
		{"ProductVersion", productVersion},
	} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "      VALUE \"%s\", L\"%s\"\n", kv[0], rcString(kv[1]))
		}
	}
	fmt.Fprintf(&b, "    END\n  END\n  BLOCK \"VarFileInfo\"\n  BEGIN\n    VALUE \"Translation\", 0x804, 1200\n  END\nEND\n")
	return b.String()
}

// rcString escapes s for a wide string in a resource script: printable ASCII stays, everything
// else becomes \xHHHH UTF-16 code units.
func rcString(s string) string {
	var b strings.Builder
	escaped := false // a hex digit right after \xHHHH would extend the escape
	for _, r := range s {
		isHex := strings.ContainsRune("0123456789abcdefABCDEF", r)
		switch {
		case escaped && isHex:
			fmt.Fprintf(&b, `\x%04x`, r)
			continue
		case r == '"':
			b.WriteString(`""`)
		case r == '\\':
			b.WriteString(`\\`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\x%04x\x%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\x%04x`, r)
		}
		escaped = r > 0x7e || r < 0x20
	}
	return b.String()
}

// checkExe verifies that exe is an x86-64 GUI-subsystem program with a resource section holding an
// icon, the manifest, and the product name and version as UTF-16 text.
func checkExe(exe, product, productVersion string) error {
	f, err := pe.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("%s: not an x86-64 program", exe)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("%s: subsystem %d, want the GUI subsystem (link with -H windowsgui)", exe, oh.Subsystem)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return fmt.Errorf("%s: no resource section (was the .syso linked?)", exe)
	}
	data, err := rsrc.Data()
	if err != nil {
		return err
	}
	var missing []string
	for _, s := range []string{product, productVersion, "VS_VERSION_INFO"} {
		if !bytes.Contains(data, utf16le(s)) {
			missing = append(missing, s)
		}
	}
	if !bytes.Contains(data, []byte("urn:schemas-microsoft-com:asm.v1")) {
		missing = append(missing, "manifest")
	}
	if !bytes.Contains(data, []byte("\x89PNG\r\n\x1a\n")) { // the 256 px image of the icon
		missing = append(missing, "icon")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: resources lack %q", exe, missing)
	}
	if oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE].Size == 0 {
		return errors.New(exe + ": resource directory is empty")
	}
	return nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
