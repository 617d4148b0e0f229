package assessment

// PowersOf10 is round's table, for the test that it is math.Pow's.
var PowersOf10 = powersOf10[:]
