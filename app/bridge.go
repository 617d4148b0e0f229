package app

import "fyne.io/fyne/v2"

// The bridge between background work and the UI: the only place that calls fyne.Do. Work that
// would block the UI (loading the workspace, rendering a report, importing, tallying) runs through
// background; everything it changes on screen goes through onUI.

// background runs slow work off the UI goroutine. Tests run it inline, because Fyne's test driver
// executes fyne.Do on the calling goroutine and a second goroutine would race with the test's own
// UI calls.
var background = func(f func()) { go f() }

// onUI runs f on the UI goroutine.
func onUI(f func()) { fyne.Do(f) }
