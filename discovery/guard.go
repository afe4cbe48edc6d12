package discovery

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// guard dials only public addresses. It resolves a host name once, checks
// every address, and connects to the checked address itself, so a DNS
// answer that changes between check and connect (rebinding) cannot slip
// through. The dialer's Control hook checks again at connect time, on the
// address the socket is really connecting to.
type guard struct {
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	dialer net.Dialer
	// allow, when set, decides instead of isPublic. Tests use it to let one
	// loopback listener stand in for a public server.
	allow func(netip.AddrPort) bool
	off   bool // Config.InsecureAllowPrivateNetworks
}

func newGuard(cfg *Config) *guard {
	g := &guard{off: cfg.InsecureAllowPrivateNetworks, lookup: cfg.LookupIP}
	if g.lookup == nil {
		g.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	g.dialer.ControlContext = func(_ context.Context, _, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %q", ErrBlocked, address)
		}
		return g.check(ap)
	}
	return g
}

func (g *guard) check(ap netip.AddrPort) error {
	switch {
	case g.off:
		return nil
	case g.allow != nil && g.allow(ap):
		return nil
	case g.allow == nil && isPublic(ap.Addr()):
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBlocked, ap.Addr())
}

// DialContext resolves host, keeps the allowed addresses and dials them in
// order until one answers.
func (g *guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	p, err := netip.ParseAddrPort("0.0.0.0:" + port)
	if err != nil {
		return nil, fmt.Errorf("discovery: bad port in %q", address)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else if addrs, err = g.lookup(ctx, host); err != nil {
		return nil, err
	}
	var firstErr error
	for _, ip := range addrs {
		// ::ffff:a.b.c.d is a.b.c.d (resolvers answer hosts-file entries
		// that way): judge and dial the IPv4 address itself.
		ap := netip.AddrPortFrom(ip.Unmap().WithZone(""), p.Port())
		if err := g.check(ap); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		conn, err := g.dialer.DialContext(ctx, network, ap.String())
		if err == nil {
			return conn, nil
		}
		if firstErr == nil || ctx.Err() != nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("discovery: no address for %q", host)
	}
	return nil, firstErr
}

// isPublic reports whether ip is a globally reachable unicast address: not
// loopback, private (RFC 1918, fc00::/7), link-local (including the cloud
// metadata address 169.254.169.254), multicast, unspecified, IPv4-mapped,
// shared (100.64.0.0/10), documentation, benchmarking, reserved, or one of
// the IPv6 prefixes that embed an IPv4 address (NAT64, 6to4, Teredo).
func isPublic(ip netip.Addr) bool {
	if !ip.IsValid() || ip.Zone() != "" || ip.Is4In6() ||
		ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsMulticast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic() {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// nonPublic lists the special-purpose ranges (RFC 6890 and the IANA
// registries) that netip's predicates do not cover.
func nonPublic() [16]netip.Prefix {
	v4 := func(a, b, c, d byte, bits int) netip.Prefix {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{a, b, c, d}), bits)
	}
	v6 := func(hi uint16, next uint16, bits int) netip.Prefix {
		var b [16]byte
		b[0], b[1], b[2], b[3] = byte(hi>>8), byte(hi), byte(next>>8), byte(next)
		return netip.PrefixFrom(netip.AddrFrom16(b), bits)
	}
	return [16]netip.Prefix{
		v4(0, 0, 0, 0, 8),       // "this network"
		v4(100, 64, 0, 0, 10),   // shared address space (CGNAT)
		v4(192, 0, 0, 0, 24),    // IETF protocol assignments
		v4(192, 0, 2, 0, 24),    // TEST-NET-1
		v4(198, 18, 0, 0, 15),   // benchmarking
		v4(198, 51, 100, 0, 24), // TEST-NET-2
		v4(203, 0, 113, 0, 24),  // TEST-NET-3
		v4(240, 0, 0, 0, 4),     // reserved, broadcast
		v6(0x0064, 0xff9b, 32),  // NAT64, well-known and local (64:ff9b::/96, 64:ff9b:1::/48)
		v6(0, 0, 96),            // IPv4-compatible ::a.b.c.d (deprecated)
		v6(0x0100, 0, 64),       // discard-only
		v6(0x2001, 0x0db8, 32),  // documentation
		v6(0x2002, 0, 16),       // 6to4
		v6(0x2001, 0, 32),       // Teredo
		v6(0xfec0, 0, 10),       // deprecated site-local
		v6(0x3fff, 0, 20),       // documentation (RFC 9637)
	}
}
