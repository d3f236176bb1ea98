package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sha256Hex is hex256 as a string.
func sha256Hex(b []byte) string {
	h := hex256(b)
	return string(h[:])
}

func TestSHA256MatchesCrypto(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(b []byte) {
		want := sha256.Sum256(b)
		assert.Equal(t, want, sum256(b), "len %d", len(b))
		assert.Equal(t, hex.EncodeToString(want[:]), sha256Hex(b), "len %d", len(b))
	}
	// Every length around the padding boundaries (55/56/64, two blocks...).
	for n := 0; n <= 300; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		check(b)
	}
	// Many random inputs, up to 64 KiB.
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.IntN(1<<r.IntN(17)+1))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		check(b)
	}
	// Known answers (FIPS 180-4 examples).
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha256Hex(nil))
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha256Hex([]byte("abc")))
	assert.Equal(t, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		sha256Hex([]byte("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
}

func TestSHA256DoesNotAllocate(t *testing.T) {
	b := make([]byte, 1000)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = hex256(b) }))
}

func BenchmarkSHA256(b *testing.B) {
	for _, n := range []int{64, 1024, 16 << 10, 128 << 10} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i)
		}
		b.Run("pure-go/"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				_ = sum256(data)
			}
		})
		b.Run("crypto/"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				_ = sha256.Sum256(data)
			}
		})
	}
}
