package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ruptDefaults is the Rupt "attach" action's default mapping.
const ruptDefaults = `{
  "account": {"@path": "$.userId"},
  "email": {"@if": {"exists": {"@path": "$.context.traits.email"}, "then": {"@path": "$.context.traits.email"}, "else": {"@path": "$.properties.email"}}},
  "phone": {"@if": {"exists": {"@path": "$.context.traits.phone"}, "then": {"@path": "$.context.traits.phone"}, "else": {"@path": "$.properties.phone"}}}
}`

const pageEvent = `{
  "type": "page", "name": "Home", "userId": "user-42", "anonymousId": "anon-1",
  "messageId": "m-1", "timestamp": "2024-01-01T00:00:00.000Z",
  "properties": {"path": "/", "url": "https://example.com/", "title": "Home", "email": "props@example.com", "phone": "+15550100"},
  "context": {"traits": {"email": "ctx@example.com"}, "page": {"path": "/", "url": "https://example.com/"}, "userAgent": "Mozilla/5.0"}
}`

func TestRuptDefaults(t *testing.T) {
	m, err := Compile(ruptDefaults)
	require.NoError(t, err)
	cases := []struct {
		name, event, want string
	}{
		{"context traits win", pageEvent, `{"account":"user-42","email":"ctx@example.com","phone":"+15550100"}`},
		{"properties fallback", `{"type":"page","userId":"u","properties":{"email":"e@x","phone":"1"}}`, `{"account":"u","email":"e@x","phone":"1"}`},
		{"nothing", `{"type":"page"}`, `{}`},
		{"null trait falls back", `{"userId":"u","context":{"traits":{"email":null}},"properties":{"email":"p"}}`, `{"account":"u","email":"p"}`},
		{"empty trait is kept", `{"userId":"u","context":{"traits":{"email":""}},"properties":{"email":"p"}}`, `{"account":"u","email":""}`},
		{"numeric userId", `{"userId":42}`, `{"account":42}`},
		{"null userId", `{"userId":null}`, `{"account":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := m.Apply(c.event)
			require.NoError(t, err)
			assert.Equal(t, c.want, string(out))
		})
	}
}
