package service

import (
	"fmt"
	"os"
	"path/filepath"

	"smartdiag/assessment"
	"smartdiag/peers"
	"smartdiag/questionnaires"
	"smartdiag/regfile"
	"smartdiag/report"
)

// FindEarlier returns the firm's previous diagnosis in a workspace folder
// (assessment.Workspace.FindPrevious: same credit code and questionnaire, finished or sealed,
// created before d), or nil when there is none.
func FindEarlier(dir string, d *assessment.Document) *report.Earlier {
	if dir == "" {
		return nil
	}
	p := (&assessment.Workspace{Dir: dir}).FindPrevious(d)
	if p == nil {
		return nil
	}
	return &report.Earlier{Doc: p.Doc, Questionnaire: p.Q}
}

// PeersFile is the name under which a workspace folder keeps the district's peer benchmark
// (`smartdiag tally … --benchmark-out`), for the reports of its documents.
const PeersFile = "peers.json"

// LoadPeers reads a peer benchmark file.
func LoadPeers(path string) (*peers.File, error) {
	// regfile: a FIFO given as --peers would otherwise block report forever.
	data, err := regfile.ReadFile(path, peers.MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("无法读取同行基准文件 %s：%v", path, regfile.WithoutPath(err))
	}
	return peers.Parse(path, data)
}

// WriteReportIn is WriteReport for a document of the workspace folder dir: its evidence photos
// are read from dir (as WriteReportWithEvidence), when dir holds an earlier diagnosis of the same
// firm the report compares the two (report.Earlier), and the peer comparison uses s.Peers, else
// dir's peers.json, else the bundled reference. A peers.json
// that cannot be read is an error rather than a silent fallback.
func (s *Service) WriteReportIn(qn *questionnaires.Questionnaire, d *assessment.Document, lang, dst, dir string) error {
	pf := s.Peers
	if pf == nil && dir != "" {
		p := filepath.Join(dir, PeersFile)
		if _, err := os.Stat(p); err == nil {
			if pf, err = LoadPeers(p); err != nil {
				return err
			}
		}
	}
	return s.writeReport(qn, d, lang, dir, dst, FindEarlier(dir, d), pf)
}
