package service

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/tally"
	"smartdiag/tally/brief"
	"smartdiag/tally/xlsx"
)

// LoadProfile reads the district profile file; an empty path is the bundled profile.
func LoadProfile(path string) (*questionnaires.District, error) {
	if path == "" {
		return questionnaires.BundledDistrict(), nil
	}
	return questionnaires.LoadDistrict(path)
}

// Import copies verified diagnoses into the district folder (district.Import) with the given
// trust list; see district.Import for what is stored and logged.
func (s *Service) Import(into string, paths []string, trust seal.Trust, progress func(done, total int)) (*district.ImportLog, error) {
	return district.Import(into, paths, trust, progress)
}

// NoteProfile checks the firms of an import against the district profile d: an imported or
// skipped document whose street is not one of the profile's streets, or with a category the
// profile does not have, gets a note saying so (a diagnosis of a firm outside the district, or
// filed under another district's categories). Notes refuse nothing: the document is in the
// folder, and the tally lists such streets and categories after the profile's, without a target;
// the district should know that at import time rather than from the tally.
func NoteProfile(log *district.ImportLog, d *questionnaires.District) {
	if log == nil || d == nil {
		return
	}
	cats := d.CategoryKeys()
	for i := range log.Entries {
		e := &log.Entries[i]
		if e.Result != district.ImportImported && e.Result != district.ImportSkipped {
			continue
		}
		if !slices.Contains(d.Streets, e.Street) {
			street := e.Street
			if street == "" {
				street = "（未填）"
			}
			e.Notes = append(e.Notes, fmt.Sprintf("街道「%s」不是区县画像（%s）的街道", street, d.Name))
		}
		for _, c := range e.Categories {
			if !slices.Contains(cats, c) {
				e.Notes = append(e.Notes, fmt.Sprintf("企业类别「%s」不是区县画像（%s）的类别", c, d.Name))
			}
		}
	}
}

// ImportResultLabel is the Chinese label of an import outcome; the app passes it through its
// translation table.
func ImportResultLabel(result string) string {
	switch result {
	case district.ImportImported:
		return "已导入"
	case district.ImportSkipped:
		return "已存在，跳过"
	case district.ImportConflict:
		return "冲突"
	}
	return "拒收"
}

// TallyRequest is what a tally is made of.
type TallyRequest struct {
	Paths      []string                 // district folders, .sdiag files, report PDFs; each must exist
	Roster     *roster.Roster           // an imported roster, or nil
	RosterPath string                   // else a roster file to import with the profile, or ""
	District   *questionnaires.District // nil: the bundled profile
	Trust      seal.Trust
	Progress   func(done, total int)
}

// Tally imports the roster (if a file is given) against the profile's streets and categories and
// tallies the documents. A missing path is an error naming it: a tally that silently left out a
// folder would under-count coverage.
func (s *Service) Tally(req TallyRequest) (*tally.Result, error) {
	for _, p := range req.Paths {
		if _, err := os.Stat(p); err != nil {
			return nil, kindNoPath.New(p)
		}
	}
	if req.District == nil {
		req.District = questionnaires.BundledDistrict()
	}
	opt := tally.Options{Roster: req.Roster, District: req.District, Trusted: req.Trust, Progress: req.Progress, Now: s.now()}
	if req.Roster == nil && req.RosterPath != "" {
		im := roster.NewImporter(req.District)
		if _, err := os.Stat(req.RosterPath); err != nil {
			if _, err := im.Import(req.RosterPath); err != nil { // its message, before any document is verified
				return nil, err
			}
		}
		opt.LoadRoster = func() (*roster.Roster, error) { return im.Import(req.RosterPath) } // alongside the documents
	}
	return tally.TallyWith(req.Paths, opt)
}

// ExportExts are the file types a tally is exported to: Excel and the PDF brief.
var exporters = map[string]func(*tally.Result, string) error{
	".xlsx": xlsx.Write,
	".pdf":  brief.Write,
}

// CanExport says whether a tally can be exported to a file with this name.
func CanExport(path string) bool { return exporters[strings.ToLower(filepath.Ext(path))] != nil }

// ExportTally writes a tally to path, as Excel or as the PDF brief by the file's extension.
func ExportTally(res *tally.Result, path string) error {
	write := exporters[strings.ToLower(filepath.Ext(path))]
	if write == nil {
		return fmt.Errorf("%s：%w", path, ErrExportType)
	}
	return write(res, path)
}

// ExportName is the file name of an export of the tally made at t: the district's own name, so
// that another district's exports do not carry Jiangning's.
func ExportName(res *tally.Result, ext string, t time.Time) string {
	return res.District + "智改数转网联诊断统计-" + t.Format("20060102-1504") + ext
}
