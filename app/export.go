package app

import (
	"errors"
	"path/filepath"
	"time"

	"smartdiag/tally"
	"smartdiag/tally/brief"
	"smartdiag/tally/xlsx"
)

// exporters write a tally to a file by extension.
var exporters = map[string]func(*tally.Result, string) error{
	".xlsx": xlsx.Write,
	".pdf":  brief.Write,
}

// export writes the current tally in the background to the district workspace's exports folder.
func (ds *districtScreen) export(ext string) {
	res := ds.result
	write := exporters[ext]
	if res == nil || write == nil {
		ds.ui.showError(errors.New(T("还没有统计结果可以导出")))
		return
	}
	path := filepath.Join(ds.exportDir(), "江宁区智改数转网联诊断统计-"+time.Now().Format("20060102-1504")+ext)
	ds.exportInfo.SetText(T("正在导出…"))
	background(func() {
		err := write(res, path)
		onUI(func() {
			if err != nil {
				ds.exportInfo.SetText("")
				ds.ui.showError(err)
				return
			}
			ds.exportInfo.SetText(Tf("已导出：%s", path))
		})
	})
}
