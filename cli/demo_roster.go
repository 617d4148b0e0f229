package cli

import (
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"smartdiag/assessment"
	"smartdiag/demo"
	"smartdiag/questionnaires"
	"smartdiag/roster"
	"smartdiag/seal"
)

// demoKey is the demo provider's key (see seal.DemoKey): never to be trusted in real work.
var demoKey = seal.DemoKey

// demoFromRoster writes diagnoses of firms drawn from a roster, sealed unless noSeal.
func demoFromRoster(c *ctx, out, rosterPath string, coverage float64, seed uint64, qn *questionnaires.Questionnaire, district *questionnaires.District, sealed bool) int {
	roster, err := roster.NewImporter(district).Import(rosterPath)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	if roster.Valid() == 0 {
		c.errorf("%s：名册中没有有效的企业", rosterPath)
		return ExitInput
	}
	firms := make([]demo.Firm, 0, roster.Valid())
	for _, e := range roster.Entries {
		firms = append(firms, demo.Firm{Name: e.Name, CreditCode: e.CreditCode, Street: e.Street, Categories: e.Categories,
			Industry: e.Industry, Contact: e.Contact, Phone: e.Phone})
	}
	docs, err := demo.GenerateFromRoster(demo.RosterOptions{Options: demo.Options{Seed: seed, Questionnaire: qn, District: district}, Coverage: coverage, Repeat: 0.05, Revise: 0.02}, firms)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	ws, err := assessment.OpenWorkspace(out)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	help, code := saveDemo(c, ws, docs, sealed)
	if code != ExitOK {
		return code
	}
	firmsDone := map[string]bool{}
	earlier, revisions := 0, 0
	for _, d := range docs {
		if d.Supersedes != "" {
			revisions++
		} else if firmsDone[d.Enterprise.CreditCode] {
			earlier++
		}
		firmsDone[d.Enterprise.CreditCode] = true
	}
	fmt.Fprintf(c.stdout, "已从名册 %s（有效企业 %d 家）生成 %d 份示例诊断到 %s：诊断了 %d 家（%.0f%%），其中 %d 家有较早的一次诊断，%d 份诊断有修订版本。\n",
		filepath.Base(rosterPath), roster.Valid(), len(docs), filepath.Clean(out), len(firmsDone),
		100*float64(len(firmsDone))/float64(roster.Valid()), earlier, revisions)
	fmt.Fprint(c.stdout, help)
	if sealed {
		fmt.Fprintf(c.stdout, "然后统计：smartdiag tally --roster %s %s --out 统计.xlsx --out 简报.pdf\n", rosterPath, filepath.Clean(out))
	}
	return ExitOK
}

// saveDemo writes the documents, sealing them with the demo providers' keys when sealed is set; it
// writes those keys' public key files beside them and returns how to trust them.
func saveDemo(c *ctx, ws *assessment.Workspace, docs []*assessment.Document, sealed bool) (help string, code int) {
	var orgs []string
	for _, d := range docs {
		if !sealed {
			if err := ws.Save(d); err != nil {
				c.errorf("%v", err)
				return "", ExitInput
			}
			continue
		}
		org := d.Assessor.Organisation
		if !slices.Contains(orgs, org) {
			orgs = append(orgs, org)
		}
		data, err := seal.Seal(d, demoKey(org), assessment.Signer{Name: d.Assessor.Name, Organisation: org}, d.Finished.Add(30*time.Minute))
		if err != nil {
			c.errorf("%s：%v", d.ID, err)
			return "", ExitInput
		}
		if err := assessment.WriteFileAtomic(ws.Path(d.ID), data); err != nil {
			c.errorf("%v", err)
			return "", ExitInput
		}
	}
	if !sealed {
		return "", ExitOK
	}
	slices.Sort(orgs)
	var b strings.Builder
	b.WriteString("已用示例服务商的密钥封存（示例密钥由公开文字生成，只用于演示，切勿在正式工作中信任）。让 tally 计入这些诊断：\n")
	for i, org := range orgs {
		key := demoKey(org)
		data, err := seal.NewPublicKeyFile(key.Public().(ed25519.PublicKey), assessment.Signer{Name: org, Organisation: org}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Encode()
		if err != nil {
			c.errorf("%v", err)
			return "", ExitInput
		}
		path := filepath.Join(ws.Dir, fmt.Sprintf("demo-key-%d.json", i+1))
		if err := assessment.WriteFileAtomic(path, data); err != nil {
			c.errorf("%v", err)
			return "", ExitInput
		}
		fmt.Fprintf(&b, "  smartdiag trust add --demo %s --name %s\n", path, org)
	}
	return b.String(), ExitOK
}
