// Command server is a complete single-user IndieAuth server for a personal
// site, built only from tokenkit's public API the way a blog engine would
// use it: a profile page that advertises the endpoints, server metadata, an
// authorization endpoint with a consent page, the token endpoint (with the
// legacy GET verification and action=revoke on its own path),
// introspection, revocation, userinfo, a JWKS, RFC 8693 token exchange and a
// small micropub endpoint. Tokens and posts live in a SQLite file, or in
// PostgreSQL for a postgres:// DSN, and survive restarts.
//
//	go run ./examples/server                      # 127.0.0.1:8080, ./tokenkit.db
//	go run ./examples/server -password s3cret -client svc:s3cr3t
//
// Every flag has an environment variable too; see -help.
//
// For simplicity the JWT signing key lives in the same database as the
// hashed tokens, and the default profile URL (the server's own address, an
// IP and a port) suits local development only: a real deployment gives -me
// and an https -issuer, and keeps its key elsewhere.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// clientFlags collects repeated -client ID:SECRET flags.
type clientFlags []string

func (c *clientFlags) String() string     { return strings.Join(*c, ",") }
func (c *clientFlags) Set(v string) error { *c = append(*c, v); return nil }

type config struct {
	addr, db, issuer, me, password string
	autoApprove                    bool
	clients                        clientFlags
}

func parseFlags(args []string, out io.Writer) (*config, error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(out)
	c := &config{}
	fs.StringVar(&c.addr, "addr", env("TOKENKIT_ADDR", "127.0.0.1:8080"), "listen address host:port (TOKENKIT_ADDR)")
	fs.StringVar(&c.db, "db", env("TOKENKIT_DB", "tokenkit.db"), "SQLite file, or a postgres:// DSN (TOKENKIT_DB)")
	fs.StringVar(&c.issuer, "issuer", env("TOKENKIT_ISSUER", ""), "issuer URL; default http://ADDR/ (TOKENKIT_ISSUER)")
	fs.StringVar(&c.me, "me", env("TOKENKIT_ME", ""), "the owner's profile URL; default the server's own / (TOKENKIT_ME)")
	fs.StringVar(&c.password, "password", env("TOKENKIT_PASSWORD", ""), "the owner's password for the consent page; generated and printed when empty (TOKENKIT_PASSWORD)")
	fs.BoolVar(&c.autoApprove, "auto-approve", env("TOKENKIT_AUTO_APPROVE", "") == "true", "approve every authorization request without the consent page; loopback only (TOKENKIT_AUTO_APPROVE=true)")
	fs.Var(&c.clients, "client", "register a confidential client ID:SECRET for client_credentials, introspection and token exchange; repeatable (TOKENKIT_CLIENTS, comma-separated)")
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
	cfg, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	if cfg.autoApprove && !addr.IP.IsLoopback() {
		return errors.New("-auto-approve is only allowed on a loopback address")
	}
	if cfg.issuer == "" {
		cfg.issuer = "http://" + addr.String() + "/"
	}
	if cfg.me == "" {
		cfg.me = cfg.issuer
	}
	generated := false
	if cfg.password == "" && !cfg.autoApprove {
		b := make([]byte, 12)
		rand.Read(b)
		cfg.password = fmt.Sprintf("%x", b)
		generated = true
	}

	db, err := openDatabase(ctx, cfg.db)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	srv, err := newServer(ctx, cfg, db, out)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "tokenkit example IndieAuth server\n")
	fmt.Fprintf(out, "  listening on  http://%s\n", addr)
	fmt.Fprintf(out, "  issuer        %s\n", cfg.issuer)
	fmt.Fprintf(out, "  profile (me)  %s\n", cfg.me)
	fmt.Fprintf(out, "  database      %s (%s)\n", redactDSN(cfg.db), db.dialect)
	fmt.Fprintf(out, "  clients       %s\n", clientIDs(cfg.clients))
	switch {
	case cfg.autoApprove:
		fmt.Fprintf(out, "  consent       auto-approve (every request is approved for the owner)\n")
	case generated:
		fmt.Fprintf(out, "  consent       password %s (generated; set -password to choose one)\n", cfg.password)
	default:
		fmt.Fprintf(out, "  consent       password from -password\n")
	}
	if ready != nil {
		ready <- addr.String()
	}

	hs := &http.Server{Handler: srv.mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	for {
		select {
		case err := <-errc:
			return err
		case <-purge.C:
			if n, err := db.store.Purge(ctx, time.Now()); err != nil {
				srv.log.Error("purging expired records failed", "error", err)
			} else {
				srv.log.Info("purged expired records", "count", n)
			}
			continue
		case <-ctx.Done():
		}
		break
	}
	srv.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func clientIDs(cs []string) string {
	if len(cs) == 0 {
		return "(none registered; IndieAuth clients need no registration; add -client ID:SECRET for services)"
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		id, _, _ := strings.Cut(c, ":")
		ids = append(ids, id)
	}
	return strings.Join(ids, ", ")
}

// redactDSN hides a PostgreSQL password in the startup output.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			if colon := strings.Index(dsn[i+3:at], ":"); colon >= 0 {
				return dsn[:i+3+colon+1] + "***" + dsn[at:]
			}
		}
	}
	return dsn
}
