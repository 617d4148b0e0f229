package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"time"

	"smartdiag/assessment"
	"smartdiag/seal"
	"smartdiag/syncclient"
)

const syncUsage = "--server URL [--workspace DIR] [--pin SHA256] [--json]"

// cmdSync hands the workspace's sealed diagnoses to the district server and brings back their
// review states and the provider's assignments.
func cmdSync(c *ctx, args []string) int {
	fs := c.newFlags("sync", syncUsage)
	srv := fs.String("server", "", "区级服务器地址，如 https://192.168.1.10:8443（必填）")
	dir := fs.String("workspace", "", "工作区文件夹（默认：环境变量 SMARTDIAG_WORKSPACE，或 ~/Documents/smartdiag）")
	pin := fs.String("pin", "", "服务器证书指纹（smartdiag serve 启动时显示；自签名证书必填一次，之后记在工作区）")
	asJSON := fs.Bool("json", false, "以 JSON 输出同步结果")
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 0 || *srv == "" {
		fs.Usage()
		return ExitUsage
	}
	if *dir == "" {
		d, err := assessment.DefaultWorkspace()
		if err != nil {
			c.errorf("%v", err)
			return ExitInput
		}
		*dir = d
	}
	opt := syncclient.Options{Server: *srv, Workspace: *dir, Pin: *pin, Token: os.Getenv("SMARTDIAG_TOKEN")}
	if opt.Token == "" {
		path, err := seal.ConfigPath(seal.KeyFileName)
		if err == nil {
			opt.Key, _ = seal.LoadKey(path)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	rep, err := syncclient.Sync(ctx, opt)
	if rep == nil {
		c.errorf("%v", err)
		return ExitInput
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		for _, d := range rep.Docs {
			fmt.Fprintf(c.stdout, "%s\t%s\n", d.Label, d.File)
		}
		fmt.Fprintf(c.stdout, "本次上传 %d 份，排队未上传 %d 份，被拒收 %d 份；分派给本服务商的企业 %d 家\n", rep.Uploaded, rep.Pending, rep.Rejected, len(rep.Assignments))
	}
	if err != nil {
		c.errorf("%v", err)
		return ExitInput
	}
	if rep.Rejected > 0 {
		return ExitInput
	}
	return ExitOK
}
