package fingerprint

// The sorts here go through one non-generic stable sort
// (internal/stable): each slices.SortFunc instantiation for another element
// type added about 15 KB of WebAssembly, and package sort's stable sort
// 7 KB, and the download has a size budget.

// byKey orders an object's members by key (compareKeys) over data.
type byKey struct {
	mem  []member
	data []byte
}

func (s byKey) Len() int      { return len(s.mem) }
func (s byKey) Swap(i, j int) { s.mem[i], s.mem[j] = s.mem[j], s.mem[i] }
func (s byKey) Less(i, j int) bool {
	a, b := s.mem[i], s.mem[j]
	return compareKeys(s.data[a.ks:a.ke], s.data[b.ks:b.ke]) < 0
}

// byIndexString orders an array's members by their indexes as strings
// (compareIndexStrings).
type byIndexString []member

func (s byIndexString) Len() int           { return len(s) }
func (s byIndexString) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byIndexString) Less(i, j int) bool { return compareIndexStrings(s[i].ks, s[j].ks) < 0 }

// indexFirst orders canonical members array-index keys first, ascending,
// then the others; a stable sort keeps the others in creation order.
type indexFirst []canonMember

func (s indexFirst) Len() int      { return len(s) }
func (s indexFirst) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s indexFirst) Less(i, j int) bool {
	a, b := s[i].index, s[j].index
	return a >= 0 && (b < 0 || a < b)
}
