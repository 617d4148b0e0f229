package app

import "smartdiag/service"

// service is the operations the app shares with the CLI (sealing, listing the workspace, status
// labels, reports); the app only shows their results and every error they return.
func (ui *UI) service() *service.Service {
	return &service.Service{Creator: "smartdiag", Now: ui.now}
}
