package action

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeviceStateKeepsStorageValues(t *testing.T) {
	var s DeviceState
	steps := []struct {
		context        string
		last, blk, chl string
	}{
		{`{"path":"/a","last_fingerprint":"lf1","last_blocking_access":"acc","last_challenge":"ch"}`, "lf1", "acc", "ch"},
		{`{"path":"/b"}`, "lf1", "acc", "ch"},                                            // left out: kept
		{`{"path":"/c","last_fingerprint":"lf2"}`, "lf2", "acc", "ch"},                   // changed
		{`{"path":"/d","last_challenge":null,"last_blocking_access":5}`, "lf2", "", ""},  // null and wrong types clear
		{`{"path":"/e","last_fingerprint":"lf3","last_fingerprint":"x"}`, "lf3", "", ""}, // the first of a repeated key
		{`{"path":"/f"}`, "lf3", "", ""},
	}
	for _, st := range steps {
		d, err := s.Device(st.context)
		require.NoError(t, err, st.context)
		assert.Equal(t, [3]string{st.last, st.blk, st.chl}, [3]string{d.LastFingerprint, d.LastBlockingAccess, d.LastChallenge}, st.context)
	}
	_, err := s.Device(`{"last_fingerprint":"lost"`)
	require.Error(t, err, "a context that is not JSON")
	d, err := s.Device(`{}`)
	require.NoError(t, err)
	assert.Equal(t, "lf3", d.LastFingerprint, "a context that is not valid changes nothing")

	s.Forget()
	d, err = s.Device(`{"path":"/g"}`)
	require.NoError(t, err)
	d.membersVersion = 0
	assert.Equal(t, Device{Path: "/g", SignalsPending: true}, d, "Forget drops the copy and closes the gate")
}

func TestDeviceStateSignalsGate(t *testing.T) {
	var s DeviceState
	d, err := s.Device(`{}`)
	require.NoError(t, err)
	assert.True(t, d.SignalsPending, "nothing handed over yet")
	s.Open()
	d, err = s.Device(`{}`)
	require.NoError(t, err)
	assert.False(t, d.SignalsPending, "handed over, even with no part usable")
	assert.True(t, d.Signals.IsZero())
	assert.Empty(t, d.Fingerprint)
}

// The body members DeviceState keeps ready are the very bytes BuildAttach
// writes from the fields, whatever changed in between.
func TestDeviceStateBodyMembers(t *testing.T) {
	set := testSettings(t, "")
	p := payloadOf(t, `{"account":"acct"}`)
	sig, err := NewSignals(`{"platform":{"value":"Linux"},"x":"\u2028"}`)
	require.NoError(t, err)
	var s DeviceState
	s.Open()
	steps := []func(){
		func() {},
		func() { s.SetSignals(sig) },
		func() { s.SetFingerprint("fp1") },
		func() {},
		func() { s.SetFingerprint("fp2") },
		func() { s.SetSignals(Signals{}) },
	}
	contexts := []string{`{"last_fingerprint":"a\"b"}`, `{}`, `{"last_fingerprint":"lf"}`, `{}`, `{"last_fingerprint":null}`, `{"last_fingerprint":"z"}`}
	for i, step := range steps {
		step()
		d, err := s.Device(contexts[i])
		require.NoError(t, err)
		plain := d
		plain.members, plain.membersVersion = "", 0
		got, err := BuildAttach(set, p, "/p", d)
		require.NoError(t, err)
		want, err := BuildAttach(set, p, "/p", plain)
		require.NoError(t, err)
		assert.Equal(t, want.Body(), got.Body(), "step %d", i)
		if s.Fingerprint() != "" {
			assert.Contains(t, got.Body(), `"fingerprint":"`+s.Fingerprint()+`"`, "step %d", i)
		}
		if d.LastFingerprint != "" {
			assert.Contains(t, got.Body(), `,"last_fingerprint":`, "step %d", i)
		} else {
			assert.NotContains(t, got.Body(), `"last_fingerprint"`, "step %d", i)
		}
	}
}

// A members text keeps its number while it is unchanged; any change makes
// a new text with a new number, never one used before (Forget included).
// The members sit between the head and the tail (Body joins the three).
func TestDeviceStateMembersVersions(t *testing.T) {
	set := testSettings(t, "")
	p := payloadOf(t, `{"account":"acct"}`)
	var s DeviceState
	s.Open()
	s.SetFingerprint("fp1")
	seen := map[uint32]string{}
	step := func(context string, wantNew bool) {
		t.Helper()
		d, err := s.Device(context)
		require.NoError(t, err)
		req, err := BuildAttach(set, p, "/p", d)
		require.NoError(t, err)
		head, members, tail, v := req.BodyParts()
		assert.Regexp(t, `^,"callbacks":.*}$`, tail)
		require.NotZero(t, v)
		assert.Equal(t, `{"user":"acct"`, head)
		assert.Equal(t, d.members, members)
		if old, ok := seen[v]; ok {
			assert.False(t, wantNew, "version %d reused", v)
			assert.Equal(t, old, members, "version %d names two texts", v)
		} else {
			assert.True(t, wantNew || len(seen) == 0, "a new version %d for the same members", v)
		}
		seen[v] = members
	}
	step(`{}`, true)
	step(`{"path":"/a"}`, false)
	step(`{"last_fingerprint":"lf"}`, true)
	step(`{"last_fingerprint":"lf"}`, false)
	s.SetFingerprint("fp2")
	step(`{}`, true)
	s.SetSignals(Signals{raw: `{"a":1}`})
	step(`{}`, true)
	s.Forget()
	s.Open()
	step(`{}`, true)

	// A device not made by a DeviceState has no members text.
	req, err := BuildAttach(set, p, "/p", Device{Fingerprint: "fp"})
	require.NoError(t, err)
	_, members, _, v := req.BodyParts()
	assert.Zero(t, v)
	assert.Equal(t, `,"fingerprint":"fp"`, members)
}
