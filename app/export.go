package app

import (
	"errors"
	"path/filepath"

	"smartdiag/service"
)

// export writes the current tally in the background to the district workspace's exports folder.
func (ds *districtScreen) export(ext string) {
	res := ds.result
	if res == nil || !service.CanExport(ext) {
		ds.ui.showError(errors.New(T("还没有统计结果可以导出")))
		return
	}
	path := filepath.Join(ds.exportDir(), service.ExportName(res, ext, ds.ui.now()))
	ds.exportInfo.SetText(T("正在导出…"))
	background(func() {
		err := service.ExportTally(res, path)
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
