package introspect

import (
	"io"
	"net/http"
)

// emptyScan watches a form body stream by and notes whether it holds the
// parameter name with an empty value ("name=" or a bare "name").
// token.ParseForm drops empty values as RFC 6749 §3.1 asks, but RFC 7662
// §2.2 (conformance INT-04) answers an empty token {"active":false},
// where a missing one is invalid_request (INT-06). The scan keeps no
// bytes: it matches name against the start of each pair as it goes.
type emptyScan struct {
	io.ReadCloser
	name  string
	pos   int // bytes of name and '=' matched in the current pair; -1 once it cannot match
	found bool
}

// watchEmpty makes r's body report, once read, whether it held name with
// an empty value. It returns nil when there is no body to watch.
func watchEmpty(r *http.Request, name string) *emptyScan {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	s := &emptyScan{ReadCloser: r.Body, name: name}
	r.Body = s
	return s
}

func (s *emptyScan) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	for _, c := range p[:n] {
		s.feed(c)
	}
	if err == io.EOF {
		s.endPair()
	}
	return n, err
}

func (s *emptyScan) feed(c byte) {
	switch {
	case c == '&':
		s.endPair()
		s.pos = 0
	case s.pos < 0:
	case s.pos < len(s.name) && c == s.name[s.pos]:
		s.pos++
	case s.pos == len(s.name) && c == '=':
		s.pos++
	default:
		s.pos = -1
	}
}

func (s *emptyScan) endPair() {
	if s.pos == len(s.name) || s.pos == len(s.name)+1 {
		s.found = true
	}
}
