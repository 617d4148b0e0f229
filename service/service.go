// Package service is the one implementation of the operations the desktop app and the CLI share:
// sealing, listing a workspace, status labels and report creation (in the way supersonic's
// backend.App serves its UI). Both front ends call it and only turn its results and errors into
// what their user reads, so a change to one of these operations is made once. It imports no Fyne.
package service

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"smartdiag/assessment"
	"smartdiag/peers"
	"smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/report"
	"smartdiag/seal"
)

// Service holds what the shared operations need from their caller. The zero value works: it
// uses the clock and the per-user signing key.
type Service struct {
	// Creator is written into the PDFs it makes ("smartdiag 1.4.0").
	Creator string
	// Now is the clock; nil means time.Now. Tests fix it.
	Now func() time.Time
	// Peers is the district's peer benchmark for reports; nil: a workspace's peers.json, else the
	// bundled reference.
	Peers *peers.File
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Sealed says what Seal did.
type Sealed struct {
	Path        string
	Fingerprint string // of the key that sealed it
	KeyCreated  bool   // the signing key was created for this seal (first use)
}

// SealDocument seals a finished document with the consultant's key (created on first use) and
// the signer saved in the settings (else the document's assessor), and writes the sealed bytes
// to path atomically. Every failure is returned: loading the key, the signer, sealing, writing.
func (s *Service) SealDocument(d *assessment.Document, path string) (*Sealed, error) {
	key, created, err := seal.LoadOrCreateKey()
	if err != nil {
		return nil, err
	}
	signer, err := seal.LoadSigner()
	if err != nil {
		return nil, err
	}
	if signer.Name == "" {
		signer = assessment.Signer{Name: d.Assessor.Name, Organisation: d.Assessor.Organisation}
	}
	out, err := seal.Seal(d, key, signer, s.now())
	if err != nil {
		return nil, err
	}
	if err := assessment.WriteFileAtomic(path, out); err != nil {
		return nil, err
	}
	return &Sealed{Path: path, Fingerprint: seal.Fingerprint(key.Public().(ed25519.PublicKey)), KeyCreated: created}, nil
}

// SealFile seals one finished document file in place. A document in a workspace (named
// <id>.sdiag) may be open in the app, whose next save would overwrite the seal: it takes the same
// document lock the app takes, before reading, but only in a folder the app has used (it has a
// lock folder), so sealing elsewhere leaves no trace.
func (s *Service) SealFile(path string) (*Sealed, error) {
	if path == "-" {
		return nil, ErrSealStdin
	}
	dir := filepath.Dir(path)
	if id, ok := strings.CutSuffix(filepath.Base(path), assessment.Ext); ok && uuid.Validate(id) == nil && isDir(filepath.Join(dir, assessment.LockDir)) {
		ws := &assessment.Workspace{Dir: dir}
		if err := ws.Claim(id); err != nil {
			return nil, err
		}
		defer ws.Release(id)
	}
	// Only a regular file, size-checked before reading: a FIFO must not block sealing.
	data, err := regfile.ReadFile(path, seal.MaxDocumentSize)
	if err != nil {
		return nil, kindUnreadable.Wrap(regfile.WithoutPath(err))
	}
	d, _, err := assessment.Open(data)
	if err != nil {
		return nil, err
	}
	return s.SealDocument(d, path)
}

// StatusLabel is the Chinese name of a document status (草稿, 已完成, 已封存); the app passes it
// through its translation table.
func StatusLabel(status string) string {
	switch status {
	case assessment.StatusFinished:
		return "已完成"
	case assessment.StatusSealed:
		return "已封存"
	}
	return "草稿"
}

// Entry is one file of a workspace listing: the document and its questionnaire, or why it could
// not be read.
type Entry struct {
	Path  string
	Doc   *assessment.Document
	Q     *questionnaires.Questionnaire
	Level *int // the level of a finished or sealed document
	// Estimate marks a level the questionnaire can only estimate (printed with （估算）).
	Estimate bool
	Err      error
}

// ListWorkspace reads the envelope of every document in a workspace folder, newest activity
// first and unreadable files last. It needs the envelope and the questionnaire, not every
// answer checked (that happens when a document is opened), which keeps a start with hundreds of
// diagnoses quick. progress, if not nil, is called now and then with the files done.
func (s *Service) ListWorkspace(dir string, progress func(done, total int)) ([]Entry, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, kindNoWorkspace.New(dir)
	}
	files, err := (&assessment.Workspace{Dir: dir}).List()
	if err != nil {
		return nil, kindWorkspace.Wrap(err, dir)
	}
	entries := make([]Entry, 0, len(files))
	for i, f := range files {
		e := Entry{Path: f}
		data, err := os.ReadFile(f)
		if err == nil {
			e.Doc, err = assessment.Decode(data)
		}
		if err == nil {
			e.Q, err = e.Doc.LoadQuestionnaire()
		}
		if err != nil {
			e.Doc, e.Q, e.Err = nil, nil, err
		} else if e.Doc.Status != assessment.StatusDraft {
			r := assessment.Score(e.Q, e.Doc)
			e.Level, e.Estimate = &r.Level, r.Estimate
		}
		entries = append(entries, e)
		if progress != nil && i%25 == 0 {
			progress(i, len(files))
		}
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if (a.Doc == nil) != (b.Doc == nil) {
			return a.Doc != nil
		}
		if a.Doc == nil {
			return a.Path < b.Path
		}
		return a.Doc.Updated.After(b.Doc.Updated)
	})
	return entries, nil
}

// WriteReport renders the report PDF of a finished or sealed document in lang ("zh", "en") and
// writes it atomically to dst, creating its folder, so a failed run never leaves a half-written
// report behind.
func (s *Service) WriteReport(qn *questionnaires.Questionnaire, d *assessment.Document, lang, dst string) error {
	return s.writeReport(qn, d, lang, "", dst, nil, s.Peers)
}

// WriteReportWithEvidence is WriteReport for a document in a workspace: evidenceDir is the folder
// its evidence paths are relative to, and the report gets an appendix of its photos.
func (s *Service) WriteReportWithEvidence(qn *questionnaires.Questionnaire, d *assessment.Document, lang, evidenceDir, dst string) error {
	return s.writeReport(qn, d, lang, evidenceDir, dst, nil, s.Peers)
}

func (s *Service) writeReport(qn *questionnaires.Questionnaire, d *assessment.Document, lang, evidenceDir, dst string, earlier *report.Earlier, pf *peers.File) error {
	pdf, err := report.Render(qn, d, report.Options{Lang: lang, Created: s.now(), Creator: s.creator(), EvidenceDir: evidenceDir, Earlier: earlier, Peers: pf})
	if err != nil {
		return err
	}
	return assessment.WriteFileAtomicDir(dst, pdf)
}

// WritePreview renders the preview of a draft (watermarked 草稿 on every page, no document
// embedded) for the firm's representative to read before confirming, and writes it like
// WriteReport.
func (s *Service) WritePreview(qn *questionnaires.Questionnaire, d *assessment.Document, lang, dst string) error {
	pdf, err := report.Render(qn, d, report.Options{Lang: lang, Created: s.now(), Creator: s.creator(), Draft: true})
	if err != nil {
		return err
	}
	return assessment.WriteFileAtomicDir(dst, pdf)
}

// PreviewFileName is the file name of a draft's preview: the report's name marked 草稿预览.
func PreviewFileName(d *assessment.Document) string {
	name := report.FileName(d)
	return strings.TrimSuffix(name, ".pdf") + "-草稿预览.pdf"
}

func (s *Service) creator() string {
	if s.Creator == "" {
		return "smartdiag"
	}
	return s.Creator
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
