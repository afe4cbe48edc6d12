module github.com/tokenkit/tokenkit/examples

go 1.26.0

require github.com/tokenkit/tokenkit v0.0.0

replace github.com/tokenkit/tokenkit => ../
