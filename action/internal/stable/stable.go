// Package stable sorts stably without package sort, whose stable sort
// (insertion sort, symMerge and rotate) costs the download about 7 KB of
// WebAssembly.
package stable

// Interface is what Sort needs of the collection: sort.Interface's
// methods.
type Interface interface {
	Len() int
	Less(i, j int) bool
	Swap(i, j int)
}

// Sort sorts data stably: members that are not Less one than the other
// keep their order. It merge-sorts the positions (at most n log n
// comparisons, on the collection as it was), then moves each member into
// place with at most n swaps.
func Sort(data Interface) {
	n := data.Len()
	if n < 2 {
		return
	}
	// to[k] is where, in data as it was, the member that ends at k is.
	to, tmp := make([]int, n), make([]int, n)
	for i := range to {
		to[i] = i
	}
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for ; i < mid && j < hi; k++ {
				if data.Less(to[j], to[i]) {
					tmp[k], j = to[j], j+1
				} else {
					tmp[k], i = to[i], i+1
				}
			}
			k += copy(tmp[k:], to[i:mid])
			copy(tmp[k:], to[j:hi])
		}
		to, tmp = tmp, to
	}
	// Follow each cycle of the permutation: swapping k with to[k] puts
	// at k the member it wants and moves the one that was at k on to
	// where the next wants it; a place done is marked to[k] == k.
	for start := range to {
		k := start
		for to[k] != start && to[k] != k {
			j := to[k]
			data.Swap(k, j)
			to[k] = k
			k = j
		}
		to[k] = k
	}
}
