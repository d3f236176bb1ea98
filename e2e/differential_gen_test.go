package e2e

// The random draw of TestDifferential (differential_test.go): per page, the
// subscriptions (queries from action/fql's corpus mixed with simple ones,
// mapping values from action/mapping's corpus mixed with the fields'
// defaults) and the analytics.js calls (material from both corpora's
// events, with emails, phones and accounts of every JSON type planted in).
// Every page is drawn from its own PRNG, seeded with (seed, page index),
// so one page can be replayed alone.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// diffPage is one page load of the differential test.
type diffPage struct {
	Index int
	// Kind is "signed-in", "logout" (opened with ?rupt_action=logout) or
	// "anonymous" (no userId ever).
	Kind string
	// Sequential pages wait for each call to be delivered (and a moment)
	// before the next pushState; the others make every call in one task.
	Sequential bool
	Subs       []diffSub
	Calls      []diffCall
}

// query is what the page's URL carries after its path.
func (p *diffPage) query() string {
	if p.Kind == "logout" {
		return "?rupt_action=logout"
	}
	return ""
}

// startPath is the path the page is opened at.
func (p *diffPage) startPath() string { return fmt.Sprintf("/diff/p%d/start", p.Index) }

// diffSub is one subscription as the CDN settings carry it.
type diffSub struct {
	Name          string
	Subscribe     string
	PartnerAction string
	// Enabled is nil when the key is missing.
	Enabled *bool
	Mapping json.RawMessage
}

func (s diffSub) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"name":`)
	b.Write(mustJSON(s.Name))
	b.WriteString(`,"subscribe":`)
	b.Write(mustJSON(s.Subscribe))
	b.WriteString(`,"partnerAction":`)
	b.Write(mustJSON(s.PartnerAction))
	if s.Enabled != nil {
		b.WriteString(`,"enabled":`)
		b.WriteString(strconv.FormatBool(*s.Enabled))
	}
	b.WriteString(`,"mapping":`)
	b.Write(s.Mapping)
	b.WriteString(`}`)
	return b.Bytes(), nil
}

// diffCall is one analytics.js call: history.pushState(Path) first when
// Path is set, then analytics[Method](...Args).
type diffCall struct {
	Path   string            `json:"path,omitempty"`
	Method string            `json:"method"`
	Args   []json.RawMessage `json:"args"`
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// diffCorpus is the material pages are drawn from.
type diffCorpus struct {
	// queries are the FQL corpus's queries without single quotes.
	queries []string
	// matching holds, per query, corpus events the oracle matched that
	// analytics.js can reproduce (page, track or identify).
	matching map[string][]map[string]json.RawMessage
	// values are the field values of the mapping corpus's mappings that
	// the oracle evaluated without an error at least once; badValues those
	// of mappings that always threw. mappings are whole mappings
	// (objects) that evaluated, for metadata.
	values, badValues, mappings []json.RawMessage
	// objects are properties / traits / context objects of both corpora's events.
	objects []json.RawMessage
}

func loadDiffCorpus(t *testing.T) *diffCorpus {
	t.Helper()
	c := &diffCorpus{matching: map[string][]map[string]json.RawMessage{}}

	var fq struct {
		Cases []struct {
			Query        string          `json:"query"`
			Event        json.RawMessage `json:"event"`
			Match        bool            `json:"match"`
			SingleQuoted bool            `json:"singleQuoted"`
		} `json:"cases"`
	}
	readJSONFile(t, filepath.Join(repoRoot(), "action", "fql", "testdata", "cases.json"), &fq)
	seen := map[string]bool{}
	for _, k := range fq.Cases {
		if k.SingleQuoted {
			continue // but `type = 'page'` is among the simple queries
		}
		if !seen[k.Query] {
			seen[k.Query] = true
			c.queries = append(c.queries, k.Query)
		}
		var ev map[string]json.RawMessage
		if json.Unmarshal(k.Event, &ev) == nil && ev != nil {
			c.addObjects(ev)
			if k.Match && plantable(ev) {
				c.matching[k.Query] = append(c.matching[k.Query], ev)
			}
		}
	}

	var mc struct {
		Events []string `json:"events"`
		Cases  []struct {
			Mapping string  `json:"m"`
			Err     *string `json:"x"`
		} `json:"cases"`
	}
	readJSONFile(t, filepath.Join(repoRoot(), "action", "mapping", "testdata", "cases.json"), &mc)
	evaluated := map[string]bool{}
	for _, k := range mc.Cases {
		if k.Err == nil {
			evaluated[k.Mapping] = true
		}
	}
	for _, e := range mc.Events {
		var ev map[string]json.RawMessage
		if json.Unmarshal([]byte(e), &ev) == nil && ev != nil {
			c.addObjects(ev)
		}
	}
	seenValue := map[string]bool{}
	seenMapping := map[string]bool{}
	for _, k := range mc.Cases {
		if !safeMappingValue(json.RawMessage(k.Mapping)) {
			continue
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal([]byte(k.Mapping), &fields) != nil || fields == nil {
			continue
		}
		if !seenMapping[k.Mapping] && evaluated[k.Mapping] {
			seenMapping[k.Mapping] = true
			c.mappings = append(c.mappings, json.RawMessage(k.Mapping))
		}
		keys := make([]string, 0, len(fields))
		for key := range fields {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			v := fields[key]
			if !seenValue[string(v)] && safeMappingValue(v) {
				seenValue[string(v)] = true
				if evaluated[k.Mapping] {
					c.values = append(c.values, v)
				} else {
					c.badValues = append(c.badValues, v)
				}
			}
		}
	}
	if len(c.queries) < 1000 || len(c.values) < 500 || len(c.badValues) < 50 || len(c.mappings) < 500 || len(c.objects) < 200 || len(c.matching) < 100 {
		t.Fatalf("the corpora are smaller than expected: %d queries (%d with matching events), %d+%d mapping values, %d mappings, %d event objects",
			len(c.queries), len(c.matching), len(c.values), len(c.badValues), len(c.mappings), len(c.objects))
	}
	return c
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// addObjects keeps an event's properties, traits and context objects as
// material for calls.
func (c *diffCorpus) addObjects(ev map[string]json.RawMessage) {
	for _, k := range []string{"properties", "traits", "context"} {
		v := ev[k]
		if len(v) > 0 && v[0] == '{' && len(v) < 4000 && safeEventValue(v) {
			c.objects = append(c.objects, v)
		}
	}
}

// plantable reports whether a corpus event can be reproduced through
// analytics.js closely enough to keep the oracle's match: a page, track or
// identify without a userId of its own (the userId comes from identify),
// with object properties / traits and a string event name.
func plantable(ev map[string]json.RawMessage) bool {
	var typ string
	if json.Unmarshal(ev["type"], &typ) != nil {
		return false
	}
	if _, ok := ev["userId"]; ok {
		return false
	}
	for _, k := range []string{"properties", "traits", "context"} {
		if v, ok := ev[k]; ok && (len(v) == 0 || v[0] != '{' || !safeEventValue(v)) {
			return false
		}
	}
	isString := func(k string) bool {
		v, ok := ev[k]
		return !ok || (len(v) > 0 && v[0] == '"')
	}
	switch typ {
	case "track":
		v, ok := ev["event"]
		return ok && len(v) > 0 && v[0] == '"'
	case "page":
		return isString("name")
	case "identify":
		return true
	}
	return false
}

// jsBuiltins are the names JavaScript finds on Object, String, Array,
// Number and Boolean prototypes ("length" aside). A mapping path that
// steps onto one of them reaches a JavaScript function in mapping-kit,
// which this bundle deliberately refuses (README: "Paths into JavaScript
// built-ins ... are errors"); the draw leaves such mappings out.
var jsBuiltins = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`constructor __defineGetter__ __defineSetter__ hasOwnProperty __lookupGetter__
		__lookupSetter__ isPrototypeOf propertyIsEnumerable toString valueOf __proto__ toLocaleString anchor at big
		blink bold charAt charCodeAt codePointAt concat endsWith fontcolor fontsize fixed includes indexOf isWellFormed
		italics lastIndexOf link localeCompare match matchAll normalize padEnd padStart repeat replace replaceAll search
		slice small split strike sub substr substring sup startsWith toWellFormed trim trimStart trimLeft trimEnd
		trimRight toLocaleLowerCase toLocaleUpperCase toLowerCase toUpperCase copyWithin fill find findIndex findLast
		findLastIndex pop push reverse shift unshift sort splice join keys entries values forEach filter flat flatMap
		map every some reduce reduceRight toReversed toSorted toSpliced with toExponential toFixed toPrecision`) {
		jsBuiltins[n] = true
	}
}

// safeMappingValue reports whether a mapping (or a mapping value) stays
// inside what this test compares: no @liquid (a documented subset), no
// "__proto__", no path onto a JavaScript built-in, no path computed by a
// directive (it could compute one), and only numbers JSON.parse keeps
// finite (1e400 would be Infinity in the page's settings but null once
// serialised).
func safeMappingValue(raw json.RawMessage) bool {
	s := string(raw)
	if strings.Contains(s, "@liquid") || strings.Contains(s, "__proto__") {
		return false
	}
	v, ok := decodeNumbers(raw)
	return ok && safePaths(v)
}

// safeEventValue is safeMappingValue for event material.
func safeEventValue(raw json.RawMessage) bool {
	if strings.Contains(string(raw), "__proto__") {
		return false
	}
	_, ok := decodeNumbers(raw)
	return ok
}

// decodeNumbers decodes JSON keeping numbers as text, and reports whether
// every number is finite as a float64.
func decodeNumbers(raw json.RawMessage) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	ok := true
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case json.Number:
			if f, err := strconv.ParseFloat(string(v), 64); err != nil || math.IsInf(f, 0) {
				ok = false
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return v, ok
}

func safePaths(v any) bool {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if !safePaths(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range v {
			switch k {
			case "@path":
				p, ok := e.(string)
				if !ok || !safePath(p) {
					return false
				}
			case "@arrayPath":
				a, ok := e.([]any)
				if !ok || len(a) == 0 {
					return false
				}
				if p, ok := a[0].(string); !ok || !safePath(p) {
					return false
				}
			case "@template":
				if p, ok := e.(string); ok {
					for _, ph := range templateRE.FindAllStringSubmatch(p, -1) {
						if !safePath(ph[1]) {
							return false
						}
					}
				}
			}
			if !safePaths(e) {
				return false
			}
		}
	}
	return true
}

// templateRE finds @template placeholders ({{path}} and {{{path}}}).
var templateRE = regexp.MustCompile(`\{\{\{?([^{}]*)\}?\}\}`)

// safePath reports whether no word of a path (or template) is a
// JavaScript built-in.
func safePath(p string) bool {
	for _, w := range strings.FieldsFunc(p, func(r rune) bool {
		return !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127)
	}) {
		if jsBuiltins[w] {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- the draw

type diffGen struct {
	c    *diffCorpus
	r    *rand.Rand
	page int
	// plants are corpus queries of this page's subscriptions whose
	// matching events a call reproduces.
	plants []string
}

func (g *diffGen) chance(p float64) bool { return g.r.Float64() < p }
func (g *diffGen) intn(n int) int        { return g.r.IntN(n) }

func pick[T any](g *diffGen, xs []T) T { return xs[g.r.IntN(len(xs))] }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// Values planted into events: every JSON type, empty strings, JS number
// formatting (1e21, 1.5e-7, -0.5), a lone surrogate.
var (
	diffEmails = []string{`"ctx@example.com"`, `"Props@Example.COM"`, `""`, `null`, `"ünï@ex.de"`, `"a+b@x.io"`,
		`5550100`, `0`, `1.5e-7`, `true`, `{"a":1}`, `[1,"x"]`, `"\ud800lone"`, `" spaced@x.io "`, `1e21`}
	diffPhones = []string{`"+15550100"`, `"555-0100"`, `5550100`, `0`, `""`, `null`, `-0.5`, `false`, `{"n":1}`,
		`["555"]`, `123456789012345680000`, `"😀 555"`}
	diffAccounts = []string{`""`, `0`, `42`, `-1.5`, `1e21`, `null`, `true`, `{"id":1}`, `["a"]`, `" "`, `"0"`}
	// Literal include_page values: JS-truthy and JS-falsy ones.
	diffIncludePage = []string{`true`, `false`, `0`, `1`, `""`, `"no"`, `null`, `{}`, `[]`, `"false"`, `-0`}
	diffPlans       = []string{`"pro"`, `"free"`, `"PRO"`}
	diffTrackNames  = []string{"Signed Up", "Order Completed", "Viewed Item", "ünïcode Event"}
	diffPageNames   = []string{"Home", "Pricing", "Checkout"}
	diffPaths       = []string{"/", "/home", "/shop/cart", "/shop/item-7", "/a/b", "/search", "/ünï/ø", "/with space", "/docs/"}
	// Simple queries: these make attaches happen.
	diffSimpleQueries = []string{
		`type = "page"`, `type = "page"`, `type = 'page'`, `type = "track"`, `type = "identify"`,
		`type = "page" or type = "track"`, `type != "identify"`, `event = "Signed Up"`, `event = "Order Completed"`,
		`type = "track" and event = "Viewed Item"`, `name = "Home"`, `properties.plan = "pro"`,
		`userId != null`, `contains(properties.email, "@")`, `match(context.page.path, "/shop*")`,
		`type = "identify" and traits.plan = "pro"`, `context.traits.email != null`, `properties.email = null`,
	}
	// Account mappings that read the userId only: what anonymous pages use.
	diffUserIDAccounts = []string{
		`{"@path":"$.userId"}`, `{"@path":"userId"}`, `{"@template":"{{userId}}"}`,
		`{"@case":{"operator":"upper","value":{"@path":"$.userId"}}}`,
		`{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"}}}`,
	}
	diffOtherAccounts = []string{
		`{"@path":"$.properties.account"}`, `{"@path":"$.context.traits.account"}`, `{"@path":"$.traits.account"}`,
		`{"@template":"acct-{{userId}}"}`, `{"@path":"$.anonymousId"}`,
		`{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
	}
	diffDefaultEmail = `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`
	diffDefaultPhone = `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`
	diffEmailPaths   = []string{`{"@path":"$.properties.email"}`, `{"@path":"$.traits.email"}`, `{"@path":"$.context.traits.email"}`, `{"@path":"$.context.traits.phone"}`}
	diffPhonePaths   = []string{`{"@path":"$.properties.phone"}`, `{"@path":"$.traits.phone"}`, `{"@path":"$.context.traits.phone"}`, `{"@path":"$.properties.email"}`}
	diffMetaPaths    = []string{`{"@path":"$.properties"}`, `{"@path":"$.traits"}`, `{"@path":"$.context.traits"}`, `{"@path":"$.context.page"}`,
		`{"plan":{"@path":"$.properties.plan"},"source":"differential","n":1.5}`, `{"@path":"$.properties.email"}`}
)

// drawPage draws page index of a run with the given seed.
func drawPage(c *diffCorpus, seed uint64, index int) *diffPage {
	g := &diffGen{c: c, r: rand.New(rand.NewPCG(seed, uint64(index))), page: index}
	p := &diffPage{Index: index}
	// The kinds go by index, so every run of 20 pages has 3 logout pages
	// (one sure to hand off, one sure not to, one drawn), 3 anonymous
	// pages and 14 signed-in ones.
	logout := -1
	switch k := index % 20; {
	case k < 3:
		p.Kind, logout = "logout", (k+index/20)%3
	case k < 6:
		p.Kind = "anonymous"
	default:
		p.Kind = "signed-in"
	}
	// Logout pages make every call in one task (the page may navigate
	// away at any event).
	p.Sequential = p.Kind != "logout" && g.chance(0.3)
	anonymous := p.Kind == "anonymous" || logout == 1

	n := 1 + g.intn(4)
	for i := 0; i < n; i++ {
		p.Subs = append(p.Subs, diffSub{
			Name:          fmt.Sprintf("sub %d", i),
			Subscribe:     g.query(),
			PartnerAction: "attach",
			Enabled:       ptr(true),
			Mapping:       g.mapping(anonymous),
		})
	}
	if logout == 0 {
		// Every call matches and the identify (among the first three
		// calls) maps a usable account: this page hands off.
		p.Subs[0].Subscribe = `type = "page" or type = "track" or type = "identify"`
		p.Subs[0].Mapping = raw(`{"account":{"@path":"$.userId"},"email":` + diffDefaultEmail + `}`)
	}
	// Subscriptions that must never attach: they would on every event.
	if g.chance(0.3) {
		s := diffSub{
			Name:          "disabled",
			Subscribe:     pick(g, []string{`type = "page" or type = "track" or type = "identify"`, `type != "alias"`}),
			PartnerAction: "attach",
			Mapping:       raw(`{"account":{"@template":"disabled-{{anonymousId}}"},"email":{"@literal":"disabled@example.com"}}`),
		}
		if g.chance(0.5) {
			s.Enabled = ptr(false)
		}
		p.Subs = append(p.Subs, s)
	}
	if g.chance(0.05) {
		p.Subs = append(p.Subs, diffSub{Name: "other action", Subscribe: `type = "page"`, PartnerAction: "identifyUser", Enabled: ptr(true),
			Mapping: raw(`{"account":{"@literal":"other-action"}}`)})
	}
	g.r.Shuffle(len(p.Subs), func(i, j int) { p.Subs[i], p.Subs[j] = p.Subs[j], p.Subs[i] })

	p.Calls = g.calls(anonymous)
	return p
}

func ptr[T any](v T) *T { return &v }

// value draws a mapping value from the corpus: mostly one that evaluates,
// sometimes one whose mapping always threw (rule 5).
func (g *diffGen) value() string {
	if g.chance(0.1) {
		return string(pick(g, g.c.badValues))
	}
	return string(pick(g, g.c.values))
}

func (g *diffGen) query() string {
	if g.chance(0.6) {
		return pick(g, diffSimpleQueries)
	}
	// A corpus query; often one whose matching event a call reproduces.
	if g.chance(0.5) {
		for tries := 0; tries < 20; tries++ {
			q := pick(g, g.c.queries)
			if len(g.c.matching[q]) > 0 {
				g.plants = append(g.plants, q)
				return q
			}
		}
	}
	return pick(g, g.c.queries)
}

// mapping draws the five fields; a field's value is its default, a value
// from the mapping corpus, a path to planted data, a literal, or absent.
func (g *diffGen) mapping(anonymous bool) json.RawMessage {
	var fields []string
	add := func(k, v string) { fields = append(fields, string(mustJSON(k))+":"+v) }
	switch x := g.r.Float64(); {
	case anonymous:
		add("account", pick(g, diffUserIDAccounts))
	case x < 0.45:
		add("account", diffUserIDAccounts[0])
	case x < 0.55:
		add("account", pick(g, diffUserIDAccounts))
	case x < 0.72:
		add("account", pick(g, diffOtherAccounts))
	case x < 0.95:
		add("account", g.value())
	}
	field := func(name, def string, paths []string, literals []string) {
		switch x := g.r.Float64(); {
		case x < 0.45:
			add(name, def)
		case x < 0.55:
		case x < 0.70:
			add(name, pick(g, paths))
		case x < 0.90:
			add(name, g.value())
		default:
			add(name, pick(g, literals))
		}
	}
	field("email", diffDefaultEmail, diffEmailPaths, diffEmails)
	field("phone", diffDefaultPhone, diffPhonePaths, diffPhones)
	switch x := g.r.Float64(); {
	case x < 0.40:
	case x < 0.65:
		add("metadata", g.value())
	case x < 0.85:
		add("metadata", string(pick(g, g.c.mappings)))
	default:
		add("metadata", pick(g, diffMetaPaths))
	}
	switch x := g.r.Float64(); {
	case x < 0.5:
	case x < 0.8:
		add("include_page", pick(g, diffIncludePage))
	default:
		add("include_page", g.value())
	}
	g.r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	return raw("{" + strings.Join(fields, ",") + "}")
}

// calls draws six analytics.js calls. A signed-in page identifies within
// its first three calls (and may switch user later); an anonymous one
// never sends a userId.
func (g *diffGen) calls(anonymous bool) []diffCall {
	const n = 6
	identifyAt, switchAt := -1, -1
	if !anonymous {
		identifyAt = g.intn(3)
		if g.chance(0.25) {
			switchAt = identifyAt + 1 + g.intn(n-identifyAt-1)
		}
	}
	plantAt := map[int]string{}
	for _, q := range g.plants {
		if g.chance(0.7) {
			plantAt[g.intn(n)] = q
		}
	}
	var calls []diffCall
	for k := 0; k < n; k++ {
		var c diffCall
		if g.chance(0.6) {
			c.Path = pick(g, diffPaths)
		}
		switch {
		case k == identifyAt || k == switchAt:
			c.Method = "identify"
			c.Args = []json.RawMessage{g.userID(k), g.object("traits"), g.options(anonymous)}
		case plantAt[k] != "":
			c = g.plant(c, pick(g, g.c.matching[plantAt[k]]), anonymous)
		default:
			switch x := g.r.Float64(); {
			case x < 0.45:
				c.Method = "page"
				switch g.intn(3) {
				case 0:
					c.Args = []json.RawMessage{g.object("page"), g.options(anonymous)}
				case 1:
					c.Args = []json.RawMessage{mustJSON(pick(g, diffPageNames)), g.object("page"), g.options(anonymous)}
				default:
					c.Args = []json.RawMessage{raw(`"Docs"`), mustJSON(pick(g, diffPageNames)), g.object("page"), g.options(anonymous)}
				}
			case x < 0.85:
				c.Method = "track"
				c.Args = []json.RawMessage{mustJSON(pick(g, diffTrackNames)), g.object("track"), g.options(anonymous)}
			default:
				// identify with traits only: the user stays who they are.
				c.Method = "identify"
				c.Args = []json.RawMessage{g.object("traits"), g.options(anonymous)}
			}
		}
		calls = append(calls, c)
	}
	return calls
}

// userID draws a userId: unique to the page mostly, sometimes a number or
// an odd string.
func (g *diffGen) userID(k int) json.RawMessage {
	switch x := g.r.Float64(); {
	case x < 0.75:
		return mustJSON(fmt.Sprintf("u%d-%d-%x", g.page, k, g.r.Uint32()))
	case x < 0.87:
		return mustJSON(1000*g.page + k + 1)
	default:
		return raw(pick(g, []string{`"user-42"`, `"ünï©ødé"`, `"a+b@x.io"`, `" 7 "`, `"0"`, `"null"`, `"[object Object]"`, `"\ud800lone"`}))
	}
}

// object draws properties (kind "page" or "track") or traits: corpus
// material or {}, with email, phone, account and plan planted.
func (g *diffGen) object(kind string) json.RawMessage {
	o := map[string]json.RawMessage{}
	if g.chance(0.5) {
		_ = json.Unmarshal(pick(g, g.c.objects), &o)
		if o == nil {
			o = map[string]json.RawMessage{}
		}
	}
	if g.chance(0.4) {
		o["email"] = raw(pick(g, diffEmails))
	}
	if g.chance(0.3) {
		o["phone"] = raw(pick(g, diffPhones))
	}
	if g.chance(0.2) {
		o["account"] = g.account()
	}
	if g.chance(0.3) {
		o["plan"] = raw(pick(g, diffPlans))
	}
	if kind == "page" && g.chance(0.08) {
		// A page's properties.path becomes its context.page.path.
		o["path"] = raw(pick(g, []string{`""`, `"/from/properties"`, `5`}))
	}
	return mustJSON(o)
}

func (g *diffGen) account() json.RawMessage {
	if g.chance(0.4) {
		return mustJSON(fmt.Sprintf("acct-%d-%x", g.page, g.r.Uint32()))
	}
	return raw(pick(g, diffAccounts))
}

// options draws a call's options: context.traits with email / phone /
// account, sometimes context.page.path, sometimes corpus context material.
func (g *diffGen) options(anonymous bool) json.RawMessage {
	ctx := map[string]json.RawMessage{}
	if g.chance(0.15) {
		_ = json.Unmarshal(pick(g, g.c.objects), &ctx)
		if ctx == nil {
			ctx = map[string]json.RawMessage{}
		}
	}
	if g.chance(0.5) {
		traits := map[string]json.RawMessage{}
		if g.chance(0.6) {
			traits["email"] = raw(pick(g, diffEmails))
		}
		if g.chance(0.4) {
			traits["phone"] = raw(pick(g, diffPhones))
		}
		if g.chance(0.15) {
			traits["account"] = g.account()
		}
		ctx["traits"] = mustJSON(traits)
	}
	if g.chance(0.1) {
		ctx["page"] = raw(`{"path":` + pick(g, []string{`""`, `"/custom/path"`, `5`, `null`}) + `}`)
	}
	if len(ctx) == 0 {
		return raw(`{}`)
	}
	return mustJSON(map[string]json.RawMessage{"context": mustJSON(ctx)})
}

// plant turns a call into one that reproduces a corpus event the oracle
// matched: its type, name or event, properties or traits, and context.
func (g *diffGen) plant(c diffCall, ev map[string]json.RawMessage, anonymous bool) diffCall {
	var typ string
	_ = json.Unmarshal(ev["type"], &typ)
	obj := func(k string) json.RawMessage {
		if v, ok := ev[k]; ok {
			return v
		}
		return raw(`{}`)
	}
	opts := raw(`{}`)
	if v, ok := ev["context"]; ok {
		opts = raw(`{"context":` + string(v) + `}`)
	}
	c.Method = typ
	switch typ {
	case "track":
		c.Args = []json.RawMessage{ev["event"], obj("properties"), opts}
	case "page":
		name := raw(`null`)
		if v, ok := ev["name"]; ok {
			name = v
		}
		c.Args = []json.RawMessage{raw(`null`), name, obj("properties"), opts}
	case "identify":
		c.Args = []json.RawMessage{obj("traits"), opts}
	}
	return c
}
