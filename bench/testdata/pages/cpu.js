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
  // getSignals() in this browser and a last fingerprint of the real length
  // (rpt_last_fp). The current fingerprint is the one Go hashes when the
  // signals are handed over (deviceSignals); the Segment path gets the same.
  async function makeDevice() {
    const r = rng(7)
    let signals
    try {
      signals = await window.segmentRuntime.getSignals()
    } catch (e) {
      signals = { platform: { value: navigator.platform } }
    }
    return { signals, last_fingerprint: hex(2048, r) }
  }

  // The muted signals handed to Go once per page for figures 5 and 6 (Go
  // hashes them into the fingerprint, whose length does not depend on
  // them). The start-up diagnostics hash real ones.
  const MUTED = JSON.stringify({ device: { isChromiumBrowser: true }, bench: 1 })

  // Rupt's answer to an attach, as the simulator (examples/server) gives it.
  const ATTACH_OK = JSON.stringify({
    success: true, attached_devices: 1, device_id: 'dev_bench', default_device_limit: 3,
    block_over_usage: false, access: 'acc_bench', identity: 'idn_bench',
  })

  // The shim captures each event's arrival time (performance.now()) as the
  // device context's at; Go sends an attach identical to one sent less than
  // 2000 ms before once (action.DuplicateWindow), and remembers recent
  // attaches until they are older than that. The bench events are page
  // views a person makes, so they arrive on a clock of their own, 2.5 s
  // apart: every event attaches, and Go's record of recent attaches stays
  // as small as on a real page.
  const PAGE_VIEW_MS = 2500
  let clock = 0
  const tick = () => (clock += PAGE_VIEW_MS)

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

  // shimAPI is the shim's own Go API (jsbridge/src/api.js's bindAPI, the
  // code jsbridge/src/runtime.js uses) over the bound call.
  function shimAPI(raw, go) {
    return window.bindAPI(raw, () => !!go.exited)
  }

  // startGo loads dist/rupt-actions.wasm with Go's own wasm_exec.js and
  // binds its exports as the shim does (jsbridge/src/exports.js, with the
  // operation table of the contract). raw is the bound call, api the
  // shim's methods over it.
  async function startGo(timings, wasmURL) {
    const go = new Go()
    go.argv = ['rupt-actions']
    go.env = {}
    let t = performance.now()
    const holder = { current: null }
    const { instance } = await WebAssembly.instantiateStreaming(fetch(wasmURL || '/dist/rupt-actions.wasm', { cache: 'no-store' }), { ...go.importObject, ...window.ruptImports(holder) })
    holder.current = instance
    if (timings) timings.fetchCompileInstantiate = performance.now() - t
    t = performance.now()
    go.run(instance) // runs Go's init and main until main blocks
    if (timings) timings.goRun = performance.now() - t
    if (go.exited || typeof instance.exports.rupt_call !== 'function') throw new Error('the Go program did not start')
    const raw = window.bindGo(instance.exports)
    return { raw, api: shimAPI(raw, go), instance, memory: () => instance.exports.mem.buffer.byteLength }
  }

  let goPromise
  const loadGo = (wasmURL) => goPromise || (goPromise = startGo(undefined, wasmURL))

  // configure gives Go the settings and returns the destination's id.
  // The part of an event the shim hands over (configure's reads, picked
  // as jsbridge/src/api.js does), by destination id.
  const readsOf = new Map()
  function configure(api, s) {
    const conf = api.configure(s)
    if (conf.error) throw new Error('configure: ' + conf.error)
    if (conf.active !== 1) throw new Error('configure: ' + JSON.stringify(conf))
    if (conf.reads) readsOf.set(conf.id, conf.reads)
    return conf.id
  }
  // handedOver is the event's JSON as the shim hands it to Go.
  const handedOver = (id, event) => JSON.stringify(readsOf.has(id) ? window.pick(event, readsOf.get(id)) : event)

  // answerAttaches gives Go Rupt's answer (200, the simulator's body) to
  // every attach of the evaluations, as the shim does when the answers
  // come back, so no attach stays in flight.
  function answerAttaches(api, id, evs) {
    for (const ev of evs) {
      for (const r of ev.requests || []) {
        const o = api.handleResponse(id, r.id, 200, ATTACH_OK, '')
        if (o.error || o.retry_in) throw new Error('handleResponse: ' + JSON.stringify(o))
      }
    }
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

  // Events are timed in chunks of CHUNK; between chunks, untimed, Go gets
  // Rupt's answers to the chunk's attaches (settle), as the shim hands them
  // over when they come back. Without answers every attach would stay in
  // flight, and Go's record of attaches, bounded at 256 entries beyond
  // which it scans itself on every attach (action/recent.go), would make
  // each event cost that scan, which a page never pays. CHUNK is below
  // that bound.
  const CHUNK = 250

  // timePass runs variant v on the events [0, m) and returns the time in
  // its own calls (ms) and the requests they built.
  function timePass(v, m) {
    let ms = 0
    let requests = 0
    for (let start = 0; start < m; start += CHUNK) {
      const end = Math.min(m, start + CHUNK)
      const t0 = performance.now()
      requests += v.run(start, end)
      ms += performance.now() - t0
      if (v.settle) v.settle(start, end)
    }
    return { ms, requests }
  }

  // benchCPU times n events per repetition, reps repetitions, the variants
  // interleaved; it returns per-event microseconds per repetition.
  window.benchCPU = async function (opts) {
    const n = opts.events
    const reps = opts.reps
    const rt = window.segmentRuntime
    const { raw, api, memory } = await loadGo(opts.wasm)
    const s = settings(opts.subscribe, opts.mapping)
    const id = configure(api, s)
    const base = await makeDevice()
    const legacy = JSON.stringify(base.signals)
    const events = makeEvents(n, 42)
    // Our Go side sends an attach identical to a recent one (same account,
    // page, email, phone, metadata) once. To time the whole path on every
    // event, each pass gets accounts of its own (strings stay strings,
    // numbers numbers) and new arrival times, made before timing, with
    // the texts the Go-only variants send.
    const numeric = events.map((e) => typeof e.userId === 'number')
    const ats = new Array(n)
    const eventStrs = new Array(n)
    const deviceStrs = new Array(n)
    const smallStrs = new Array(n)
    // The device context as the shim builds it for each event (plugin.js):
    // the location and time at arrival, then what Rupt's SDK keeps on the
    // device (rpt_last_fp; no rpt_last_blocking_access or rpt_last_challenge
    // cookie here). The page's location is where the page view happened.
    const contextFor = (i) => {
      const p = events[i].context.page
      const arrived = { path: p.path, url: p.url, at: ats[i] }
      return { ...arrived, last_fingerprint: base.last_fingerprint, last_blocking_access: undefined, last_challenge: undefined }
    }
    let pass = 0
    const relabel = () => {
      pass++
      for (let i = 0; i < n; i++) {
        events[i].userId = numeric[i] ? pass * 1e6 + i : 'acct-' + pass + '-' + i
        ats[i] = tick()
        eventStrs[i] = handedOver(id, events[i])
        deviceStrs[i] = JSON.stringify(contextFor(i))
        const p = events[i].context.page
        smallStrs[i] = JSON.stringify({ path: p.path, url: p.url, at: ats[i] })
      }
    }
    relabel()

    // As the shim: the first event that would attach, before the signals
    // were handed over, is answered needs_device; the signals then go to
    // Go once per page (Go hashes the muted signals into the fingerprint
    // and keeps both), and each event carries only the small context. The
    // Segment path gets the same fingerprint and sends the signals every
    // time, as Rupt's SDK does.
    const before = api.attachDevice(id, events[0], contextFor(0))
    if (!before.needs_device || before.requests) throw new Error('attachDevice before deviceSignals: expected needs_device, got ' + JSON.stringify(before))
    const handed = api.deviceSignals(legacy, MUTED)
    if (handed.error) throw new Error('deviceSignals: ' + handed.error)
    const segDevice = { signals: base.signals, fingerprint: handed.fingerprint, last_fingerprint: base.last_fingerprint }
    // The device the Segment path attaches with for an event: the page's
    // location (path, url) is where the page view happened.
    const segDevices = {}
    const deviceFor = (e) => {
      const p = e.context.page
      return segDevices[p.path] || (segDevices[p.path] = { ...segDevice, path: p.path, url: p.url })
    }
    const subsOnce = s.subscriptions.map((x) => ({ ...x, ast: rt.parseFql(x.subscribe) }))
    const subsEach = s.subscriptions.map((x) => ({ ...x }))

    // The same answer from both, checked on every event; differences are
    // counted per body key.
    let agree = 0
    let lastMembers = 0 // the members text the shim holds (its number)
    let requestsOurs = 0
    let requestsSeg = 0
    const diffKeys = {}
    for (let i = 0; i < n; i++) {
      const ours = api.attachDevice(id, events[i], contextFor(i))
      if (ours.error) throw new Error('attachDevice: ' + ours.error)
      if (ours.requests) lastMembers = ours.requests[0].members
      answerAttaches(api, id, [ours])
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

    // The members text the shim holds now (the device does not change
    // from here on): the Go-only calls name it, as the shim does.
    const held = lastMembers
    if (!held) throw new Error('no members text held after the first attaches')
    // What each Go variant answered in the current chunk, for settle.
    const evs = new Array(n)
    const answers = new Array(n)
    const settleEvs = (start, end) => answerAttaches(api, id, evs.slice(start, end))
    const settleTexts = (start, end) => {
      const parsed = []
      for (let i = start; i < end; i++) parsed.push(JSON.parse(answers[i]))
      answerAttaches(api, id, parsed)
    }
    // Each variant builds one request per event (every event matches and
    // has an account), except the call floor, which builds none.
    const variants = {
      // What the shim does per event (jsbridge/src/plugin.js's handle and
      // runtime.js's attachDevice): the device context (location and time
      // at arrival, the last fingerprint), one attachDevice call that
      // stringifies the event and the context, calls Go, parses the
      // answer and puts the request bodies back. The signals were handed
      // over once, above.
      ours: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) {
            const ev = api.attachDevice(id, events[i], contextFor(i))
            evs[i] = ev
            k += ev.requests ? ev.requests.length : 0
          }
          return k
        },
        settle: settleEvs,
      },
      // The Go call alone, on texts made beforehand: the bound call
      // (texts in, texts out), no JSON.stringify or JSON.parse. The
      // context is what the shim sends once Go has the storage values
      // (path, url, at).
      oursGoOnly: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) {
            const texts = raw('attachDevice', [id, held], [eventStrs[i], smallStrs[i]])
            answers[i] = texts[0]
            k += (texts.length - 1) >> 1 // a head and a tail per request
          }
          return k
        },
        settle: settleTexts,
      },
      // Diagnostic, the contract before Go kept the device's state: the
      // same call with the whole context on every event (the 2 KB last
      // fingerprint and the cookies each time) and the whole body back
      // (the members text every time: the shim holds none).
      oursGoOnlyFullContext: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) {
            const texts = raw('attachDevice', [id, 0], [eventStrs[i], deviceStrs[i]])
            answers[i] = texts[0]
            k += (texts.length - 1) >> 1
          }
          return k
        },
        settle: settleTexts,
      },
      // Diagnostic: the cheapest call there is (an unknown destination id,
      // answered with a short error): the JS→Go→JS crossing and the
      // answer's encoding, without any event work.
      oursGoCallFloor: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) k += (raw('attachDevice', [-1], ['', '']).length - 1) >> 1
          return k
        },
        none: true,
      },
      segment: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) k += segmentEvaluate(rt, subsOnce, s, events[i], deviceFor(events[i])).length
          return k
        },
      },
      // As Segment's browser-destination-runtime really does it: parseFql
      // on every event.
      segmentParseEach: {
        run: (start, end) => {
          let k = 0
          for (let i = start; i < end; i++) k += segmentEvaluate(rt, subsEach, s, events[i], deviceFor(events[i])).length
          return k
        },
      },
    }
    // opts.only runs some variants (the bench's -profile run).
    const names = Object.keys(variants).filter((k) => !opts.only || opts.only.includes(k))
    const timed = (name, m) => {
      relabel()
      const r = timePass(variants[name], m)
      const want = variants[name].none ? 0 : m
      if (r.requests !== want) throw new Error(`${name}: ${r.requests} requests from ${m} events, expected ${want}`)
      return r.ms
    }
    // Warm-up: JIT both sides, settle Go's heap.
    for (const name of names) timed(name, Math.min(n, 1000))
    const times = {}
    for (const name of names) times[name] = []
    for (let r = 0; r < reps; r++) {
      for (const name of (r % 2 ? names.slice().reverse() : names)) times[name].push((timed(name, n) * 1000) / n)
      await new Promise((res) => setTimeout(res, 0))
    }
    const medians = {}
    for (const name of names) medians[name] = median(times[name])
    return {
      events: n,
      reps,
      chunk: CHUNK,
      perEventMicros: times,
      medianMicros: medians,
      agree,
      requestsOurs,
      requestsSeg,
      diffKeys,
      sample: { settings: JSON.stringify(s), event: eventStrs[0], device: smallStrs[0], fullDevice: deviceStrs[0], signals: legacy, fingerprint: handed.fingerprint },
      eventBytesMedian: median(events.map((e) => JSON.stringify(e).length)),
      handedBytesMedian: median(eventStrs.map((x) => x.length)),
      deviceBytes: smallStrs[0].length,
      fullDeviceBytes: deviceStrs[0].length,
      signalsBytes: legacy.length,
      fingerprintBytes: handed.fingerprint.length,
      wasmMemory: memory(),
    }
  }

  // benchStartup, in a fresh page, times the start-up of the Go side step
  // by step (cold), in the order the shim meets them on a signed-in page:
  // the first attach answers needs_device; the signals are collected and
  // handed over (Go hashes the muted ones: timed against
  // @ruptjs/fingerprint's getFuzzyHash, WebCrypto SHA-256); then attaches
  // build requests.
  window.benchStartup = async function (opts) {
    const out = {}
    const { api } = await startGo(out)
    const s = settings(opts.subscribe, opts.mapping)
    let t = performance.now()
    const id = configure(api, s)
    out.configure = performance.now() - t
    const base = await makeDevice()
    const evs = makeEvents(7, 3)
    const ctx = (e) => ({ path: e.context.page.path, url: e.context.page.url, at: tick(), last_fingerprint: base.last_fingerprint })
    t = performance.now()
    const first = api.attachDevice(id, evs[0], ctx(evs[0]))
    out.firstAttachDevice = performance.now() - t
    if (!first.needs_device) throw new Error('first attachDevice: expected needs_device, got ' + JSON.stringify(first))

    const FP = window.segmentRuntime.fingerprint
    t = performance.now()
    const rawSignals = await FP.getSignals()
    out.collectSignals = performance.now() - t
    t = performance.now()
    const muted = FP.muteSignals(rawSignals)
    const json = JSON.stringify(muted)
    out.muteAndStringify = performance.now() - t
    out.signalsBytes = json.length
    // The hash alone: deviceSignals with the muted signals only (an empty
    // legacy text is left out); the legacy signals follow in a call of
    // their own.
    const goTimes = []
    let goHash
    for (let k = 0; k < opts.hashReps; k++) {
      t = performance.now()
      const r = api.deviceSignals('', json)
      goTimes.push(performance.now() - t)
      if (r.error) throw new Error('deviceSignals: ' + r.error)
      goHash = r.fingerprint
    }
    const handed = api.deviceSignals(JSON.stringify(base.signals), '')
    if (handed.error) throw new Error('deviceSignals (legacy): ' + handed.error)

    t = performance.now()
    const attached = api.attachDevice(id, evs[1], ctx(evs[1]))
    out.firstAttachRequest = performance.now() - t
    if (!attached.requests || attached.requests.length !== 1) throw new Error('attachDevice after deviceSignals: ' + JSON.stringify(attached))
    const warm = []
    for (let i = 2; i < evs.length; i++) {
      t = performance.now()
      const ev = api.attachDevice(id, evs[i], ctx(evs[i]))
      warm.push(performance.now() - t)
      if (!ev.requests || ev.requests.length !== 1) throw new Error('attachDevice: ' + JSON.stringify(ev))
    }
    out.warmAttachDevice = median(warm)

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
  // buffer) after a warm-up and after n more page events, each handled as
  // the shim handles it: one attachDevice with the device context, then
  // Rupt's answer (handleResponse); the signals handed over once.
  window.benchMemory = async function (opts) {
    const { api, memory } = await loadGo()
    const s = settings(opts.subscribe, opts.mapping)
    const id = configure(api, s)
    const base = await makeDevice()
    const handed = api.deviceSignals(JSON.stringify(base.signals), MUTED)
    if (handed.error) throw new Error('deviceSignals: ' + handed.error)
    // opts.sameAccount: one signed-in account browsing the same seven
    // paths; otherwise every event has an account of its own, as in
    // figure 5.
    let made = 0
    const mk = (count, seed) => {
      const evs = makeEvents(count, seed)
      for (const e of evs) e.userId = opts.sameAccount ? 'acct-same' : 'acct-m-' + made++
      return evs
    }
    const run = (events) => {
      for (const e of events) {
        const p = e.context.page
        const ev = api.attachDevice(id, e, { path: p.path, url: p.url, at: tick(), last_fingerprint: base.last_fingerprint })
        if (ev.error) throw new Error('attachDevice: ' + ev.error)
        if (!ev.requests || ev.requests.length !== 1) throw new Error('attachDevice built no request: ' + JSON.stringify(ev))
        answerAttaches(api, id, [ev])
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
