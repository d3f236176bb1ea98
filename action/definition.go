package action

import "rupt-actions-wasm/action/internal/jsonw"

// Destination facts shared by every part of the bundle. They live here, once:
// the JS shim is built with the names it needs (wasm/contract.go, written
// into the bundle by jsbridge/build.mjs), and docs and tests read them
// through Definition.
const (
	// DestinationName is the name Segment gives the destination; analytics.js
	// names the plugin "<DestinationName> <action key>".
	DestinationName = "Rupt"
	// DestinationSlug is the destination's slug in Segment's catalog.
	DestinationSlug = "actions-rupt"
	// PluginFactoryName is the pluginName of window.ruptDestination.
	PluginFactoryName = "Rupt (Actions)"
	// AttachActionKey is the partnerAction of Attach Device subscriptions.
	AttachActionKey = "attach"
	// PluginName is the name of the plugin the factory returns.
	PluginName = DestinationName + " " + AttachActionKey

	// DefaultAPIBase is Rupt's public API.
	DefaultAPIBase = "https://api.rupt.dev"
	// DefaultChallengeHost is the only host a server-supplied challenge URL
	// may point at unless the challenge_hosts setting says otherwise.
	DefaultChallengeHost = "challenge.rupt.dev"

	// SDKClient and SDKVersion are sent as "client" and "version" in every
	// attach and in the live channel URL. Rupt's server may key behaviour on
	// them, and we cannot test it here, so we send exactly what Rupt's own
	// browser SDK (rupt@2.24.1) sends.
	SDKClient  = "javascript"
	SDKVersion = "2.24.1"

	// MaxSubscriptions is Segment's limit of mappings per destination instance.
	MaxSubscriptions = 50
)

// Setting describes one destination setting.
type Setting struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Required    bool   `json:"required"`
	// Segment is false for settings this bundle adds beyond Segment's
	// destination (they are set in the page's integrations options).
	Segment bool `json:"segment"`
}

// Field describes one field of the Attach Device action.
type Field struct {
	Key         string  `json:"key"`
	Label       string  `json:"label"`
	Description string  `json:"description"`
	Type        string  `json:"type"`
	Required    bool    `json:"required"`
	Default     RawJSON `json:"default,omitempty"`
}

// Preset is a subscription Segment creates when the destination is enabled.
type Preset struct {
	Name          string  `json:"name"`
	Subscribe     string  `json:"subscribe"`
	PartnerAction string  `json:"partnerAction"`
	Mapping       RawJSON `json:"mapping"`
}

// ActionDef describes one action of the destination.
type ActionDef struct {
	Key                 string  `json:"key"`
	Title               string  `json:"title"`
	Description         string  `json:"description"`
	Platform            string  `json:"platform"`
	DefaultSubscription string  `json:"defaultSubscription"`
	Fields              []Field `json:"fields"`
}

// DefinitionDoc is the whole destination definition as data.
type DefinitionDoc struct {
	Name     string      `json:"name"`
	Slug     string      `json:"slug"`
	Mode     string      `json:"mode"`
	Settings []Setting   `json:"settings"`
	Actions  []ActionDef `json:"actions"`
	Presets  []Preset    `json:"presets"`
}

// Default mappings of the Attach Device fields, as Segment defines them.
const (
	defaultAccount = `{"@path":"$.userId"}`
	defaultEmail   = `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`
	defaultPhone   = `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`
	// PresetSubscribe is the trigger of the "Attach Device" preset. Segment
	// writes it with single quotes; see the fql package on how we read it.
	PresetSubscribe = `type = 'page'`
	// PresetMapping is the mapping of the "Attach Device" preset: the
	// fields' defaults.
	PresetMapping = `{"account":` + defaultAccount + `,"email":` + defaultEmail + `,"phone":` + defaultPhone + `}`
)

// Definition is the Rupt (Actions) destination: settings, the attach action
// and its fields, and the preset.
var Definition = DefinitionDoc{
	Name: DestinationName,
	Slug: DestinationSlug,
	Mode: "device",
	Settings: []Setting{
		{Key: "client_id", Label: "Client ID", Type: "string", Required: true, Segment: true,
			Description: "The API client id of your Rupt project."},
		{Key: "logout_url", Label: "Logout URL", Type: "string", Segment: true,
			Description: "A URL to redirect the user to if they choose to logout or if they are removed by a verified owner."},
		{Key: "new_account_url", Label: "New Account URL", Type: "string", Required: true, Segment: true,
			Description: "A URL to redirect the user to if they want to stop account sharing and create a new account."},
		{Key: "success_url", Label: "Success URL", Type: "string", Segment: true,
			Description: "A URL to redirect the user to if they are successfully verified and are within the device limit."},
		{Key: "suspended_url", Label: "Suspended URL", Type: "string", Segment: true,
			Description: "A URL to redirect the user to if they are suspended."},
		{Key: "api_base", Label: "API base URL", Type: "string",
			Description: "Where Rupt's API is reached: " + DefaultAPIBase + " (the default) or a first-party proxy such as https://rupt.example.com. Plain http only for loopback hosts."},
		{Key: "challenge_hosts", Label: "Challenge hosts", Type: "string",
			Description: "Comma-separated hosts a server-supplied challenge page may be on (default " + DefaultChallengeHost + "). Always https."},
		{Key: "challenge_url", Label: "Challenge page URL", Type: "string",
			Description: "The challenge page a device is sent to when Rupt names none (default https://" + DefaultChallengeHost + "). https, or http on a loopback host."},
		{Key: "debug", Label: "Debug", Type: "boolean",
			Description: "Log each step to the browser console with a [rupt-actions] prefix (email, phone and metadata are masked)."},
	},
	Actions: []ActionDef{{
		Key:                 AttachActionKey,
		Title:               "Attach Device",
		Description:         "Attach a device to an account.",
		Platform:            "web",
		DefaultSubscription: `type = "page"`,
		Fields: []Field{
			{Key: "account", Label: "Account", Type: "string", Required: true,
				Description: "The account to attach the device to.", Default: RawJSON(defaultAccount)},
			{Key: "email", Label: "Email", Type: "string",
				Description: "The email of the user to attach the device to.", Default: RawJSON(defaultEmail)},
			{Key: "phone", Label: "Phone", Type: "string",
				Description: "The phone number of the user to attach the device to.", Default: RawJSON(defaultPhone)},
			{Key: "metadata", Label: "Metadata", Type: "object",
				Description: "Metadata to attach to the device."},
			{Key: "include_page", Label: "Include Page", Type: "boolean",
				Description: "Whether to include the page (url) in the attach request"},
		},
	}},
	Presets: []Preset{{
		Name:          "Attach Device",
		Subscribe:     PresetSubscribe,
		PartnerAction: AttachActionKey,
		Mapping:       RawJSON(PresetMapping),
	}},
}

// RawJSON is JSON text kept as it is, like encoding/json's RawMessage.
type RawJSON string

// MarshalJSON returns r itself, so that encoding/json (in tests) writes r
// as AppendJSON does.
func (r RawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// DefinitionJSON returns Definition as JSON text, shaped as encoding/json
// would write it from the struct tags.
func DefinitionJSON() []byte { return Definition.AppendJSON(nil) }

// AppendJSON appends d as JSON.
func (d DefinitionDoc) AppendJSON(b []byte) []byte {
	b = appendStrings(append(b, '{'), "name", d.Name, "slug", d.Slug, "mode", d.Mode)
	b = append(b, `,"settings":[`...)
	for i, s := range d.Settings {
		b = appendStrings(appendItem(b, i), "key", s.Key, "label", s.Label, "description", s.Description, "type", s.Type)
		b = jsonw.AppendBool(append(b, `,"required":`...), s.Required)
		b = append(jsonw.AppendBool(append(b, `,"segment":`...), s.Segment), '}')
	}
	b = append(b, `],"actions":[`...)
	for i, a := range d.Actions {
		b = appendStrings(appendItem(b, i), "key", a.Key, "title", a.Title, "description", a.Description,
			"platform", a.Platform, "defaultSubscription", a.DefaultSubscription)
		b = append(b, `,"fields":[`...)
		for j, f := range a.Fields {
			b = appendStrings(appendItem(b, j), "key", f.Key, "label", f.Label, "description", f.Description, "type", f.Type)
			b = jsonw.AppendBool(append(b, `,"required":`...), f.Required)
			if f.Default != "" {
				b = append(append(b, `,"default":`...), f.Default...)
			}
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	b = append(b, `],"presets":[`...)
	for i, p := range d.Presets {
		b = appendStrings(appendItem(b, i), "name", p.Name, "subscribe", p.Subscribe, "partnerAction", p.PartnerAction)
		b = append(append(append(b, `,"mapping":`...), p.Mapping...), '}')
	}
	return append(b, "]}"...)
}

// appendItem opens the i-th object of an array: a comma before all but
// the first.
func appendItem(b []byte, i int) []byte {
	if i > 0 {
		b = append(b, ',')
	}
	return append(b, '{')
}

// appendStrings appends "key":"value" members from alternating keys and
// values, the first without a leading comma.
func appendStrings(b []byte, kv ...string) []byte {
	for i := 0; i+1 < len(kv); i += 2 {
		b = jsonw.AppendField(b, i == 0, kv[i], kv[i+1])
	}
	return b
}
