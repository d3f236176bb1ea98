package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluateOnSharedEvent: evaluating several mappings on one shared
// parse of an event gives each mapping exactly what evaluating it on the
// event's text alone gives (so no mapping sees another's reads or writes),
// whatever the order, over every oracle case grouped by event.
func TestEvaluateOnSharedEvent(t *testing.T) {
	oc := loadOracleCases(t)
	byEvent := map[int][]*Mapping{}
	for _, c := range oc.Cases {
		if m, err := Compile(c.Mapping); err == nil {
			byEvent[c.Event] = append(byEvent[c.Event], m)
		}
	}
	require.NotEmpty(t, byEvent)
	compared := 0
	for e, ms := range byEvent {
		event := oc.Events[e]
		p := NewEventParser(ms...)
		ev := p.Parse(event)
		// Twice, the second time backwards: a mapping that changed the
		// shared event would show in the other pass.
		for pass := 0; pass < 2; pass++ {
			for i := range ms {
				m := ms[i]
				if pass == 1 {
					m = ms[len(ms)-1-i]
				}
				want, wantErr := m.Apply(event)
				got, err := m.EvaluateOn(ev)
				if wantErr != nil {
					require.Error(t, err, "mapping %d on event %d", i, e)
					assert.Equal(t, wantErr.Error(), err.Error())
					continue
				}
				require.NoError(t, err)
				b, ok := got.AppendJSON(nil)
				if want == nil {
					assert.False(t, ok)
					continue
				}
				assert.Equal(t, string(want), string(b), "mapping %d on event %d", i, e)
				compared++
			}
		}
	}
	assert.Greater(t, compared, 1000)
}

func TestEvaluateOnOtherMappingParsesAlone(t *testing.T) {
	a := MustCompile(`{"a":{"@path":"$.a"}}`)
	b := MustCompile(`{"b":{"@path":"$.b"}}`)
	ev := NewEventParser(a).Parse(`{"a":1,"b":2}`)
	got, err := b.EvaluateOn(ev)
	require.NoError(t, err)
	j, _ := got.AppendJSON(nil)
	assert.JSONEq(t, `{"b":2}`, string(j), "a mapping the parser was not made for still reads what it needs")
	_, err = a.EvaluateOn(NewEventParser(a).Parse(`[1]`))
	assert.ErrorContains(t, err, "must be a JSON object")
}
