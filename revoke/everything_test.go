package revoke_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/revoke"
)

// "Log out everywhere": every token of (me, client_id) issued before the
// cut-off is revoked; later ones are not.
func TestEverything(t *testing.T) {
	s := newServer(t)
	at1, rt1 := s.redeem()
	at2, _ := s.redeem()
	s.clock.Advance(time.Minute)
	cut := s.clock.Now()
	s.clock.Advance(time.Minute)
	at3, _ := s.redeem()
	svc := s.clientToken("svc", "s3cr3t")

	require.NoError(t, revoke.Everything(context.Background(), s.store, me, c1, cut))
	assert.False(t, s.active(at1))
	assert.False(t, s.active(at2))
	assert.Equal(t, 400, s.refresh(rt1).Code)
	assert.True(t, s.active(at3))
	assert.True(t, s.active(svc))

	require.NoError(t, revoke.Everything(context.Background(), s.store, "", "svc", s.clock.Now().Add(time.Second)))
	assert.False(t, s.active(svc))
	assert.True(t, s.active(at3))

	assert.Error(t, revoke.Everything(context.Background(), s.store, me, "", cut))
	s.store.set(func(s *store) { s.failRevoke = true })
	err := revoke.Everything(context.Background(), s.store, me, c1, cut)
	assert.ErrorIs(t, err, errDown)
	assert.ErrorContains(t, err, "revoke: revoking everything before 2026-11-22T12:01:00Z")
}
