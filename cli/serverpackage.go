package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"smartdiag/regfile"
	"smartdiag/roster"
	"smartdiag/server"
)

// packageFlags are the flags of `smartdiag server package add|list`.
type packageFlags struct {
	org, provider, period, name, firms *string
	asJSON                             *bool
}

func (p *packageFlags) define(fs *flag.FlagSet, verb string) {
	p.org = fs.String("org", "", "区的名称")
	if verb == "package list" {
		p.asJSON = fs.Bool("json", false, "以 JSON 输出")
		return
	}
	p.provider = fs.String("provider", "", "服务商名称")
	p.period = fs.String("period", "", "服务期间，如 2026-03-01..2026-06-30")
	p.name = fs.String("name", "", "服务包名称（默认：服务商与期间）")
	p.firms = fs.String("firms", "", "分派的企业的统一社会信用代码，逗号分隔（或给出企业名单文件）")
}

// periodSep splits START..END (also START/END, as ISO 8601 writes an interval, and START～END).
var periodSep = regexp.MustCompile(`\s*(?:\.\.|/|～|~)\s*`)

// parsePeriod reads --period; the service checks the dates themselves.
func parsePeriod(s string) (start, end string, err error) {
	parts := periodSep.Split(strings.TrimSpace(s), -1)
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("--period %q 无效：应为 开始..结束，如 2026-03-01..2026-06-30", s)
	}
	return parts[0], parts[1], nil
}

// packageFirms reads the credit codes to assign: from --firms, or from a list of firms in the
// roster's format (Excel or CSV with a 统一社会信用代码 column, read by the same importer), or
// from a text file with one code a line.
func packageFirms(list, file string) ([]string, error) {
	if (list == "") == (file == "") {
		return nil, fmt.Errorf("请给出企业名单文件，或用 --firms 列出信用代码（二者选一）")
	}
	if list != "" {
		return strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }), nil
	}
	if strings.EqualFold(filepath.Ext(file), ".txt") {
		data, err := regfile.ReadFile(file, 4<<20)
		if err != nil {
			return nil, fmt.Errorf("%s：%w", file, err)
		}
		var codes []string
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
			if line != "" && !strings.HasPrefix(line, "#") {
				codes = append(codes, line)
			}
		}
		return codes, nil
	}
	r, err := roster.ImportRoster(file)
	if err != nil {
		return nil, err
	}
	if len(r.Invalid) > 0 {
		var rows []string
		for _, p := range r.Invalid[:min(5, len(r.Invalid))] {
			rows = append(rows, fmt.Sprintf("第 %d 行：%s", p.Row, p.Reason))
		}
		return nil, fmt.Errorf("%s：%d 行无效，没有创建服务包（%s）", filepath.Base(file), len(r.Invalid), strings.Join(rows, "；"))
	}
	codes := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		codes[i] = e.CreditCode
	}
	return codes, nil
}

// packageAdd creates a service package through the same service path as POST /api/v1/packages.
func (c *ctx) packageAdd(ctx context.Context, svc *server.Service, f *packageFlags, pos []string) int {
	if *f.org == "" || *f.provider == "" || *f.period == "" {
		c.errorf("package add 需要 --org、--provider 和 --period")
		return ExitUsage
	}
	start, end, err := parsePeriod(*f.period)
	if err != nil {
		c.errorf("%v", err)
		return ExitUsage
	}
	file := ""
	if len(pos) == 1 {
		file = pos[0]
	}
	codes, err := packageFirms(*f.firms, file)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	name := strings.TrimSpace(*f.name)
	if name == "" {
		name = fmt.Sprintf("%s %s～%s", *f.provider, start, end)
	}
	pk, err := svc.SetupPackage(ctx, *f.org, server.PackageInput{Name: name, Start: start, End: end,
		Assignments: map[string][]string{*f.provider: codes}})
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	fmt.Fprintf(c.stdout, "已创建服务包 %d「%s」：%s～%s，分派给「%s」%d 家企业\n", pk.ID, pk.Name, pk.Start, pk.End, *f.provider, len(pk.Assignments))
	return ExitOK
}

// packageList prints the packages with their firms per provider.
func (c *ctx) packageList(ctx context.Context, svc *server.Service, f *packageFlags) int {
	pks, err := svc.SetupPackages(ctx, *f.org)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	orgs, err := svc.Store.Orgs(ctx)
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	type providerCount struct {
		Provider string `json:"provider"`
		Firms    int    `json:"firms"`
	}
	type row struct {
		ID        int64           `json:"id"`
		District  string          `json:"district"`
		Name      string          `json:"name"`
		Start     string          `json:"start"`
		End       string          `json:"end"`
		Firms     int             `json:"firms"`
		Providers []providerCount `json:"providers"`
	}
	rows := []row{}
	for _, pk := range pks {
		n := map[string]int{}
		for _, a := range pk.Assignments {
			n[names[a.Provider]]++
		}
		r := row{ID: pk.ID, District: names[pk.District], Name: pk.Name, Start: pk.Start, End: pk.End, Firms: len(pk.Assignments), Providers: []providerCount{}}
		for p, k := range n {
			r.Providers = append(r.Providers, providerCount{p, k})
		}
		sort.Slice(r.Providers, func(i, j int) bool { return r.Providers[i].Provider < r.Providers[j].Provider })
		rows = append(rows, r)
	}
	if *f.asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(rows)
		return ExitOK
	}
	if len(rows) == 0 {
		fmt.Fprintln(c.stdout, "还没有服务包。")
		return ExitOK
	}
	for _, r := range rows {
		var ps []string
		for _, p := range r.Providers {
			ps = append(ps, fmt.Sprintf("%s %d 家", p.Provider, p.Firms))
		}
		fmt.Fprintf(c.stdout, "%d\t%s\t%s\t%s～%s\t%d 家企业\t%s\n", r.ID, r.District, r.Name, r.Start, r.End, r.Firms, strings.Join(ps, "，"))
	}
	return ExitOK
}
