package service

import "smartdiag/usermsg"

// The errors of the shared operations that users read, in both languages; the app and the CLI
// render them with usermsg.Text in the user's language.
var (
	kindSealStdin = usermsg.Define("service.seal_stdin",
		"不能封存标准输入：请给出文件名，封存会就地改写文件",
		"cannot seal standard input: give a file name, sealing rewrites the file in place")
	kindUnreadable  = usermsg.Define("service.unreadable", "无法读取：%s", "cannot read: %s")
	kindNoWorkspace = usermsg.Define("service.no_workspace",
		"工作区 %s 不存在或不是文件夹", "workspace %s does not exist or is not a folder")
	kindWorkspace  = usermsg.Define("service.workspace", "%s：%s", "%s: %s")
	kindNoPath     = usermsg.Define("service.no_path", "%s：找不到文件或文件夹", "%s: no such file or folder")
	kindExportType = usermsg.Define("service.export_type",
		"只能导出 .xlsx（Excel）或 .pdf（简报）", "can only export .xlsx (Excel) or .pdf (brief)")
)

// ErrSealStdin is returned for sealing standard input: sealing rewrites the file in place.
var ErrSealStdin = kindSealStdin.New()

// ErrExportType is returned for an export file that is neither .xlsx nor .pdf.
var ErrExportType = kindExportType.New()
