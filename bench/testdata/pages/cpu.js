// Per-event CPU (figure 5) and WASM linear memory (figure 6), run by bench
// through window.benchCPU / window.benchMemory. The page loads
// dist/wasm_exec.js (globalThis.Go) and bench's esbuild bundle of Segment's
// runtime (window.segmentRuntime) first.
;(function () {
  'use strict'

  // A small deterministic PRNG, so every run times the same events.
  function rng(seed) {
    let s = seed >>> 0
    return () => {
      s = (s + 0x6d2b79f5) >>> 0
      let t = s
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }

  const PATHS = ['/', '/watch', '/browse/movies', '/browse/series', '/account', '/watch/tt0111161', '/search']
  const TITLES = ['Home', 'Watch', 'Movies', 'Series', 'Account', 'The Shawshank Redemption', 'Search']

  // makeEvents builds n page events shaped like analytics.js (1.84) sends
  // them to destinations: properties and context.page from the page,
  // context.traits sometimes carrying an email or phone, library, locale,
  // user agent data, message id and timestamps.
  function makeEvents(n, seed) {
    const r = rng(seed)
    const out = new Array(n)
    for (let i = 0; i < n; i++) {
      const p = Math.floor(r() * PATHS.length)
      const path = PATHS[p]
      const url = 'https://stream.example' + path + (r() < 0.3 ? '?utm_source=news&utm_medium=email' : '')
      const search = url.includes('?') ? url.slice(url.indexOf('?')) : ''
      const account = r() < 0.9 ? 'acct-' + Math.floor(r() * 100000) : Math.floor(r() * 100000)
      const traits = {}
      const props = { path, referrer: 'https://stream.example/', search, title: TITLES[p], url }
      const e = r()
      if (e < 0.5) traits.email = 'viewer' + i + '@example.com'
      else if (e < 0.75) props.email = 'viewer' + i + '@example.com'
      if (r() < 0.2) traits.phone = '+1555' + String(1000000 + i)
      out[i] = {
        type: 'page',
        name: TITLES[p],
        properties: props,
        userId: account,
        anonymousId: 'a1b2c3d4-' + (100000 + i),
        messageId: 'ajs-next-' + (1700000000000 + i) + '-' + Math.floor(r() * 1e9).toString(16),
        timestamp: new Date(1700000000000 + i * 1000).toISOString(),
        integrations: {},
        context: {
          page: { path, referrer: 'https://stream.example/', search, title: TITLES[p], url },
          traits,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
          userAgentData: { brands: [{ brand: 'Chromium', version: '156' }, { brand: 'Not=A?Brand', version: '24' }], mobile: false, platform: 'Linux' },
          locale: 'en-US',
          library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
          timezone: 'UTC',
        },
        _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
      }
    }
    return out
  }

  function hex(n, r) {
    let s = ''
    while (s.length < n) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0')
    return s.slice(0, n)
  }

  // The device both variants attach with: real legacy signals from Rupt's
  // getSignals() in this browser, fingerprints of the real length.
  async function makeDevice() {
    const r = rng(7)
    let signals
    try {
      signals = await window.segmentRuntime.getSignals()
    } catch (e) {
      signals = { platform: { value: navigator.platform } }
    }
    return {
      path: '/watch',
      url: 'https://stream.example/watch',
      signals,
      fingerprint: hex(2048, r),
      last_fingerprint: hex(2048, r),
    }
  }

  function settings(subscribe, mapping) {
    return {
      client_id: 'bench-client-id',
      new_account_url: 'https://stream.example/new-account',
      logout_url: 'https://stream.example/logged-out',
      success_url: 'https://stream.example/welcome-back',
      suspended_url: 'https://stream.example/suspended',
      api_base: 'https://api.rupt.dev',
      subscriptions: [{ name: 'Attach Device', subscribe, partnerAction: 'attach', enabled: true, mapping }],
    }
  }

  let goPromise
  // loadGo loads dist/rupt-actions.wasm with Go's own wasm_exec.js and
  // binds its exports as the shim does (jsbridge/src/exports.js).
  function loadGo() {
    if (!goPromise) {
      goPromise = (async () => {
        const go = new Go()
        go.argv = ['rupt-actions']
        go.env = {}
        const { instance } = await WebAssembly.instantiateStreaming(fetch('/dist/rupt-actions.wasm', { cache: 'no-store' }), go.importObject)
        go.run(instance)
        const api = window.bindGo(instance.exports)
        return { api, instance, memory: () => instance.exports.mem.buffer.byteLength }
      })()
    }
    return goPromise
  }

  // Segment's runtime on one event: FQL validate against the AST parsed
  // once, mapping-kit transform, and the attach request Rupt's SDK builds
  // (URL, headers, JSON body: the same keys and values, in its order).
  function segmentEvaluate(rt, subs, s, event, device) {
    const out = []
    for (const sub of subs) {
      if (!rt.validate(sub.ast || rt.parseFql(sub.subscribe), event)) continue
      const payload = rt.transform(sub.mapping, event)
      const includePage = payload.include_page !== false
      out.push({
        url: s.api_base + '/v2/device/attach',
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Basic ' + s.client_id + ':' },
        body: JSON.stringify({
          user: payload.account,
          signals: device.signals,
          metadata: payload.metadata,
          limit_config: undefined,
          fingerprint: device.fingerprint,
          last_fingerprint: device.last_fingerprint,
          callbacks: { on_challenge: false, limit_exceeded: false },
          redirects: { new_account: s.new_account_url != null, logout: s.logout_url != null },
          last_blocking_access: device.last_blocking_access,
          last_challenge: device.last_challenge,
          client: 'javascript',
          version: '2.24.1',
          page: includePage ? device.path : undefined,
          email: payload.email,
          phone: payload.phone,
        }),
      })
    }
    return out
  }

  function canonical(v) {
    if (Array.isArray(v)) return v.map(canonical)
    if (v && typeof v === 'object') {
      const o = {}
      for (const k of Object.keys(v).sort()) o[k] = canonical(v[k])
      return o
    }
    return v
  }
  const same = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))

  const median = (xs) => {
    const s = xs.slice().sort((a, b) => a - b)
    const m = s.length >> 1
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
  }

  // benchCPU times n events per repetition, reps repetitions, the variants
  // interleaved; it returns per-event microseconds per repetition.
  window.benchCPU = async function (opts) {
    const n = opts.events
    const reps = opts.reps
    const rt = window.segmentRuntime
    const { api, memory } = await loadGo()
    const s = settings(opts.subscribe, opts.mapping)
    const conf = JSON.parse(api.configure(JSON.stringify(s)))
    if (conf.error) throw new Error('configure: ' + conf.error)
    if (conf.active !== 1) throw new Error('configure: ' + JSON.stringify(conf))
    const id = conf.id
    const base = await makeDevice()
    // As the shim does: the signals go to Go once per document (Go hashes
    // the muted signals into the fingerprint and keeps both); each event
    // then carries only the small per-event context. The Segment path
    // gets the same fingerprint, and sends the signals every time, as
    // Rupt's SDK does.
    const handed = JSON.parse(api.deviceSignals(JSON.stringify(base.signals), JSON.stringify({ device: { isChromiumBrowser: true }, bench: 1 })))
    if (handed.error) throw new Error('deviceSignals: ' + handed.error)
    base.fingerprint = handed.fingerprint
    const events = makeEvents(n, 42)
    // The device as the shim would capture it for each event: the page's
    // location (path, url) is where the page view happened.
    const devices = {}
    const deviceFor = (e) => {
      const p = e.context.page
      let d = devices[p.path]
      if (!d) d = devices[p.path] = { ...base, path: p.path, url: p.url }
      return d
    }
    const deviceStrs = {}
    const deviceStrFor = (e) => deviceStrs[e.context.page.path] || (deviceStrs[e.context.page.path] = JSON.stringify({
      path: e.context.page.path, url: e.context.page.url, last_fingerprint: base.last_fingerprint,
    }))
    const small = JSON.stringify({ path: '/watch', url: 'https://stream.example/watch', fingerprint: 'fp' })
    const subsOnce = s.subscriptions.map((x) => ({ ...x, ast: rt.parseFql(x.subscribe) }))
    const subsEach = s.subscriptions.map((x) => ({ ...x }))
    const eventStrs = events.map((e) => JSON.stringify(e))
    // Our Go side attaches at most once per account and path in a page's
    // lifetime (later events are answered "skipped", without a request).
    // To time the whole path on every event, each pass gets accounts of
    // its own (strings stay strings, numbers numbers), made before timing.
    const numeric = events.map((e) => typeof e.userId === 'number')
    let pass = 0
    const relabel = () => {
      pass++
      for (let i = 0; i < n; i++) {
        events[i].userId = numeric[i] ? pass * 1e6 + i : 'acct-' + pass + '-' + i
        eventStrs[i] = JSON.stringify(events[i])
      }
    }
    relabel()

    // The same answer from both, checked on every event; differences are
    // counted per body key.
    let agree = 0
    let requestsOurs = 0
    let requestsSeg = 0
    const diffKeys = {}
    for (let i = 0; i < n; i++) {
      const ours = JSON.parse(api.attachDevice(id, eventStrs[i], deviceStrFor(events[i])))
      const seg = segmentEvaluate(rt, subsOnce, s, events[i], deviceFor(events[i]))
      const ob = (ours.requests || []).map((r) => JSON.parse(r.body))
      const sb = seg.map((r) => JSON.parse(r.body))
      requestsOurs += ob.length
      requestsSeg += sb.length
      if (ob.length === sb.length && ob.every((b, j) => same(b, sb[j]))) {
        agree++
        continue
      }
      const a = ob[0] || {}
      const b = sb[0] || {}
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (same(a[k], b[k])) continue
        const d = diffKeys[k] || (diffKeys[k] = { count: 0, ours: JSON.stringify(a[k]), segment: JSON.stringify(b[k]) })
        d.count++
      }
      if (ob.length !== sb.length) {
        const d = diffKeys['(request count)'] || (diffKeys['(request count)'] = { count: 0, ours: String(ob.length), segment: String(sb.length) })
        d.count++
      }
    }

    const variants = {
      // What the shim's runtime does per event (jsbridge/src/runtime.js):
      // stringify the event and the per-event device context, call Go,
      // parse the answer (the signals were handed over once, above).
      ours: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) {
          const p = events[i].context.page
          const res = JSON.parse(api.attachDevice(id, JSON.stringify(events[i]), JSON.stringify({ path: p.path, url: p.url, last_fingerprint: base.last_fingerprint })))
          k += res.requests ? res.requests.length : 0
        }
        return k
      },
      // The Go call alone, on strings made beforehand.
      oursGoOnly: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) k += api.attachDevice(id, eventStrs[i], deviceStrFor(events[i])).length
        return k
      },
      // Diagnostic: the Go call with a device of a few bytes (no signals,
      // short fingerprint), to separate per-byte from per-call cost.
      oursGoOnlySmallDevice: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) k += api.attachDevice(id, eventStrs[i], small).length
        return k
      },
      // Diagnostic: the cheapest call there is (an unknown destination id,
      // answered with a short error): the JS→Go→JS crossing and the answer's
      // encoding, without any event work.
      oursGoCallFloor: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) k += api.attachDevice(-1, '', '').length
        return k
      },
      segment: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) k += segmentEvaluate(rt, subsOnce, s, events[i], deviceFor(events[i])).length
        return k
      },
      // As Segment's browser-destination-runtime really does it: parseFql
      // on every event.
      segmentParseEach: (m) => {
        let k = 0
        for (let i = 0; i < m; i++) k += segmentEvaluate(rt, subsEach, s, events[i], deviceFor(events[i])).length
        return k
      },
    }
    const names = Object.keys(variants)
    // Warm-up: JIT both sides, settle Go's heap.
    for (const name of names) {
      relabel()
      variants[name](Math.min(n, 1000))
    }
    const times = {}
    for (const name of names) times[name] = []
    for (let r = 0; r < reps; r++) {
      for (const name of (r % 2 ? names.slice().reverse() : names)) {
        relabel()
        const t0 = performance.now()
        variants[name](n)
        const dt = performance.now() - t0
        times[name].push((dt * 1000) / n)
      }
      await new Promise((res) => setTimeout(res, 0))
    }
    const medians = {}
    for (const name of names) medians[name] = median(times[name])
    return {
      events: n,
      reps,
      perEventMicros: times,
      medianMicros: medians,
      agree,
      requestsOurs,
      requestsSeg,
      diffKeys,
      sample: { settings: JSON.stringify(s), event: eventStrs[0], device: deviceStrFor(events[0]) },
      eventBytesMedian: median(eventStrs.map((x) => x.length)),
      deviceBytes: deviceStrFor(events[0]).length,
      wasmMemory: memory(),
    }
  }

  // benchStartup, in a fresh page, times the start-up of the Go side step
  // by step (cold), and hashing the fingerprint signals in Go vs
  // @ruptjs/fingerprint's getFuzzyHash (WebCrypto SHA-256).
  window.benchStartup = async function (opts) {
    const out = {}
    const go = new Go()
    go.argv = ['rupt-actions']
    go.env = {}
    let t = performance.now()
    const { instance } = await WebAssembly.instantiateStreaming(fetch('/dist/rupt-actions.wasm', { cache: 'no-store' }), go.importObject)
    out.fetchCompileInstantiate = performance.now() - t
    t = performance.now()
    go.run(instance) // runs Go's init and main until main blocks
    out.goRun = performance.now() - t
    const api = window.bindGo(instance.exports)
    const s = settings(opts.subscribe, opts.mapping)
    t = performance.now()
    const conf = JSON.parse(api.configure(JSON.stringify(s)))
    out.configure = performance.now() - t
    if (conf.error) throw new Error('configure: ' + conf.error)
    const device = await makeDevice()
    const evs = makeEvents(6, 3)
    t = performance.now()
    JSON.parse(api.attachDevice(conf.id, JSON.stringify(evs[0]), JSON.stringify(device)))
    out.firstAttachDevice = performance.now() - t
    const warm = []
    for (let i = 1; i < evs.length; i++) {
      t = performance.now()
      JSON.parse(api.attachDevice(conf.id, JSON.stringify(evs[i]), JSON.stringify(device)))
      warm.push(performance.now() - t)
    }
    out.warmAttachDevice = median(warm)

    const FP = window.segmentRuntime.fingerprint
    t = performance.now()
    const raw = await FP.getSignals()
    out.collectSignals = performance.now() - t
    t = performance.now()
    const muted = FP.muteSignals(raw)
    const json = JSON.stringify(muted)
    out.muteAndStringify = performance.now() - t
    out.signalsBytes = json.length
    const goTimes = []
    let goHash
    for (let k = 0; k < opts.hashReps; k++) {
      t = performance.now()
      const r = JSON.parse(api.fingerprint(json))
      goTimes.push(performance.now() - t)
      if (r.error) throw new Error('fingerprint: ' + r.error)
      goHash = r.fingerprint
    }
    const jsTimes = []
    let jsHash
    for (let k = 0; k < opts.hashReps; k++) {
      t = performance.now()
      jsHash = await FP.getFuzzyHash(JSON.parse(json))
      jsTimes.push(performance.now() - t)
    }
    out.goHashFirst = goTimes[0]
    out.goHash = median(goTimes.slice(1))
    out.webCryptoHashFirst = jsTimes[0]
    out.webCryptoHash = median(jsTimes.slice(1))
    out.hashesEqual = goHash === jsHash
    out.hashReps = opts.hashReps
    return out
  }

  // benchMemory reads the Go program's linear memory (the mem export's
  // buffer) after a warm-up and after n more page events, each called as
  // the shim calls it.
  window.benchMemory = async function (opts) {
    const { api, memory } = await loadGo()
    const s = settings(opts.subscribe, opts.mapping)
    const conf = JSON.parse(api.configure(JSON.stringify(s)))
    if (conf.error) throw new Error('configure: ' + conf.error)
    const base = await makeDevice()
    // opts.sameAccount: one signed-in account browsing the same seven paths
    // (Go's once-per-account-and-path state stops growing); otherwise every
    // event has an account of its own, as in figure 5.
    let made = 0
    const mk = (count, seed) => {
      const evs = makeEvents(count, seed)
      for (const e of evs) e.userId = opts.sameAccount ? 'acct-same' : 'acct-m-' + made++
      return evs
    }
    const run = (events) => {
      for (const e of events) {
        const device = { ...base, path: e.context.page.path, url: e.context.page.url }
        const res = JSON.parse(api.attachDevice(conf.id, JSON.stringify(e), JSON.stringify(device)))
        if (res.error) throw new Error('attachDevice: ' + res.error)
      }
    }
    const initial = memory()
    run(mk(opts.warmup, 1))
    const afterWarmup = memory()
    const checkpoints = []
    let done = 0
    let afterEvents = 0
    const step = Math.max(1, Math.floor(opts.events / 10))
    // The figure: opts.events in ten steps; then opts.extra more, to show
    // the trend past the figure.
    while (done < opts.events + opts.extra) {
      const k = Math.min(step, opts.events + opts.extra - done)
      run(mk(k, 2 + done))
      done += k
      checkpoints.push({ events: done, bytes: memory() })
      if (done === opts.events) afterEvents = memory()
    }
    return { initial, afterWarmup, afterEvents, afterExtra: memory(), warmup: opts.warmup, events: opts.events, extra: opts.extra, checkpoints }
  }
})()
