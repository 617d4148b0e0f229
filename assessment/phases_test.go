package assessment

import (
	"slices"
	"testing"

	q "smartdiag/questionnaires"
)

// The plan rules place actions by the constant keys; the phases file must list exactly those,
// in that order, and the names come from it.
func TestPhasesComeFromData(t *testing.T) {
	if want := []string{PhaseNear, PhaseMid, PhaseFar}; !slices.Equal(Phases, want) {
		t.Fatalf("phases.yaml lists %q, the plan rules use %q", Phases, want)
	}
	data := q.BundledPlanPhases()
	for _, p := range Phases {
		ph := data.Phase(p)
		for _, lang := range []string{"zh", "en"} {
			if got := PhaseName(p, lang); got == "" || got != ph.Label(lang) {
				t.Errorf("%s %s: %q", p, lang, got)
			}
		}
	}
	if PhaseName("later", "zh") != "" {
		t.Error("a name for an unknown phase")
	}
}
