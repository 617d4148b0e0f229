//go:build !race

package seal_test

const raceBuild = false
