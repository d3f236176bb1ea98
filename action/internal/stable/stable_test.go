package stable

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// pairs sort by key alone; seq records the original order, so stability
// shows.
type pairs []struct{ key, seq int }

func (p pairs) Len() int           { return len(p) }
func (p pairs) Less(i, j int) bool { return p[i].key < p[j].key }
func (p pairs) Swap(i, j int)      { p[i], p[j] = p[j], p[i] }

// TestSortAsSortStable: on random collections of every size up to 300,
// with few distinct keys (many ties), Sort gives exactly sort.Stable's
// order.
func TestSortAsSortStable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 300; n++ {
		for _, keys := range []int{1, 3, n + 1} {
			a := make(pairs, n)
			for i := range a {
				a[i].key, a[i].seq = r.IntN(keys), i
			}
			b := append(pairs(nil), a...)
			Sort(a)
			sort.Stable(b)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("n=%d keys=%d: at %d got %v, sort.Stable %v", n, keys, i, a[i], b[i])
				}
			}
		}
	}
}

// TestSortLarge: a large collection in n log n comparisons and n swaps at
// most.
func TestSortLarge(t *testing.T) {
	const n = 100000
	a := make(pairs, n)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range a {
		a[i].key, a[i].seq = r.IntN(1000), i
	}
	c := &counting{pairs: a}
	Sort(c)
	if !sort.SliceIsSorted(a, func(i, j int) bool { return a[i].key < a[j].key || a[i].key == a[j].key && a[i].seq < a[j].seq }) {
		t.Fatal("not stably sorted")
	}
	if c.less > n*17 || c.swap > n {
		t.Fatalf("%d comparisons and %d swaps for %d members", c.less, c.swap, n)
	}
}

type counting struct {
	pairs
	less, swap int
}

func (c *counting) Less(i, j int) bool { c.less++; return c.pairs.Less(i, j) }
func (c *counting) Swap(i, j int)      { c.swap++; c.pairs.Swap(i, j) }
