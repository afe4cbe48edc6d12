// Command discover prints what IndieAuth discovery finds for a profile URL:
// the canonical profile URL, the redirect chain, the metadata document and
// each endpoint — or why the URL is refused.
//
//	go run ./examples/discover example.com
//	go run ./examples/discover -json https://example.com/
//	go run ./examples/discover -allow-private http://localhost:8080/
//
// By default it reaches public addresses only, as a client facing strangers'
// URLs must. -allow-private permits loopback and private targets, IP
// addresses and ports in the profile URL, and http on loopback hosts, for
// testing a local server. The exit status is 0 on success, 1 when discovery
// fails and 2 for a usage error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tokenkit/tokenkit/discovery"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the result (or the error) as JSON")
	allowPrivate := fs.Bool("allow-private", false, "allow loopback and private addresses, IP/port profile URLs and http on loopback (local testing only)")
	timeout := fs.Duration("timeout", discovery.DefaultTimeout, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: discover [-json] [-allow-private] [-timeout d] profile-url")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	c, err := discovery.NewClient(discovery.Config{
		InsecureAllowPrivateNetworks: *allowPrivate,
		Timeout:                      *timeout,
	})
	if err != nil {
		fmt.Fprintln(stderr, "discover:", err)
		return 2
	}
	entered := fs.Arg(0)
	res, err := c.Discover(ctx, entered)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err != nil {
			_ = enc.Encode(struct {
				Entered string `json:"entered"`
				Error   string `json:"error"`
				Hint    string `json:"hint,omitempty"`
			}{entered, err.Error(), hint(err)})
			return 1
		}
		_ = enc.Encode(res)
		return 0
	}
	if err != nil {
		verb := "failed:"
		if errors.Is(err, discovery.ErrBlocked) || errors.Is(err, discovery.ErrInvalidURL) || errors.Is(err, discovery.ErrRedirect) {
			verb = "refused:"
		}
		fmt.Fprintln(stderr, "discover:", verb, err)
		if h := hint(err); h != "" {
			fmt.Fprintln(stderr, "hint:", h)
		}
		return 1
	}
	printResult(stdout, res)
	return 0
}

// hint explains the common refusals in a site owner's terms.
func hint(err error) string {
	switch {
	case errors.Is(err, discovery.ErrBlocked):
		return "the site resolves to a loopback or private address; use -allow-private to test a local server"
	case errors.Is(err, discovery.ErrInvalidURL):
		return "a profile URL is http(s), with a domain name, no port, no fragment, no user:password and no . or .. segments (IndieAuth §3.2); -allow-private accepts IP addresses and ports"
	case errors.Is(err, discovery.ErrNoEndpoints):
		return `add <link rel="indieauth-metadata" href="…"> to the page, or a Link header`
	case errors.Is(err, discovery.ErrRedirect):
		return "check the site's redirects: at most 10, http(s) only, never from https to http"
	case errors.Is(err, context.DeadlineExceeded):
		return "the site did not answer in time"
	}
	return ""
}

func printResult(w io.Writer, r *discovery.Result) {
	row := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-24s %s\n", name, value)
		}
	}
	row("entered", r.Entered)
	row("profile URL", r.ProfileURL)
	for i, u := range r.Chain {
		name := ""
		if i == 0 {
			name = "fetched"
		}
		fmt.Fprintf(w, "%-24s %s\n", name, u)
	}
	row("final URL", r.FinalURL)
	e := r.Endpoints
	if e.Legacy {
		row("metadata", "none: legacy rels (no indieauth-metadata, no issuer)")
	}
	row("metadata URL", r.MetadataURL)
	row("issuer", e.Issuer)
	row("authorization endpoint", e.Authorization)
	row("token endpoint", e.Token)
	row("introspection endpoint", e.Introspection)
	row("revocation endpoint", e.Revocation)
	row("userinfo endpoint", e.Userinfo)
	row("micropub", e.Micropub)
	row("microsub", e.Microsub)
	if m := r.Metadata; m != nil {
		if len(m.ScopesSupported) > 0 {
			row("scopes", fmt.Sprint(m.ScopesSupported))
		}
		row("iss in responses", fmt.Sprint(m.AuthorizationResponseIssParameterSupported))
	}
}
