package server

// The district server calls the same domain code as the CLI's import, roster and tally commands.
// Every call into those packages goes through this file, so that moving them (the sealed format to
// its own package, the roster and the import out of tally) touches one place.

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"

	"smartdiag/assessment"
	"smartdiag/district"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
	"smartdiag/tally"
)

// Diagnosis is the facts of one verified upload, as the tally counts them.
type Diagnosis = tally.Diagnosis

// Rejected is an upload that is not counted, with the reason, as the tally lists it.
type Rejected = tally.Rejected

// Roster is a district's roster as the roster importer reads it.
type Roster = roster.Roster

// RosterEntry is one firm on a roster (with the contact data consultants need).
type RosterEntry = roster.Entry

// TallyResult is the `smartdiag tally --json` contract.
type TallyResult = tally.Result

// Trust answers which provider a sealing key belongs to.
type Trust = seal.Trust

// StatusConflict is the tally's status for a document id seen with two contents.
const StatusConflict = district.StatusConflict

// checkUpload verifies an uploaded .sdiag or report PDF exactly as `smartdiag import` does.
func checkUpload(name string, data []byte, trust Trust) ([]byte, *Diagnosis, *Rejected) {
	return tally.CheckUpload(name, data, trust)
}

// tallyOf is `smartdiag tally` over facts already verified.
func tallyOf(docs []*Diagnosis, rejected []Rejected, roster *Roster, profile []byte) (*TallyResult, error) {
	d, err := districtProfile(profile)
	if err != nil {
		return nil, err
	}
	return tally.TallyDiagnoses(docs, rejected, tally.Options{Roster: roster, District: d}), nil
}

// districtProfile parses a district profile (the YAML `smartdiag tally --profile` reads); empty
// means the bundled one.
func districtProfile(profile []byte) (*questionnaires.District, error) {
	if len(profile) == 0 {
		return questionnaires.BundledDistrict(), nil
	}
	return questionnaires.ParseDistrict(profile)
}

// importRoster reads a roster file's bytes with the same importer and report as `smartdiag tally
// --roster`; name is the uploaded file's name (its extension chooses the format).
func importRoster(name string, data []byte, profile []byte) (*Roster, error) {
	d, err := districtProfile(profile)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "smartdiag-roster-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	base := filepath.Base(filepath.Clean("/" + name))
	if base == "/" || base == "." {
		return nil, fmt.Errorf("名册文件没有文件名")
	}
	p := filepath.Join(dir, base)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return nil, err
	}
	r, err := roster.NewImporter(d).Import(p)
	if r != nil {
		r.File = base
	}
	return r, err
}

// parsePublicKeyFile reads a public key file written by `smartdiag key --out`.
func parsePublicKeyFile(data []byte) (ed25519.PublicKey, error) {
	_, pub, err := seal.ParsePublicKeyFile(data)
	return pub, err
}

// fingerprint is a key's fingerprint as `smartdiag key` shows it.
func fingerprint(pub ed25519.PublicKey) string { return seal.Fingerprint(pub) }

// counted reports whether a tallied document is its firm's counted (latest) diagnosis.
func counted(d *Diagnosis) bool { return d.Role == tally.RoleCounted }

// PlanProjectOf is one project of a diagnosis's plan (`smartdiag plan --json`, projects[]).
type PlanProjectOf = assessment.ProjectPlan

// planProjects builds a stored diagnosis's plan from its sealed document's bytes by the path
// `smartdiag plan` takes (assessment.PlanOf), with the district's profile for the policies.
func planProjects(document, profile []byte) ([]*PlanProjectOf, error) {
	d, err := districtProfile(profile)
	if err != nil {
		return nil, err
	}
	_, _, p, err := assessment.PlanOf(document, d)
	if err != nil {
		return nil, err
	}
	return p.Projects, nil
}
