//go:build race

package seal_test

// raceBuild is true under -race, which makes the exhaustive tests sample: the detector slows
// verification about tenfold, and the race suite is for races, not for every byte.
const raceBuild = true
