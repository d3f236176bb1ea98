// The Go runtime's side of a GOOS=js GOARCH=wasm program that does not use
// syscall/js: the eight "gojs" imports its runtime makes (a clock, timers,
// random bytes, output, exit) and the start. It stands in for Go's
// lib/wasm/wasm_exec.js, most of which serves syscall/js (a value table,
// callbacks, a file system for os); this program imports none of that
// (wasm/main.go), so the shim ships only this. goloader.test.mjs checks
// that these are exactly the imports rupt-actions.wasm makes.
//
// Every import gets sp, the Go stack pointer: its arguments are at sp + 8
// onward, 8 bytes apart, and results are written there. 64-bit integers
// are read and written as two 32-bit halves, little-endian.

/**
 * A Go program on one instance.
 * @typedef {object} GoProgram
 * @property {WebAssembly.ModuleImports} imports the "gojs" import module
 * @property {(instance: WebAssembly.Instance) => void} run starts the program: Go's init and main run until main blocks, or the program ends
 * @property {() => boolean} exited whether the program has ended (a fatal error or os.Exit)
 */

/**
 * goProgram makes the imports of one Go program and the means to run it.
 * Its output (a panic's message and stack, on standard error) goes to the
 * console, a line at a time.
 * @param {string[]} argv
 * @returns {GoProgram}
 */
export function goProgram(argv) {
  /** @type {WebAssembly.Instance | undefined} */
  let inst
  /** @type {DataView} */
  let mem
  let exited = false
  let nextTimeout = 1
  /** @type {Map<number, ReturnType<typeof setTimeout>>} */
  const timeouts = new Map()
  const decoder = new TextDecoder()
  let line = ''
  const exports = () => /** @type {any} */ (/** @type {WebAssembly.Instance} */ (inst).exports)
  const setInt64 = (/** @type {number} */ at, /** @type {number} */ v) => {
    mem.setUint32(at, v, true)
    mem.setUint32(at + 4, Math.floor(v / 4294967296), true)
  }
  const getInt64 = (/** @type {number} */ at) => mem.getUint32(at, true) + mem.getInt32(at + 4, true) * 4294967296
  const bytes = (/** @type {number} */ at, /** @type {number} */ n) => new Uint8Array(exports().mem.buffer, at, n)
  const timeOrigin = Date.now() - performance.now()
  const resume = () => {
    if (!exited) exports().resume()
  }
  /** @type {Record<string, (sp: number) => void>} */
  const imports = {
    // The exit code (at sp + 8) is not read: the shim only needs to know
    // the program ended.
    'runtime.wasmExit': () => {
      exited = true
      inst = undefined
      for (const t of timeouts.values()) clearTimeout(t)
      timeouts.clear()
    },
    'runtime.wasmWrite': (sp) => {
      sp >>>= 0
      line += decoder.decode(bytes(getInt64(sp + 16), mem.getInt32(sp + 24, true)), { stream: true })
      const nl = line.lastIndexOf('\n')
      if (nl >= 0) {
        console.error(`rupt-actions (Go): ${line.slice(0, nl)}`)
        line = line.slice(nl + 1)
      }
    },
    'runtime.resetMemoryDataView': () => {
      mem = new DataView(exports().mem.buffer)
    },
    'runtime.nanotime1': (sp) => setInt64((sp >>> 0) + 8, (timeOrigin + performance.now()) * 1000000),
    'runtime.walltime': (sp) => {
      sp >>>= 0
      const ms = Date.now()
      setInt64(sp + 8, ms / 1000)
      mem.setInt32(sp + 16, (ms % 1000) * 1000000, true)
    },
    'runtime.scheduleTimeoutEvent': (sp) => {
      sp >>>= 0
      const id = nextTimeout++
      timeouts.set(id, setTimeout(() => {
        // Go clears the event when it handles it; resume until it has.
        while (timeouts.has(id) && !exited) resume()
      }, getInt64(sp + 8)))
      mem.setInt32(sp + 16, id, true)
    },
    'runtime.clearTimeoutEvent': (sp) => {
      const id = mem.getInt32((sp >>> 0) + 8, true)
      clearTimeout(timeouts.get(id))
      timeouts.delete(id)
    },
    'runtime.getRandomData': (sp) => {
      sp >>>= 0
      crypto.getRandomValues(bytes(getInt64(sp + 8), getInt64(sp + 16)))
    },
  }
  return {
    imports,
    exited: () => exited,
    run: (instance) => {
      inst = instance
      mem = new DataView(exports().mem.buffer)
      // argv, then an empty environment, as NUL-terminated strings from
      // offset 4096, each 8-byte aligned, then the two pointer lists
      // (each ended by 0), below the program's data at 4096 + 8192.
      let at = 4096
      const ptrs = argv.map((arg) => {
        const b = new TextEncoder().encode(arg + '\0')
        bytes(at, b.length).set(b)
        const p = at
        at += (b.length + 7) & ~7
        return p
      })
      ptrs.push(0, 0)
      const list = at
      for (const p of ptrs) {
        setInt64(at, p)
        at += 8
      }
      if (at >= 4096 + 8192) throw new Error('the Go program\'s arguments are too long')
      exports().run(argv.length, list)
    },
  }
}
