// Command versuslibreoffice times one report as a whole process, `smartdiag report DOC --out
// X.pdf`, against LibreOffice converting a .docx of the same text to PDF, `soffice --headless
// --convert-to pdf`, run alternately in one run so both see the same machine load. The .docx is
// made here from the report's own text (pdftotext), one paragraph per line, as a minimal
// WordprocessingML package written with archive/zip.
//
//	go run -tags migrated_fynedo ./scripts/versuslibreoffice [-runs 10] [-seed 11] [-bin ./smartdiag]
//
// It needs soffice (Debian: apt-get install libreoffice-writer-nogui) and pdftotext
// (poppler-utils). Not part of `make test`; `make bench` runs it when soffice is installed.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 10, "timed runs of each (after one warm-up run of each)")
	seed := flag.Uint64("seed", 11, "seed of the demo diagnosis")
	bin := flag.String("bin", "", "smartdiag binary to time (default: built from this checkout)")
	flag.Parse()
	if err := run(*runs, *seed, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "versuslibreoffice:", err)
		os.Exit(1)
	}
}

func run(runs int, seed uint64, bin string) error {
	for _, tool := range []string{"soffice", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found (apt-get install libreoffice-writer-nogui poppler-utils)", tool)
		}
	}
	dir, err := os.MkdirTemp("", "versuslibreoffice")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "smartdiag")
		build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %v", err)
		}
	}
	demoDir := filepath.Join(dir, "demo")
	if out, err := exec.Command(bin, "demo", "--out", demoDir, "--count", "1", "--seed", fmt.Sprint(seed)).CombinedOutput(); err != nil {
		return fmt.Errorf("smartdiag demo: %v\n%s", err, out)
	}
	docs, _ := filepath.Glob(filepath.Join(demoDir, "*.sdiag"))
	if len(docs) != 1 {
		return fmt.Errorf("demo wrote %d documents", len(docs))
	}
	doc := docs[0]
	reportPDF := filepath.Join(dir, "report.pdf")
	smartdiag := []string{bin, "report", doc, "--out", reportPDF}
	if out, err := exec.Command(smartdiag[0], smartdiag[1:]...).CombinedOutput(); err != nil {
		return fmt.Errorf("smartdiag report: %v\n%s", err, out)
	}
	text, err := exec.Command("pdftotext", reportPDF, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext: %v", err)
	}
	docx := filepath.Join(dir, "report.docx")
	if err := writeDocx(docx, string(text)); err != nil {
		return err
	}
	// A profile of its own, made by the warm-up run, so the user's LibreOffice settings and a
	// first-start cost do not enter the figures.
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "lo-profile")
	loOut := filepath.Join(dir, "lo")
	soffice := []string{"soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", loOut, docx}

	var ours, theirs []time.Duration
	for i := range runs + 1 { // run 0 warms up both
		a, err := timed(smartdiag)
		if err != nil {
			return err
		}
		b, err := timed(soffice)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(loOut, "report.pdf")); err != nil {
			return fmt.Errorf("LibreOffice wrote no PDF: %v", err)
		}
		if i > 0 {
			ours, theirs = append(ours, a), append(theirs, b)
		}
	}
	pages := func(pdf string) string {
		out, _ := exec.Command("pdfinfo", pdf).Output()
		for l := range strings.Lines(string(out)) {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
				return f[1]
			}
		}
		return "?"
	}
	fmt.Printf("text: %d characters (%s pages from smartdiag, %s from LibreOffice)\n",
		len([]rune(string(text))), pages(reportPDF), pages(filepath.Join(loOut, "report.pdf")))
	fmt.Printf("smartdiag report (%d runs):   median %s, min %s, max %s\n", runs, med(ours), slices.Min(ours).Round(time.Millisecond), slices.Max(ours).Round(time.Millisecond))
	fmt.Printf("soffice --convert-to (%d runs): median %s, min %s, max %s\n", runs, med(theirs), slices.Min(theirs).Round(time.Millisecond), slices.Max(theirs).Round(time.Millisecond))
	fmt.Printf("LibreOffice / smartdiag: ×%.1f (medians)\n", float64(med(theirs))/float64(med(ours)))
	return nil
}

func timed(cmd []string) (time.Duration, error) {
	start := time.Now()
	out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
	}
	return time.Since(start), nil
}

func med(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// writeDocx writes text as a minimal .docx: a paragraph for each block of lines pdftotext
// separates with a blank line (a text block or a table cell of the report), a page break where it
// put a form feed.
func writeDocx(name, text string) error {
	var body bytes.Buffer
	for page := range strings.SplitSeq(text, "\f") {
		for block := range strings.SplitSeq(page, "\n\n") {
			block = strings.TrimSpace(block)
			if block == "" {
				continue
			}
			body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
			xml.EscapeText(&body, []byte(strings.Join(strings.Fields(block), " ")))
			body.WriteString(`</w:t></w:r></w:p>`)
		}
		body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1020" w:bottom="1134" w:left="1020" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`},
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, file := range files {
		w, err := zw.Create(file.name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(file.data)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
