package jsnum

// MaxArrayIndex is the largest array index, 2^32-2: JavaScript array
// lengths are at most 2^32-1.
const MaxArrayIndex = 1<<32 - 2

// ArrayIndex reports whether the property key k (a string, or raw bytes of
// one) is an array index: the canonical decimal form of an integer in
// [0, MaxArrayIndex], without sign or leading zeros ("0", "42", not "01",
// "-1" or "4294967295"). It returns the index when it is one. Such keys
// come first, in ascending order, in Object.keys, for...in and
// JSON.stringify of every object, and are an array's elements and a
// string's code units.
func ArrayIndex[K string | []byte](k K) (uint32, bool) {
	if len(k) == 0 || len(k) > 10 || (k[0] == '0' && len(k) > 1) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > MaxArrayIndex {
		return 0, false
	}
	return uint32(n), true
}
