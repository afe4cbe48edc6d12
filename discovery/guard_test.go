package discovery

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// EDGE-29, SEC-13: the address classes the guard refuses.
func TestIsPublic(t *testing.T) {
	blocked := []string{
		"127.0.0.1", "127.1.2.3", "::1", // loopback
		"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", // RFC 1918
		"169.254.169.254", "169.254.0.1", "fe80::1", // link-local, cloud metadata
		"fc00::1", "fd12:3456::1", // unique local
		"0.0.0.0", "::", "0.1.2.3", // unspecified, "this network"
		"::ffff:127.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1", // IPv4-mapped and -compatible
		"224.0.0.1", "239.255.255.250", "ff02::1", "ff05::2", // multicast
		"100.64.0.1", "100.127.255.255", // CGNAT
		"192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", // special, documentation, benchmarking
		"240.0.0.1", "255.255.255.255", // reserved, broadcast
		"64:ff9b::7f00:1", "64:ff9b:1::a00:1", // NAT64
		"2002:7f00:1::", "2001:0:4136:e378::1", "2001:db8::1", "3fff::1", "100::1", "fec0::1",
	}
	for _, s := range blocked {
		assert.False(t, isPublic(netip.MustParseAddr(s)), s)
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1"} {
		assert.True(t, isPublic(netip.MustParseAddr(s)), s)
	}
	assert.False(t, isPublic(netip.MustParseAddr("fe80::1%eth0")))
	assert.False(t, isPublic(netip.Addr{}))
}

// countingListener is a loopback listener that counts the connections it
// accepts: the proof that a refused fetch never reached it.
func countingListener(t *testing.T) (addr string, hits *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	hits = new(atomic.Int32)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			hits.Add(1)
			_ = conn.Close()
		}
	}()
	return ln.Addr().String(), hits
}

// publicStub is a loopback server the guard treats as public, as if it
// were a stranger's website on the internet; every other address keeps the
// default rules. Its URL uses the host name "public.test".
func publicStub(t *testing.T, h http.Handler, lookup map[string]string) (*Client, string) {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	stub := netip.MustParseAddrPort(ts.Listener.Addr().String())
	c, err := NewClient(Config{LookupIP: func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == "public.test" {
			return []netip.Addr{stub.Addr()}, nil
		}
		if ip, ok := lookup[host]; ok {
			return []netip.Addr{netip.MustParseAddr(ip)}, nil
		}
		return nil, fmt.Errorf("no such host %q", host)
	}})
	require.NoError(t, err)
	c.urlRules |= allowPort // the stub listens on a random port
	c.guard.allow = func(ap netip.AddrPort) bool { return ap == stub || isPublic(ap.Addr()) }
	return c, fmt.Sprintf("http://public.test:%d", stub.Port())
}

// SEC-13, EDGE-29: redirects and metadata URLs into private ranges, and
// host names resolving to loopback, are refused with zero connections.
func TestGuardRefuses(t *testing.T) {
	target, hits := countingListener(t)
	_, port, _ := net.SplitHostPort(target)
	tests := []struct {
		name     string
		location string // redirect target
		metadata string // or advertised metadata URL
	}{
		{"redirect to cloud metadata", "http://169.254.169.254/latest/meta-data/", ""},
		{"redirect to loopback listener", "http://127.0.0.1:" + port + "/", ""},
		{"redirect to IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + port + "/", ""},
		{"redirect to IPv6 loopback", "http://[::1]:" + port + "/", ""},
		{"redirect to 0.0.0.0", "http://0.0.0.0:" + port + "/", ""},
		{"redirect to private range", "http://10.0.0.1/", ""},
		{"redirect to a name resolving to loopback", "http://rebind.test:" + port + "/", ""},
		{"redirect to a name resolving to link-local", "http://meta.test/", ""},
		{"metadata on loopback", "", "http://127.0.0.1:" + port + "/meta"},
		{"metadata on a name resolving to loopback", "", "http://rebind.test:" + port + "/meta"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, stub := publicStub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.location != "" {
					http.Redirect(w, r, tt.location, http.StatusFound)
					return
				}
				w.Header().Set("Link", "<"+tt.metadata+">; rel=indieauth-metadata")
			}), map[string]string{"rebind.test": "127.0.0.1", "meta.test": "169.254.169.254"})

			_, err := c.Discover(context.Background(), stub+"/")
			require.ErrorIs(t, err, ErrBlocked)
			assert.Zero(t, hits.Load(), "no connection may reach the loopback listener")
		})
	}
}

// SEC-13: the default client refuses a host name that resolves to loopback.
func TestGuardDefaultClientRefusesLoopbackName(t *testing.T) {
	c, err := NewClient(Config{LookupIP: func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}})
	require.NoError(t, err)
	_, err = c.Discover(context.Background(), "http://user.test/")
	require.ErrorIs(t, err, ErrBlocked)
	_, err = c.Discover(context.Background(), "https://user.test/")
	require.ErrorIs(t, err, ErrBlocked)
}

// SEC-13: the check also runs at connect time, on the socket's address.
func TestGuardConnectTimeCheck(t *testing.T) {
	target, hits := countingListener(t)
	c, err := NewClient(Config{})
	require.NoError(t, err)
	_, err = c.guard.dialer.DialContext(context.Background(), "tcp", target)
	require.ErrorIs(t, err, ErrBlocked)
	assert.Zero(t, hits.Load())
}

// A name with public and private answers: the private ones are skipped.
func TestGuardMixedAnswers(t *testing.T) {
	c, stub := publicStub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</auth>; rel=authorization_endpoint")
	}), nil)
	inner := c.guard.lookup
	c.guard.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		addrs, err := inner(ctx, host)
		return append([]netip.Addr{netip.MustParseAddr("10.0.0.1")}, addrs...), err
	}
	_, err := c.Discover(context.Background(), stub+"/")
	// The stub's endpoints are http on a non-loopback name: refused by the
	// https rule, after a successful fetch.
	require.ErrorIs(t, err, ErrInvalidURL)
}
