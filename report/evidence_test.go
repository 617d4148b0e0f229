package report

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"smartdiag/assessment"
	"smartdiag/photo/phototest"
)

// The photo appendix shows each readable photo as a thumbnail (upright, 240 px on the long
// side), says which are missing or changed, leaves out files that are not photos, and is absent
// when the report is made without the workspace.
func TestEvidenceAppendixHasPhotoThumbnails(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages not installed (poppler-utils)")
	}
	qn, d := demoDoc(t, "cmmm-full", 11)
	ws := t.TempDir()
	items := qn.Items()
	add := func(item, name string, data []byte, record []byte) {
		rel := d.ID + ".files/" + item + "-" + name
		if data != nil {
			os.MkdirAll(filepath.Join(ws, d.ID+".files"), 0o755)
			if err := os.WriteFile(filepath.Join(ws, filepath.FromSlash(rel)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sum := sha256.Sum256(record)
		a := d.Answers[item]
		a.Evidence = append(a.Evidence, assessment.Evidence{Name: name, Path: rel, Size: int64(len(record)), SHA256: hex.EncodeToString(sum[:]), Added: fixedDate})
	}
	landscape := phototest.JPEG(1600, 1200, 1, false)
	portrait := phototest.JPEG(400, 300, 6, true) // stored before photos were turned on attach
	add(items[0].ID, "车间全景.jpg", landscape, landscape)
	add(items[0].ID, "设备台账.xlsx", []byte("ledger"), []byte("ledger"))
	add(items[1].ID, "铭牌.jpeg", portrait, portrait)
	add(items[2].ID, "丢失.jpg", nil, []byte("gone"))
	add(items[2].ID, "被改.png", []byte("changed"), []byte("original"))

	list := func(opt Options) (string, string) {
		opt.Created = fixedDate
		pdf, err := Render(qn, d, opt)
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(in, pdf, 0o644)
		imgs, err := exec.Command("pdfimages", "-list", in).Output()
		if err != nil {
			t.Fatal(err)
		}
		txt, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(imgs), strings.Join(strings.Fields(string(txt)), "")
	}

	imgs, txt := list(Options{EvidenceDir: ws})
	var sizes []string
	for _, ln := range strings.Split(imgs, "\n")[2:] {
		if f := strings.Fields(ln); len(f) > 5 && f[2] == "image" {
			sizes = append(sizes, f[3]+"x"+f[4]+" "+f[8])
		}
	}
	want := []string{"240x180 jpeg", "180x240 jpeg"}
	if strings.Join(sizes, ",") != strings.Join(want, ",") {
		t.Fatalf("images in the report: %v, want %v\n%s", sizes, want, imgs)
	}
	// pdftotext may set "附录三" apart from the rest of the title: the checks look for the words.
	for _, s := range []string{"现场证据照片", "车间全景.jpg", "铭牌.jpeg", "（工作区中缺少此文件）", "（文件与记录的校验值不符）", items[1].ID} {
		if !strings.Contains(txt, s) {
			t.Errorf("appendix lacks %q", s)
		}
	}
	if i := strings.LastIndex(txt, "现场证据照片"); i >= 0 && strings.Contains(txt[i:], "设备台账.xlsx") {
		t.Error("a spreadsheet is in the photo appendix")
	}

	imgs, txt = list(Options{})
	if strings.Contains(txt, "现场证据照片") || strings.Count(imgs, "\n") > 2 {
		t.Errorf("without the workspace the report still has a photo appendix:\n%s", imgs)
	}
	_, txt = list(Options{EvidenceDir: ws, Lang: "en"})
	if !strings.Contains(txt, "evidencephotos") || !strings.Contains(txt, "(filemissingfromtheworkspace)") {
		t.Error("English photo appendix")
	}
}
