package cli

import (
	"encoding/json"
	"fmt"

	"smartdiag/district"
	"smartdiag/seal"
	"smartdiag/service"
)

const importUsage = "--into DIR [--profile FILE] [--json] PATH..."

func cmdImport(c *ctx, args []string) int {
	fs := c.newFlags("import", importUsage)
	into := fs.String("into", "", "区工作区文件夹（必填）：诊断按 <id>.sdiag 存在这里，导入日志写在其中的 "+district.ImportLogName)
	profilePath := fs.String("profile", "", "区县画像 YAML：街道或企业类别不在画像中的诊断照常导入并提示；默认内置江宁区")
	asJSON := fs.Bool("json", false, "以 JSON 输出每个文件的结果")
	paths, ok := parse(fs, args)
	if !ok {
		return ExitUsage
	}
	if *into == "" || len(paths) == 0 {
		fs.Usage()
		return ExitUsage
	}
	profile, code := loadProfile(c, *profilePath)
	if code != ExitOK {
		return code
	}
	trust, err := seal.OpenTrustList()
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	progress, done := c.progress("导入")
	log, err := c.service().Import(*into, paths, trust, progress)
	done()
	if err != nil && log == nil {
		c.errorf("%v", err)
		return ExitInput
	}
	service.NoteProfile(log, profile)
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(log)
	} else {
		for _, e := range log.Entries {
			if e.Result == district.ImportImported || e.Result == district.ImportSkipped {
				continue
			}
			fmt.Fprintf(c.stdout, "%s %s：%s\n", service.ImportResultLabel(e.Result), e.File, e.Reason)
		}
		for _, e := range log.Entries {
			for _, n := range e.Notes {
				fmt.Fprintf(c.stdout, "注意 %s（%s）：%s\n", e.File, e.Name, n)
			}
		}
		fmt.Fprintf(c.stdout, "共 %d 个文件：导入 %d，已有（跳过）%d，冲突 %d，拒收 %d\n", log.Files, log.Imported, log.Skipped, log.Conflicts, log.Rejected)
		if log.Demo > 0 {
			fmt.Fprintf(c.stdout, "注意：其中 %d 份由演示密钥签名，是%s，不是正式诊断。\n", log.Demo, seal.DemoLabel)
		}
		fmt.Fprintf(c.stdout, "区工作区：%s；导入日志：%s\n", log.Workspace, log.LogFile)
		if len(trust.Keys) == 0 && log.Rejected > 0 {
			fmt.Fprintln(c.stdout, "提示：信任列表为空，任何诊断都不会导入；请先用 smartdiag trust add 加入服务商的公钥文件。")
		}
	}
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	if log.Conflicts > 0 || log.Rejected > 0 {
		return ExitInput
	}
	return ExitOK
}
