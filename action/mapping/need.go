package mapping

// A mapping usually reads a handful of paths from an event of a few
// kilobytes ($.userId, $.context.traits.email). need is the part of the
// event a compiled mapping can read, worked out once at Compile, so that
// Apply builds values only for that part: the rest of the event is still
// read and checked exactly as JSON.parse would (every syntax error, the
// depth limit, a "__proto__" key), but nothing is allocated for it.
//
// A need is a tree of property keys. A nil *need stands for a whole value.
// The sentinel skipAll stands for a value that is checked and dropped.
type need struct {
	kids []needKid
}

type needKid struct {
	key string
	n   *need // nil: the whole value under key
}

// skipAll marks a value the mapping never reads.
var skipAll = &need{}

// child reports whether key is needed, and what of its value.
func (n *need) child(key string) (*need, bool) {
	for i := range n.kids {
		if n.kids[i].key == key {
			return n.kids[i].n, true
		}
	}
	return nil, false
}

// add records a path: keys from the event's root; the value at its end is
// needed whole.
func (n *need) add(keys []string) {
	for i, k := range keys {
		j := -1
		for x := range n.kids {
			if n.kids[x].key == k {
				j = x
				break
			}
		}
		last := i == len(keys)-1
		switch {
		case j < 0 && last:
			n.kids = append(n.kids, needKid{key: k})
			return
		case j < 0:
			c := &need{}
			n.kids = append(n.kids, needKid{key: k, n: c})
			n = c
		case n.kids[j].n == nil: // already needed whole
			return
		case last:
			n.kids[j].n = nil
			return
		default:
			n = n.kids[j].n
		}
	}
}

// maxNeedPaths bounds the paths a need records. Real mappings read a few;
// past this, building the whole event costs little more than the lookups,
// and a destination (kept for the page's life) holds no large need tree.
const maxNeedPaths = 64

// needOf works out what of an event a mapping (after mappingToProcess) can
// read: nil when that cannot be known without the event (a computed path,
// a template, @arrayPath's items), or when a path reads the whole event.
//
// The rule it relies on: only @path, @template, @liquid and @arrayPath
// read the event directly; every other directive passes it on to the
// mapping values in its options, which this walk visits, each as a
// possible mapping. Visiting more than is evaluated only adds paths, which
// is safe. Values reach the output only at the end of a path, and those
// are needed whole.
func needOf(m value) *need {
	root := &need{}
	whole := false
	paths := 0
	var walk func(v value)
	walk = func(v value) {
		switch v.k {
		case kArr:
			for _, e := range v.c.vals {
				walk(e)
			}
		case kObj:
			name, ok := directiveName(v)
			if !ok {
				for _, e := range v.c.vals {
					walk(e)
				}
				return
			}
			opts, _ := v.c.get(name)
			switch name {
			case "@path":
				if opts.k != kStr {
					whole = true
					return
				}
				// The path is split once here, for every event: kept
				// on the directive, with its plain keys (isPlainKey).
				p := stripDollarDot(opts.s)
				keys := splitPath(p, nil)
				split := &splitKeys{keys: keys, whole: p == "" || p == "."}
				for i, k := range keys {
					if i < 64 && isPlainKey(k) {
						split.plain |= 1 << i
					}
				}
				v.c.path = split
				if p == "" || p == "." || len(keys) == 0 {
					whole = true
					return
				}
				if paths++; paths > maxNeedPaths {
					whole = true
					return
				}
				root.add(keys)
			case "@template", "@liquid", "@arrayPath":
				whole = true
			default:
				walk(opts)
			}
		}
	}
	walk(m)
	if whole {
		return nil
	}
	return root
}
