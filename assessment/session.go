package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"smartdiag/photo"
	q "smartdiag/questionnaires"
	"smartdiag/regfile"
)

// Session is one diagnosis being edited: every change is saved to the workspace at once, so
// nothing depends on remembering to press save. The desktop app drives it; it has no UI code.
type Session struct {
	WS    *Workspace
	Doc   *Document
	Q     *q.Questionnaire
	Saved time.Time // time of the last successful save
}

// NewSession starts editing a document and saves it once, so a new diagnosis exists on disk from
// its first second.
func NewSession(ws *Workspace, d *Document, qn *q.Questionnaire) (*Session, error) {
	fresh, err := ws.claim(d.ID)
	if err != nil {
		return nil, err
	}
	s := &Session{WS: ws, Doc: d, Q: qn}
	if _, err := os.Stat(ws.Path(d.ID)); os.IsNotExist(err) {
		if err := s.save(time.Now()); err != nil {
			if fresh {
				ws.Release(d.ID)
			}
			return nil, err
		}
	}
	return s, nil
}

// OpenSession loads a document from the workspace for editing. It claims the document's lock
// first and reads it after, so the content is what the last holder saved; ErrInUse when another
// window or instance has it open.
func OpenSession(ws *Workspace, id string) (*Session, error) {
	fresh, err := ws.claim(id)
	if err != nil {
		return nil, err
	}
	release := func() {
		if fresh {
			ws.Release(id)
		}
	}
	data, err := os.ReadFile(ws.Path(id))
	if err != nil {
		release()
		return nil, fmt.Errorf("无法读取 %s：%w", ws.Path(id), err)
	}
	d, qn, err := Open(data)
	if err != nil {
		release()
		return nil, fmt.Errorf("%s：%w", ws.Path(id), err)
	}
	return &Session{WS: ws, Doc: d, Q: qn}, nil
}

// Close releases the document's lock so another window may open it.
func (s *Session) Close() { s.WS.Release(s.Doc.ID) }

func (s *Session) save(now time.Time) error {
	// Re-claim before writing: a session whose window let go of the document (and another window
	// took it) must not overwrite that window's edits.
	if err := s.WS.Claim(s.Doc.ID); err != nil {
		return err
	}
	if err := s.WS.Save(s.Doc); err != nil {
		return err
	}
	s.Saved = now
	return nil
}

// Answer records an answer and saves. On a failed save the document on disk is unchanged and the
// error says so; the answer stays in memory so the next save can still write it.
func (s *Session) Answer(itemID string, val any, now time.Time) error {
	if err := s.Doc.SetAnswer(s.Q, itemID, val, now); err != nil {
		return err
	}
	return s.save(now)
}

// ClearAnswer removes an item's answer value and saves.
func (s *Session) ClearAnswer(itemID string, now time.Time) error {
	if s.Doc.Answer(itemID) == nil {
		return nil
	}
	if err := s.Doc.ClearAnswer(itemID, now); err != nil {
		return err
	}
	return s.save(now)
}

// Note records a note and saves.
func (s *Session) Note(itemID, note string, now time.Time) error {
	if err := s.Doc.SetNote(itemID, note, now); err != nil {
		return err
	}
	return s.save(now)
}

// Visible returns the items shown for this document, in questionnaire order (KPIs last).
func (s *Session) Visible() []*q.Item {
	rel := Relevant(s.Q, s.Doc)
	var out []*q.Item
	for _, it := range s.Q.Items() {
		if rel[it.ID] {
			out = append(out, it)
		}
	}
	return out
}

// NextUnanswered returns the index in Visible of the first unanswered item after from, wrapping
// around; -1 when everything is answered.
func (s *Session) NextUnanswered(items []*q.Item, from int) int {
	n := len(items)
	for k := 1; k <= n; k++ {
		i := (from + k) % n
		if s.Doc.Answer(items[i].ID) == nil {
			return i
		}
	}
	return -1
}

// Progress counts answered and visible items among the given ids.
func (s *Session) Progress(items []*q.Item) (answered, total int) {
	for _, it := range items {
		total++
		if s.Doc.Answer(it.ID) != nil {
			answered++
		}
	}
	return answered, total
}

// MaxEvidenceSize bounds one evidence file: photos and scanned records, not videos.
const MaxEvidenceSize = 20 << 20

// AttachEvidence copies a file (a photo downscaled, see photo.Fit) into the document's evidence
// folder beside it in the workspace and records it on the item. The stored name keeps only safe
// characters, so a name like "../../x" or "con.txt" cannot escape the folder or trouble Windows.
func (s *Session) AttachEvidence(itemID, src string, now time.Time) (*Evidence, error) {
	if err := s.canAttach(itemID); err != nil {
		return nil, err
	}
	p, err := PrepareEvidence(src)
	if err != nil {
		return nil, err
	}
	return s.AttachPrepared(itemID, p, now)
}

// PreparedEvidence is a file read and, for a photo, downscaled, ready to attach. Preparing
// touches no document, so the app does it off the UI goroutine (decoding a phone photo takes a
// few hundred milliseconds) and attaches on it.
type PreparedEvidence struct {
	Name string // the original file name
	Data []byte
}

// PrepareEvidence reads src, refusing what is not a regular file or is too large, and fits a
// photo to the stored size. A file that does not decode as an image is kept as it is: it is
// still evidence.
func PrepareEvidence(src string) (*PreparedEvidence, error) {
	// regfile checks the type before opening: os.Open of a FIFO waits for a writer forever.
	data, err := regfile.ReadFile(src, MaxEvidenceSize)
	if err != nil {
		return nil, fmt.Errorf("无法读取附件 %s：%w", src, regfile.WithoutPath(err))
	}
	if photo.IsImage(src) {
		if fitted, _, err := photo.Fit(data); err == nil {
			data = fitted
		}
	}
	return &PreparedEvidence{Name: filepath.Base(src), Data: data}, nil
}

func (s *Session) canAttach(itemID string) error {
	if s.Doc.Status != StatusDraft {
		return fmt.Errorf("文档已%s，不能添加附件", statusName(s.Doc.Status))
	}
	if _, ok := s.Q.Item(itemID); !ok {
		return fmt.Errorf("问卷中没有题号 %s", itemID)
	}
	return nil
}

// AttachPrepared stores a prepared file in the evidence folder and records it on the item.
func (s *Session) AttachPrepared(itemID string, p *PreparedEvidence, now time.Time) (*Evidence, error) {
	if err := s.canAttach(itemID); err != nil {
		return nil, err
	}
	data := p.Data
	sum := sha256.Sum256(data)
	dirRel := s.Doc.ID + ".files"
	if err := os.MkdirAll(filepath.Join(s.WS.Dir, dirRel), 0o755); err != nil {
		return nil, fmt.Errorf("无法创建附件文件夹：%w", err)
	}
	name := SafeFileName(p.Name)
	rel := filepath.ToSlash(filepath.Join(dirRel, itemID+"-"+hex.EncodeToString(sum[:4])+"-"+name))
	if err := WriteFileAtomic(filepath.Join(s.WS.Dir, filepath.FromSlash(rel)), data); err != nil {
		return nil, err
	}
	ev := Evidence{Name: p.Name, Path: rel, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Added: now.UTC().Truncate(time.Second)}
	a := s.Doc.Answers[itemID]
	if a == nil {
		a = &Answer{}
		s.Doc.Answers[itemID] = a
	}
	a.Evidence = append(a.Evidence, ev)
	s.Doc.Updated = now.UTC().Truncate(time.Millisecond)
	if err := s.save(now); err != nil {
		return nil, err
	}
	return &ev, nil
}

// SafeFileName keeps letters (any script), digits, '.', '-' and '_' and replaces the rest, so the
// name is valid on Windows and Linux and cannot climb out of its folder.
func SafeFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "file"
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[len(r)-80:])
	}
	if IsReservedWindowsName(s) {
		s = "_" + s
	}
	return s
}

// Confirm records the enterprise representative who confirmed the result, and saves.
func (s *Session) Confirm(name string, date, now time.Time) error {
	if s.Doc.Status == StatusSealed {
		return fmt.Errorf("文档已封存")
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("请填写企业代表姓名")
	}
	s.Doc.Confirmation = &Confirmation{Name: strings.TrimSpace(name), Date: date.UTC().Truncate(time.Second)}
	s.Doc.Updated = now.UTC().Truncate(time.Millisecond)
	return s.save(now)
}

// Finish checks completeness, marks the diagnosis finished and saves.
func (s *Session) Finish(now time.Time) error {
	if err := s.Doc.Finish(s.Q, now); err != nil {
		return err
	}
	return s.save(now)
}

// EditAction and AddCustomAction change the plan and save.
func (s *Session) EditAction(itemID string, e ActionEdit, now time.Time) error {
	if err := s.Doc.EditAction(itemID, e, now); err != nil {
		return err
	}
	return s.save(now)
}

func (s *Session) AddCustomAction(c CustomAction, now time.Time) error {
	if err := s.Doc.AddCustomAction(c, now); err != nil {
		return err
	}
	return s.save(now)
}

// UpdateCustomAction and RemoveCustomAction edit or delete a consultant's action and save.
func (s *Session) UpdateCustomAction(id string, c CustomAction, now time.Time) error {
	if err := s.Doc.UpdateCustomAction(id, c, now); err != nil {
		return err
	}
	return s.save(now)
}

func (s *Session) RemoveCustomAction(id string, now time.Time) error {
	if err := s.Doc.RemoveCustomAction(id, now); err != nil {
		return err
	}
	return s.save(now)
}

// SetTarget sets the plan's target level (0: current level + 1) and saves.
func (s *Session) SetTarget(level int, now time.Time) error {
	if s.Doc.Status == StatusSealed {
		return fmt.Errorf("文档已封存")
	}
	if level < 0 || level > 5 {
		return fmt.Errorf("目标等级应为 1–5")
	}
	s.Doc.TargetLevel = level
	s.Doc.Updated = now.UTC().Truncate(time.Millisecond)
	return s.save(now)
}

// Profile is what the consultant writes about the firm beside the answers: the firm on paper
// (products, processes, pain points, inventory), the consultant's contacts and the provincial
// self-test results the firm reports.
type Profile struct {
	Products, Processes string
	PainPoints          []string
	Inventory           []InventoryEntry
	AssessorPhone       string
	AssessorEmail       string
	SelfTest            *SelfTest // nil: nothing reported
}

// Profile returns the document's current profile fields.
func (s *Session) Profile() Profile {
	e, a := s.Doc.Enterprise, s.Doc.Assessor
	p := Profile{Products: e.Products, Processes: e.Processes, PainPoints: slices.Clone(e.PainPoints),
		Inventory: slices.Clone(e.Inventory), AssessorPhone: a.Phone, AssessorEmail: a.Email}
	if st := s.Doc.SelfTest; st != nil {
		cp := *st
		p.SelfTest = &cp
	}
	return p
}

// SetProfile checks and records the profile fields and saves. Blank pain points are dropped and
// text is trimmed; on an invalid field nothing changes and the error names it. A sealed document
// cannot change; a finished one can, because these fields describe the firm, not the answers.
func (s *Session) SetProfile(p Profile, now time.Time) error {
	if s.Doc.Status == StatusSealed {
		return fmt.Errorf("文档已封存")
	}
	e := s.Doc.Enterprise
	e.Products, e.Processes = strings.TrimSpace(p.Products), strings.TrimSpace(p.Processes)
	e.PainPoints = nil
	for _, pp := range p.PainPoints {
		if pp = strings.TrimSpace(pp); pp != "" {
			e.PainPoints = append(e.PainPoints, pp)
		}
	}
	e.Inventory = nil
	for _, it := range p.Inventory {
		it.Name, it.Model, it.Note = strings.TrimSpace(it.Name), strings.TrimSpace(it.Model), strings.TrimSpace(it.Note)
		e.Inventory = append(e.Inventory, it)
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if err := p.SelfTest.check(); err != nil {
		return err
	}
	st := p.SelfTest
	if st != nil && *st == (SelfTest{}) {
		st = nil
	}
	a := s.Doc.Assessor
	a.Phone, a.Email = strings.TrimSpace(p.AssessorPhone), strings.TrimSpace(p.AssessorEmail)
	s.Doc.Enterprise, s.Doc.Assessor, s.Doc.SelfTest = e, a, st
	s.Doc.Updated = now.UTC().Truncate(time.Millisecond)
	return s.save(now)
}
