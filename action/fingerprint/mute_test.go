package fingerprint

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMute(t *testing.T) {
	// Every muted path, plus neighbours that must stay.
	const all = `{"device":%s,` +
		`"audio":{"audioFingerprint":"1,2","sampleRate":"44100"},` +
		`"canvas":{"canvasFingerprint":"data:","canvasSupported":true},` +
		`"externalDevices":{"devices":[{"kind":"audioinput","deviceId":"d1","groupId":"g1"},{"deviceId":"d2","groupId":"g2","label":""}]},` +
		`"language":{"language":"en-US","languages":["en-US","en"]},` +
		`"screen":{"width":1920,"height":1080,"colorDepth":24},` +
		`"specifications":{"cpuCores":8,"connectionDownlink":1.45,"connectionRtt":50},` +
		`"voice":{"availableVoices":[],"voiceSynthesisSupported":true},` +
		`"workers":{"serviceWorkerSupported":true,"webWorkerSupported":true}}`
	with := func(device string) string {
		return strings.Replace(all, "%s", device, 1)
	}
	tests := []struct {
		name, in, want string
	}{
		{"chrome", with(`{"isChromiumBrowser":true}`), `{"device":{"isChromiumBrowser":true},` +
			`"audio":{"audioFingerprint":"1,2","sampleRate":"44100"},` +
			`"canvas":{"canvasFingerprint":"data:","canvasSupported":true},` +
			`"externalDevices":{"devices":[{"kind":"audioinput","deviceId":"d1","groupId":"g1"},{"deviceId":"d2","groupId":"g2","label":""}]},` +
			`"language":{"language":"en-US"},` +
			`"screen":{"width":1920,"height":1080,"colorDepth":24},` +
			`"specifications":{"cpuCores":8,"connectionRtt":50},` +
			`"voice":{"availableVoices":[],"voiceSynthesisSupported":true},` +
			`"workers":{"serviceWorkerSupported":true,"webWorkerSupported":true}}`},
		{"safari", with(`{"isChromiumBrowser":false,"isSafariBrowser":true}`), `{"device":{"isChromiumBrowser":false,"isSafariBrowser":true},` +
			`"audio":{"sampleRate":"44100"},` +
			`"canvas":{"canvasSupported":true},` +
			`"externalDevices":{"devices":[{"kind":"audioinput","deviceId":"d1","groupId":"g1"},{"deviceId":"d2","groupId":"g2","label":""}]},` +
			`"language":{"language":"en-US","languages":["en-US","en"]},` +
			`"screen":{"colorDepth":24},` +
			`"specifications":{"cpuCores":8,"connectionDownlink":1.45,"connectionRtt":50},` +
			`"voice":{"voiceSynthesisSupported":true},` +
			`"workers":{"serviceWorkerSupported":true,"webWorkerSupported":true}}`},
		{"firefox, with the devices wildcard", with(`{"isFirefoxBrowser":true}`), `{"device":{"isFirefoxBrowser":true},` +
			`"audio":{"audioFingerprint":"1,2","sampleRate":"44100"},` +
			`"canvas":{"canvasSupported":true},` +
			`"externalDevices":{"devices":[{"kind":"audioinput"},{"label":""}]},` +
			`"language":{"language":"en-US","languages":["en-US","en"]},` +
			`"screen":{"width":1920,"height":1080,"colorDepth":24},` +
			`"specifications":{"cpuCores":8,"connectionDownlink":1.45,"connectionRtt":50},` +
			`"voice":{"voiceSynthesisSupported":true},` +
			`"workers":{"webWorkerSupported":true}}`},
		{"none detected: all three lists", with(`{"isChromiumBrowser":false,"isSafariBrowser":false,"isFirefoxBrowser":false}`),
			`{"device":{"isChromiumBrowser":false,"isSafariBrowser":false,"isFirefoxBrowser":false},` +
				`"audio":{"sampleRate":"44100"},` +
				`"canvas":{"canvasSupported":true},` +
				`"externalDevices":{"devices":[{"kind":"audioinput"},{"label":""}]},` +
				`"language":{"language":"en-US"},` +
				`"screen":{"colorDepth":24},` +
				`"specifications":{"cpuCores":8,"connectionRtt":50},` +
				`"voice":{"voiceSynthesisSupported":true},` +
				`"workers":{"webWorkerSupported":true}}`},
		{"chrome wins over the others", `{"device":{"isFirefoxBrowser":true,"isChromiumBrowser":true},"screen":{"width":1},"language":{"languages":[]}}`,
			`{"device":{"isFirefoxBrowser":true,"isChromiumBrowser":true},"screen":{"width":1},"language":{}}`},
		{"truthiness: the string \"false\" is true", `{"device":{"isChromiumBrowser":"false"},"language":{"languages":[],"a":1}}`,
			`{"device":{"isChromiumBrowser":"false"},"language":{"a":1}}`},
		{"truthiness: 0, \"\" and null are false", `{"device":{"isChromiumBrowser":0,"isSafariBrowser":"","isFirefoxBrowser":null},"screen":{"width":1,"x":2}}`,
			`{"device":{"isChromiumBrowser":0,"isSafariBrowser":"","isFirefoxBrowser":null},"screen":{"x":2}}`},
		{"truthiness: {} and [] are true", `{"device":{"isSafariBrowser":[]},"screen":{"a":0,"width":1,"height":2}}`,
			`{"device":{"isSafariBrowser":[]},"screen":{"a":0}}`},
		{"device false: all lists", `{"device":false,"workers":{"serviceWorkerSupported":true}}`, `{"device":false,"workers":{}}`},
		{"device an array: all lists", `{"device":[1],"workers":{"serviceWorkerSupported":true}}`, `{"device":[1],"workers":{}}`},
		{"first member removed", `{"device":{"isSafariBrowser":true},"screen":{"width":1,"x":2}}`, `{"device":{"isSafariBrowser":true},"screen":{"x":2}}`},
		{"middle members removed", `{"device":{"isSafariBrowser":true},"screen":{"a":0,"width":1,"height":2,"b":3}}`, `{"device":{"isSafariBrowser":true},"screen":{"a":0,"b":3}}`},
		{"last two removed", `{"device":{"isSafariBrowser":true},"screen":{"a":0,"width":1,"height":2}}`, `{"device":{"isSafariBrowser":true},"screen":{"a":0}}`},
		{"only members removed", `{"device":{"isSafariBrowser":true},"screen":{"height":1,"width":2}}`, `{"device":{"isSafariBrowser":true},"screen":{}}`},
		{"falsy parent skipped", `{"device":{"isSafariBrowser":true},"screen":0,"voice":null,"audio":""}`, `{"device":{"isSafariBrowser":true},"screen":0,"voice":null,"audio":""}`},
		{"primitive parent is a no-op", `{"device":{"isSafariBrowser":true},"screen":"wide","audio":[{"audioFingerprint":1}]}`,
			`{"device":{"isSafariBrowser":true},"screen":"wide","audio":[{"audioFingerprint":1}]}`},
		{"wildcard over an object", `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":{"a":{"deviceId":1,"x":2},"b":{"groupId":3},"c":5,"d":"s","e":[{"deviceId":1}]}}}`,
			`{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":{"a":{"x":2},"b":{},"c":5,"d":"s","e":[{"deviceId":1}]}}}`},
		{"wildcard over a string", `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":"abc"}}`, `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":"abc"}}`},
		{"wildcard over an empty array", `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":[]}}`, `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":[]}}`},
		{"non-canonical input comes out canonical", "{ \"device\" : {\"isChromiumBrowser\":1.0}, \"language\": {\"languages\":[], \"b\":1e2, \"b\":2} }",
			`{"device":{"isChromiumBrowser":1},"language":{"b":2}}`},
		{"nothing to mute", `{"device":{"isChromiumBrowser":true},"a":1}`, `{"device":{"isChromiumBrowser":true},"a":1}`},
		{"the package example's signals", `{"device":{"isChromiumBrowser":true,"isSafariBrowser":false},` +
			`"language":{"language":"en-US","languages":["en-US","en"]},` +
			`"screen":{"width":1920,"height":1080},` +
			`"specifications":{"cpuCores":8,"connectionDownlink":1.45}}`,
			`{"device":{"isChromiumBrowser":true,"isSafariBrowser":false},"language":{"language":"en-US"},"screen":{"width":1920,"height":1080},"specifications":{"cpuCores":8}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mute([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestMuteErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"no device", `{"a":1}`, errMute},
		{"device null", `{"device":null}`, errMute},
		{"top-level array", `[{"device":{}}]`, errMute},
		{"top-level string", `"device"`, errMute},
		{"null device under the firefox wildcard", `{"device":{"isFirefoxBrowser":true},"externalDevices":{"devices":[{},null]}}`, errMute},
		{"null device under the wildcard, no family", `{"device":{},"externalDevices":{"devices":{"a":null}}}`, errMute},
		{"invalid JSON", `{"device":`, ErrInvalidJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mute([]byte(tt.in))
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
	// The chrome list has no wildcard, so null devices are fine there.
	got, err := mute([]byte(`{"device":{"isChromiumBrowser":true},"externalDevices":{"devices":[null]}}`))
	require.NoError(t, err)
	assert.Equal(t, `{"device":{"isChromiumBrowser":true},"externalDevices":{"devices":[null]}}`, string(got))
}

func TestMuteDoesNotAliasInput(t *testing.T) {
	in := []byte(`{"device":{"isChromiumBrowser":true},"a":1}`)
	out, err := mute(in)
	require.NoError(t, err)
	out[0] = 'X'
	assert.Equal(t, byte('{'), in[0])
}
