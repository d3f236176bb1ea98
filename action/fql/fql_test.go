package fql

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"rupt-actions-wasm/action/internal/rawjson"
)

// Events used by the table tests.
const (
	pageEvent = `{"type":"page","name":"Home","userId":"u1",
		"properties":{"path":"/pricing","price":9.5,"count":3,"qty":"3","title":"Pricing","flag":true,"off":false,
			"none":null,"tags":["a","b"],"zero":0,"empty":"","nested":{"a":{"b":"deep"}},"emoji":"a😀"},
		"context":{"page":{"url":"https://x.test/pricing?a=1"},"locale":"en-US"}}`
	trackEvent    = `{"type":"track","event":"Order Completed","userId":42,"properties":{"revenue":100,"currency":"USD"},"traits":{}}`
	identifyEvent = `{"type":"identify","userId":"42","traits":{"email":"alice@example.com","plan":"pro","age":30}}`
	groupEvent    = `{"type":"group","userId":true,"traits":{"name":"Acme"},"name":"true"}`
	aliasEvent    = `{"type":"alias","userId":"u2","previousId":"anon"}`
	screenEvent   = `{"type":"screen","name":"eos","properties":{"a":"a"}}`
)

type matchCase struct {
	name  string
	query string
	event string
	want  bool
}

// matchCases cover every form of the grammar and the quirks copied from
// Segment. Each expectation was checked against parseFql + validate.
var matchCases = []matchCase{
	// type, event, name, userId
	{"type equals", `type = "page"`, pageEvent, true},
	{"type equals other", `type = "page"`, trackEvent, false},
	{"type not equals", `type != "page"`, trackEvent, true},
	{"type not equals same", `type != "page"`, pageEvent, false},
	{"type screen", `type = "screen"`, screenEvent, true},
	{"type alias", `type = "alias"`, aliasEvent, true},
	{"type group", `type = "group"`, groupEvent, true},
	{"type identify", `type = "identify"`, identifyEvent, true},
	{"type is case sensitive", `type = "Page"`, pageEvent, false},
	{"event equals", `event = "Order Completed"`, trackEvent, true},
	{"event missing", `event = "Order Completed"`, pageEvent, false},
	{"event not equals missing", `event != "Order Completed"`, pageEvent, true},
	{"event = null is the string null", `event = null`, pageEvent, false},
	{"event != null is always true without the string null", `event != null`, pageEvent, true},
	{"name equals", `name = "Home"`, pageEvent, true},
	{"name exists", `name != null`, pageEvent, true},
	{"name missing", `name = null`, trackEvent, true},
	{"name = true compares with the string true", `name = true`, groupEvent, true},
	{"userId equals", `userId = "u1"`, pageEvent, true},
	{"userId number literal never matches a numeric userId", `userId = 42`, trackEvent, false},
	{"userId number literal matches the numeric string", `userId = 42`, identifyEvent, true},
	{"userId exists", `userId != null`, aliasEvent, true},
	{"userId not exists", `userId = null`, screenEvent, true},
	{"userId is true", `userId = true`, groupEvent, true},
	{"userId is false", `userId = false`, groupEvent, false},
	{"userId number 007 reads as 7", `userId = 007`, `{"userId":"7"}`, true},
	{"name number 1.50 reads as 1.5", `name = 1.50`, `{"name":"1.5"}`, true},

	// properties, traits, context
	{"property string", `properties.path = "/pricing"`, pageEvent, true},
	{"property number equals", `properties.price = 9.5`, pageEvent, true},
	{"property number not equals", `properties.price != 10`, pageEvent, true},
	{"property number not equals same", `properties.price != 9.5`, pageEvent, false},
	{"number not equals needs a number", `properties.qty != 4`, pageEvent, false},
	{"numeric string is not a number", `properties.qty = 3`, pageEvent, false},
	{"numeric string as string", `properties.qty = "3"`, pageEvent, true},
	{"string not equals on a number", `properties.price != "9.5"`, pageEvent, true},
	{"greater", `properties.price > 9`, pageEvent, true},
	{"greater equal value", `properties.price > 9.5`, pageEvent, false},
	{"less", `properties.price < 10`, pageEvent, true},
	{"greater or equal", `properties.price >= 9.5`, pageEvent, true},
	{"less or equal", `properties.price <= 9.5`, pageEvent, true},
	{"less or equal false", `properties.price <= 9`, pageEvent, false},
	{"compare never holds for numeric strings", `properties.qty > 2`, pageEvent, false},
	{"compare with a string literal converts it", `properties.price < "10"`, pageEvent, true},
	{"compare with a hex string literal", `properties.count < "0x10"`, pageEvent, true},
	{"compare with true is compare with 1", `properties.zero < true`, pageEvent, true},
	{"compare with a word is NaN", `properties.price < abc`, pageEvent, false},
	{"negative number", `properties.price > -1`, pageEvent, true},
	{"null property", `properties.none = null`, pageEvent, true},
	{"missing property is null", `properties.missing = null`, pageEvent, true},
	{"present property is not null", `properties.path = null`, pageEvent, false},
	{"property exists", `properties.path != null`, pageEvent, true},
	{"null property does not exist", `properties.none != null`, pageEvent, false},
	{"true property", `properties.flag = true`, pageEvent, true},
	{"false property", `properties.off = false`, pageEvent, true},
	{"true property is not false", `properties.flag = false`, pageEvent, false},
	{"string true is not true", `properties.qty = true`, pageEvent, false},
	{"!= true compares with the string true", `properties.flag != true`, pageEvent, true},
	{"nested path", `properties.nested.a.b = "deep"`, pageEvent, true},
	{"array length", `properties.tags.length = 2`, pageEvent, true},
	{"string length", `properties.title.length = 7`, pageEvent, true},
	{"string length counts UTF-16 units", `properties.emoji.length = 3`, pageEvent, true},
	{"escaped index into an array", `properties.tags.\1 = "b"`, pageEvent, true},
	{"escaped index into a string", `properties.title.\0 = "P"`, pageEvent, true},
	{"path through a falsy value stops there", `properties.zero.b = 0`, pageEvent, true},
	{"path through an empty string stops there", `properties.empty.x = ""`, pageEvent, true},
	{"built-in member exists", `properties.price.toFixed != null`, pageEvent, true},
	{"object built-in member exists", `properties.nested.constructor != null`, pageEvent, true},
	{"properties without path reads properties.properties", `properties = null`, pageEvent, true},
	{"trait", `traits.email = "alice@example.com"`, identifyEvent, true},
	{"trait number", `traits.age >= 30`, identifyEvent, true},
	{"trait missing", `traits.email != null`, trackEvent, false},
	{"context path", `context.page.url = "https://x.test/pricing?a=1"`, pageEvent, true},
	{"context not equals", `context.locale != "fr"`, pageEvent, true},

	// contains and match
	{"contains name", `contains(name, "om")`, pageEvent, true},
	{"contains name no", `contains(name, "x")`, pageEvent, false},
	{"contains event", `contains(event, "Order")`, trackEvent, true},
	{"contains userId", `contains(userId, "2")`, identifyEvent, true},
	{"contains property", `contains(properties.path, "pric")`, pageEvent, true},
	{"contains trait", `contains(traits.email, "@")`, identifyEvent, true},
	{"contains context", `contains(context.page.url, "?")`, pageEvent, true},
	{"contains needs a string", `contains(properties.price, "9")`, pageEvent, false},
	{"contains empty holds for any string", `contains(name, "")`, pageEvent, true},
	{"contains number literal", `contains(properties.path, 1)`, `{"properties":{"path":"a1"}}`, true},
	{"contains without spaces", `contains(name,"om")`, pageEvent, true},
	{"contains on type is dropped", `contains(type, "x") and name = "Home"`, pageEvent, true},
	{"match prefix", `match(name, "Ho*")`, pageEvent, true},
	{"match prefix no", `match(name, "om*")`, pageEvent, false},
	{"match suffix", `match(name, "*me")`, pageEvent, true},
	{"match suffix no", `match(name, "*Ho")`, pageEvent, false},
	{"match without * drops the first character", `match(name, "xome")`, pageEvent, true},
	{"match without * is a suffix", `match(name, "ome")`, pageEvent, true},
	{"match empty", `match(name, "")`, pageEvent, true},
	{"match star alone", `match(name, "*")`, pageEvent, true},
	{"match property", `match(properties.path, "/pri*")`, pageEvent, true},
	{"match trait suffix", `match(traits.email, "*@example.com")`, identifyEvent, true},
	{"match drops half of an emoji", `match(name, "😀abc")`, `{"name":"🈀abc"}`, true},
	{"match needs a string", `match(properties.count, "3*")`, pageEvent, false},

	// negation
	{"not contains", `!contains(name, "x")`, pageEvent, true},
	{"not contains false", `!contains(name, "o")`, pageEvent, false},
	{"not contains needs a string", `!contains(properties.price, "x")`, pageEvent, false},
	{"not match prefix", `!match(name, "Ho*")`, pageEvent, false},
	{"not match suffix", `!match(name, "*xyz")`, pageEvent, true},
	{"negated group is not negated", `!(type = "page")`, pageEvent, true},
	{"negated comparison is not negated", `!name = "Home"`, pageEvent, true},

	// and, or, parentheses
	{"and", `type = "page" and name = "Home"`, pageEvent, true},
	{"and false", `type = "page" and name = "Nope"`, pageEvent, false},
	{"or", `type = "track" or name = "Home"`, pageEvent, true},
	{"or false", `type = "track" or name = "Nope"`, pageEvent, false},
	{"three ors", `type = "track" or type = "identify" or type = "page"`, pageEvent, true},
	{"parentheses", `(type = "track" or type = "page") and name = "Home"`, pageEvent, true},
	{"parentheses false", `(type = "track" or type = "alias") and name = "Home"`, pageEvent, false},
	{"parentheses last", `name = "Home" and (type = "track" or type = "page")`, pageEvent, true},
	{"group of one", `(type = "page")`, pageEvent, true},
	{"group with a function", `(contains(name, "o"))`, pageEvent, true},

	// quirks
	{"no precedence: last conjunction wins (and)", `type = "track" or type = "page" and name = "Home"`, pageEvent, false},
	{"no precedence: last conjunction wins (or)", `type = "page" and name = "Nope" or userId = "u1"`, pageEvent, true},
	{"upper-case OR is ignored", `type = "track" OR name = "Home"`, pageEvent, false},
	{"upper-case AND is ignored", `type = "page" AND name = "Home"`, pageEvent, true},
	{"no conjunction means and", `type = "page" name = "Home"`, pageEvent, true},
	{"stray closing parenthesis is dropped", `type = "page")`, pageEvent, true},
	{"unknown field is dropped", `foo = "bar" and type = "page"`, pageEvent, true},
	{"Object.prototype field consumes two tokens", `constructor = 5 type = "page"`, pageEvent, true},
	{"empty group after a false condition", `type = "track" and ()`, pageEvent, false},
	{"empty group reached fails the match", `type = "page" and ()`, pageEvent, false},
	{"empty group not reached", `type = "page" or ()`, pageEvent, true},
	{"no space before =", `type="page"`, pageEvent, true},
	{">=5 reads as > then =", `properties.price >=5`, pageEvent, false},
	{"tabs and newlines are spaces", "type\t=\n\"page\"", pageEvent, true},
	{"missing value reads as eos", `name =`, screenEvent, true},
	{"an at the end reads as a", `properties.a = an`, screenEvent, true},
	{"operator as a word", `name contains "om"`, pageEvent, true},
	{"exists as a word", `properties.path exists x`, pageEvent, true},
	{"number then word", `properties.count = 3abc`, pageEvent, true},
	{"lone minus is NaN", `properties.price != -`, pageEvent, true},
	{"escaped identifier", `properties.pa\th = "/pricing"`, pageEvent, true},

	// events that are not objects, or odd
	{"array event", `type != "page"`, `[1,2]`, true},
	{"string event", `type != "page"`, `"page"`, true},
	{"null event", `type != "page"`, `null`, false},
	{"invalid JSON", `type != "page"`, `{"type":`, false},
	{"empty event", `type != "page"`, ``, false},
	{"empty object", `type != "page"`, `{}`, true},
	{"properties is a number", `properties.a = 5`, `{"properties":5}`, false},
	{"properties is zero", `properties.a = 0`, `{"properties":0}`, true},
	{"escaped key in JSON", `properties.a = "x"`, `{"properties":{"\u0061":"x"}}`, true},
	{"unicode value", `event = "日本語"`, `{"event":"日本語"}`, true},
}

func TestMatch(t *testing.T) {
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query)
			require.NoError(t, err)
			assert.Equal(t, tc.want, q.Match([]byte(tc.event)), "Match(%s)", tc.event)
			if gjson.Valid(tc.event) {
				assert.Equal(t, tc.want, q.MatchResult(rawjson.Parse(tc.event)), "MatchResult(%s)", tc.event)
			}
			// The oracle mode differs only for single quotes.
			qo, err := parse(tc.query, true)
			require.NoError(t, err)
			assert.Equal(t, tc.want, qo.Match([]byte(tc.event)))
		})
	}
}

type errorCase struct {
	name   string
	query  string
	msg    string // substring of the error message
	offset int
}

// errorCases are queries parseFql rejects.
var errorCases = []errorCase{
	{"empty", ``, "query has no conditions", -1},
	{"blank", " \t\n", "query has no conditions", -1},
	{"only unknown fields", `foo = "bar"`, "query has no conditions", -1},
	{"only contains on type", `contains(type, "pa")`, "query has no conditions", -1},
	{"only negated nothing", `!foo`, "query has no conditions", -1},
	{"empty group alone", `()`, "query has only empty parentheses", -1},
	{"empty groups and unknown fields", `() foo = 1`, "query has only empty parentheses", -1},
	{"contains on type with parentheses", `contains(type, "x") foo`, "query has no conditions", -1},
	{"field without operator", `type`, `missing value after "type eos"`, 0},
	{"unterminated string", `type = "page`, "unterminated string", 7},
	{"unterminated single-quoted string", `type = 'page`, "unterminated string", 7},
	{"string followed by a letter", `name = "a"b`, "unterminated string", 9},
	{"no space before >", `properties.price>5`, `unexpected ">" after identifier`, 16},
	{"no space before <=", `x<=5`, `unexpected "<" after identifier`, 1},
	{"!= needs a space after", `name!="x"`, `expected "=" and a space after "!"`, 4},
	{"!= needs a space before a number", `properties.a !=10`, `expected "=" and a space after "!"`, 13},
	{"bare !", `!`, `expected "=" and a space after "!"`, 0},
	{"nested parentheses", `((type = "page"))`, `nested "("`, 1},
	{"parenthesis in a group", `(type = "page" and (name = "Home"))`, `nested "("`, 19},
	{"unclosed parenthesis", `(type = "page"`, `unclosed "("`, 0},
	{"index brackets", `properties.a[0] = 1`, `unexpected "[" after identifier`, 12},
	{"carriage return", "type = \"page\" \r\n", `invalid character "\r"`, 14},
	{"carriage return after a string", "type = \"page\"\r\n", "unterminated string", 12},
	{"emoji outside a string", `type = 😀`, `invalid character "😀"`, 7},
	{"ampersand", `type = "page" && name = "Home"`, `invalid character "&"`, 14},
	{"number ends with a dot", `properties.price = 1.`, "number ends with a decimal point", 20},
	{"number with two dots", `properties.price = 1.2.3`, "number has two decimal points", 22},
	{"contains without arguments", `contains`, "contains() is missing a 1st argument", 0},
	{"match without arguments", `match`, "match() is missing a 1st argument", 0},
	{"contains without a value", `contains(name`, "contains() is missing a 2nd argument", 0},
	{"escape at the end", `name = b\`, `expected a character after "\"`, 8},
	{"escape outside the BMP", `properties.\😀 = 1`, "cannot escape", 12},
	{"invalid UTF-8", "type = \"\xff\"", "invalid UTF-8", 8},
	{"string too long", `name = "` + strings.Repeat("a", 100000) + `"`, "string is too long", 7},
	{"identifier too long", `name = ` + strings.Repeat("b", 100000), "identifier is too long", 7},
	{"number too long", `name = 1` + strings.Repeat("0", 100000), "number is too long", 7},
	{"astral characters count twice", `name = "😀` + strings.Repeat("a", 99998) + `"`, "string is too long", 7},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query)
			require.Error(t, err)
			assert.Nil(t, q)
			var se *SyntaxError
			require.True(t, errors.As(err, &se))
			assert.Contains(t, se.Msg, tc.msg)
			assert.Equal(t, tc.offset, se.Offset)
			assert.Equal(t, tc.query, se.Query)
			assert.True(t, strings.HasPrefix(err.Error(), "fql: "), err.Error())
			assert.Less(t, len(err.Error()), 400, "long queries are shortened in messages")
		})
	}
}

func TestLimitsJustBelow(t *testing.T) {
	// One code unit less than each limit parses, as in fql-ts.
	for _, q := range []string{
		`name = "` + strings.Repeat("a", 99999) + `"`,
		`name = ` + strings.Repeat("b", 99999),
		`name = 1` + strings.Repeat("0", 99999),
		`name = "😀` + strings.Repeat("a", 99997) + `"`,
	} {
		_, err := Parse(q)
		assert.NoError(t, err, q[:12])
	}
	q, err := Parse(`name = 1` + strings.Repeat("0", 99999))
	require.NoError(t, err)
	assert.True(t, q.Match([]byte(`{"name":"Infinity"}`)), "1e99999 is Infinity")
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse(`properties.price>5`)
	require.EqualError(t, err, `fql: unexpected ">" after identifier (add a space?) at offset 16 in "properties.price>5"`)
	_, err = Parse(``)
	require.EqualError(t, err, `fql: query has no conditions in ""`)
	_, err = Parse(strings.Repeat("a", 200) + " >")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "…")
}

// TestSingleQuotedStringsDeliberateDifference documents the one place this
// package differs from Segment on purpose. Segment's preset for the Rupt
// destination subscribes with type = 'page'. Segment's parser keeps the
// quotes of a single-quoted string, so it compares the type with the
// seven characters 'page' and never matches. We read 'page' as page.
func TestSingleQuotedStringsDeliberateDifference(t *testing.T) {
	page := []byte(`{"type":"page","name":"Home"}`)

	q, err := Parse(`type = 'page'`)
	require.NoError(t, err)
	assert.True(t, q.Match(page), "we match the preset's page events")

	oracle, err := parse(`type = 'page'`, true)
	require.NoError(t, err)
	assert.False(t, oracle.Match(page), "Segment (oracle mode) never matches")
	assert.True(t, oracle.Match([]byte(`{"type":"'page'"}`)), "Segment compares with the quotes kept")

	for _, tc := range []struct {
		query string
		event string
		ours  bool
		seg   bool
	}{
		{`type = 'page'`, `{"type":"page"}`, true, false},
		{`name = 'Home' and type = "page"`, `{"type":"page","name":"Home"}`, true, false},
		{`match(name, 'Ho*')`, `{"name":"Home"}`, true, false},
		{`match(name, '*me')`, `{"name":"Home"}`, true, false},
		{`match(name, 'xome')`, `{"name":"Home"}`, true, false},
		{`contains(name, 'om')`, `{"name":"Home"}`, true, false},
		{`properties.a < '5'`, `{"properties":{"a":4}}`, true, false},
		{`properties.a = ''`, `{"properties":{"a":""}}`, true, false},
		{`properties.a != 'x'`, `{"properties":{"a":"x"}}`, false, true},
		{`name = 'it"s'`, `{"name":"it\"s"}`, true, false},
	} {
		q, err := Parse(tc.query)
		require.NoError(t, err, tc.query)
		assert.Equal(t, tc.ours, q.Match([]byte(tc.event)), "ours: %s", tc.query)
		qo, err := parse(tc.query, true)
		require.NoError(t, err, tc.query)
		assert.Equal(t, tc.seg, qo.Match([]byte(tc.event)), "Segment: %s", tc.query)
	}
}

func TestQueryString(t *testing.T) {
	q, err := Parse(`type = "page"`)
	require.NoError(t, err)
	assert.Equal(t, `type = "page"`, q.String())
	var nilQuery *Query
	assert.False(t, nilQuery.Match([]byte(`{}`)))
	assert.False(t, nilQuery.MatchResult(rawjson.Parse(`{}`)))
	assert.False(t, q.MatchResult(rawjson.Value{}), "undefined event")
}

func TestNeverPanics(t *testing.T) {
	inputs := []string{
		strings.Repeat("(", 100000),
		strings.Repeat(")", 100000),
		strings.Repeat("(type = \"page\")", 10000),
		strings.Repeat("!", 1000) + "contains(name, \"x\")",
		strings.Repeat("properties.a.", 50000) + "b = 1",
		strings.Repeat("type = \"page\" and ", 50000) + "name = \"x\"",
		strings.Repeat(`"a"`, 10000),
		strings.Repeat("\\", 1001),
		"\xff\xfe", "\x00", "a\x00", "type = \"\x00\"",
		"contains(", "match(name, ", "!(", "( ) ( ) ( )", "(contains(", "an", "nu", "o", "a\\",
	}
	for _, in := range inputs {
		q, err := Parse(in)
		if err == nil {
			q.Match([]byte(pageEvent))
		}
	}
}
