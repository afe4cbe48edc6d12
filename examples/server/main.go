// Command server runs a small IndieAuth / OAuth 2.0 token server built from
// tokenkit's public API: a token endpoint issuing EdDSA-signed JWT access
// tokens, with the authorization_code, refresh_token and
// client_credentials grants, and its JWKS.
//
//	go run ./examples/server -addr 127.0.0.1:8080 -client svc:s3cr3t
//
// Every flag has an environment variable too (TOKENKIT_ADDR, …).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// clientFlags collects repeated -client ID:SECRET flags.
type clientFlags []string

func (c *clientFlags) String() string     { return strings.Join(*c, ",") }
func (c *clientFlags) Set(v string) error { *c = append(*c, v); return nil }

type config struct {
	addr    string
	issuer  string
	clients clientFlags
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	c := &config{}
	fs.StringVar(&c.addr, "addr", env("TOKENKIT_ADDR", "127.0.0.1:8080"), "listen address host:port (TOKENKIT_ADDR)")
	fs.StringVar(&c.issuer, "issuer", env("TOKENKIT_ISSUER", ""), "issuer URL; default http://ADDR/ (TOKENKIT_ISSUER)")
	fs.Var(&c.clients, "client", "register a confidential client ID:SECRET for client_credentials (repeatable; TOKENKIT_CLIENTS, comma-separated)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if len(c.clients) == 0 {
		if v := os.Getenv("TOKENKIT_CLIENTS"); v != "" {
			c.clients = strings.Split(v, ",")
		}
	}
	return c, nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// run starts the server and blocks until ctx ends; ready, when set,
// receives the bound address once the server listens.
func run(ctx context.Context, args []string, out io.Writer, ready chan<- string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	if cfg.issuer == "" {
		cfg.issuer = "http://" + addr + "/"
	}
	log := slog.New(slog.NewTextHandler(out, nil))

	clients := token.NewMemoryClients()
	for _, c := range cfg.clients {
		id, secret, ok := strings.Cut(c, ":")
		if !ok || id == "" || secret == "" {
			return fmt.Errorf("-client %q: want ID:SECRET", c)
		}
		clients.Add(&token.Client{ID: id, Secret: token.HashSecret(secret),
			Grants: []string{token.GrantClientCredentials}, Scope: token.Scope{"read", "write"}})
	}
	key, err := token.GenerateEd25519Key("k1", nil)
	if err != nil {
		return err
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		return err
	}
	store := token.NewMemoryStore()
	tokens, err := token.NewHandler(token.Config{
		Issuer:  cfg.issuer,
		Store:   store,
		Clients: clients,
		Tokens:  &token.JWT{Keys: keys, Issuer: cfg.issuer},
		Grants: []token.Grant{
			&token.AuthorizationCode{Codes: &token.LocalCodes{Store: store}},
			&token.RefreshToken{},
			token.ClientCredentials{},
		},
		Logger: log,
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/token", tokens)
	mux.Handle("/jwks", keys.Handler())

	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "tokenkit example token server\n  listening on http://%s\n  issuer      %s\n  token       %stoken\n  jwks        %sjwks\n  clients     %s\n",
		addr, cfg.issuer, cfg.issuer, cfg.issuer, clientIDs(cfg.clients))
	if ready != nil {
		ready <- addr
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	log.Info("shutting down")
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func clientIDs(cs []string) string {
	if len(cs) == 0 {
		return "(none; add -client ID:SECRET)"
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		id, _, _ := strings.Cut(c, ":")
		ids = append(ids, id)
	}
	return strings.Join(ids, ", ")
}
