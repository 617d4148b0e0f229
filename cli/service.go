package cli

import "smartdiag/service"

// service is the operations the CLI shares with the desktop app (sealing, listing, status
// labels, reports); the CLI only turns their results and errors into its output.
func (c *ctx) service() *service.Service {
	return &service.Service{Creator: "smartdiag " + Version}
}
