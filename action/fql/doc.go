// Package fql parses and evaluates Segment subscription queries (FQL), the
// `subscribe` strings that decide which events an action receives, such as
//
//	type = "track" and event = "Order Completed"
//
// It agrees with Segment's own evaluator, parseFql + validate from
// @segment/destination-subscriptions 3.37.0 (lexer @segment/fql-ts 1.10.1),
// on every query and event, with one deliberate difference described below.
// A differential test (TestOracleCases, testdata/cases.json) holds the two
// to that.
//
// # Grammar
//
// A query is a sequence of conditions joined by "and" or "or":
//
//	type = "page"                    event type (track, page, identify, group, alias, screen)
//	event = "Signed Up"              track event name
//	name = "Home"                    page/screen name; also name != null, name = null
//	userId = "u1"                    also userId != null, = null, = true, = false
//	properties.<path> <op> <value>   also traits.<path> and context.<path>
//	contains(<field>, "x")           substring; field: event, name, userId, properties.*, traits.*, context.*
//	match(<field>, "prefix*")        starts with "prefix"
//	match(<field>, "*suffix")        ends with "suffix"
//	!contains(...), !match(...)      negation (of functions only)
//	( ... )                          one level of parentheses
//
// Operators are = != < <= > >=. For properties, traits and context, "= null"
// means the value is missing or null and "!= null" that it exists;
// "= true"/"= false" test for a JSON boolean; "= 12"/"!= 12" compare with a
// JSON number. Any other "=" compares with a string: the value must be that
// exact JSON string. "<", "<=", ">", ">=" only ever hold for JSON numbers.
// Paths are dotted (properties.product.price); a path can also read
// .length of a string or array, and an escaped digit indexes one
// (properties.tags.\0). For type and event, "= null" compares with the
// string "null".
//
// # Quirks copied from Segment
//
// Segment's evaluator is what users test their subscriptions against, so
// its surprises are kept:
//
//   - No precedence: a sequence (and each group) is combined with the last
//     "and"/"or" it contains, so `a or b and c` means `a and b and c`.
//   - "and", "or", "null" must be lower case and followed by a space, ",",
//     ")" or "]" or the end; AND/OR are ignored, so `a AND b` is `a and b`.
//   - Parts that do not make a condition are skipped silently: unknown
//     fields, a stray ")", "!" before anything but contains/match (so
//     `!(type = "page")` is `type = "page"`), contains/match on type.
//   - Parentheses do not nest: a "(" inside a group is a syntax error. A
//     group ends at the first ")" token, so `(contains(name, "x"))` works.
//     An empty group `()` next to a condition parses but makes the query
//     fail (no match) when it is reached; on its own it is a syntax error.
//   - Spacing matters: `x>5` and `x!="a"` are syntax errors; `!=` must be
//     followed by white space (or ",", ")", "]", the end); `>=5` reads as ">" then "=", which never
//     holds; `"a"b` is a syntax error. A carriage return is an invalid
//     character.
//   - Strings have no escapes. Numbers are digits with at most one ".";
//     `userId = 42` compares with the string "42" (it never matches a
//     numeric userId); "<" and ">" never hold for numeric strings.
//   - match(x, "abc") without "*" means "ends with bc": the first character
//     is dropped. match(x, "") and contains(x, "") hold for every string.
//   - A missing value reads as the text "eos": `name =` matches the name
//     "eos". At the very end of a query "an" reads as "a" and "nu"/"nul"
//     as "n".
//   - An operator can also be written as a word: `name contains "x"`,
//     `properties.a exists 1`.
//   - A path through a falsy value stops there: with properties.a = 0,
//     properties.a.b is 0. properties.a[0] is a syntax error.
//
// # Deliberate difference
//
// Segment's parser keeps the quotes of a single-quoted string, so
// `type = 'page'` compares the type with the five characters 'page' (quotes
// included) and never matches. Segment's own preset for the Rupt
// destination uses exactly that query. This package treats a single-quoted
// string as the text inside the quotes, like a double-quoted one, so the
// preset matches page events. Everything else follows Segment.
//
// # Limits
//
// Built-in members reached through a path (properties.price.toFixed) exist
// but reading further into them (properties.price.toFixed.name) is
// undefined here. JSON objects with duplicate keys use the first value
// (JavaScript uses the last), and JSON strings with unpaired surrogate
// escapes read as U+FFFD. Events produced by JSON.stringify have neither.
package fql
