// Bench instrumentation, the first script of every bench page (both
// variants, so both pay the same small overhead). It records, for bench to
// read back through window.__bench:
//   - long tasks (PerformanceObserver 'longtask', buffered), with their
//     TaskAttributionTiming (container only: Chromium does not name scripts);
//   - long animation frames ('long-animation-frame'), whose script entries
//     do name the script URL, function and invoker: used to attribute long
//     tasks to scripts;
//   - WebAssembly compile + instantiate windows (WebAssembly.instantiate*,
//     compile* are wrapped; the wrapped calls are the page's own, unchanged);
//   - every outermost call into Go (the instance's run and resume exports,
//     through which wasm_exec.js enters Go, and rupt_call, through which
//     the shim calls the API), with start and duration: Go
//     runs on the main thread, so a long task's Go time is exactly the
//     overlap with these windows; rupt_call also records its operation
//     number (bench names it from the contract's operation table);
//   - the waterfall's points (B.ev, each also a performance.mark or
//     performance.measure named "bench:<name>", so they show in a DevTools
//     trace): each script's load event (a capture listener on document:
//     it fires after the script ran, before the loader's own onload);
//     analytics.js calling the remote plugin's factory and handing each
//     event to the plugin (the factory on window.ruptDestination is
//     wrapped when its script has loaded, so analytics.js, which reads it
//     in its onload handler, calls the wrapper; for both variants); the
//     plugin's load() and whether analytics.js knew the user then; Rupt's
//     SDK's attach() (the Segment path); the browser APIs the signal
//     collectors wait on or spend time in: OfflineAudioContext rendering,
//     user-agent client hints, canvas toDataURL, the hidden iframe,
//     WebCrypto digests; and every JSON.stringify whose text is 1,000
//     characters or more (its first characters name it: the legacy
//     signals, @ruptjs/fingerprint's muted signals, the SDK's attach
//     body).
// Wrappers call the original with the same arguments and return its
// result. One side effect: the timing reaction on a collector API's promise
// runs before the page's own, so a long animation frame names
// instrument.js for the collector's work that follows (bench relabels it;
// bench/README.md, figure 4).
(function () {
  'use strict'
  var B = (window.__bench = {
    longtasks: [],
    loaf: [],
    wasm: [],
    goCalls: [],
    goTotal: 0,
    goCount: 0,
    goMax: 0,
    instances: [],
    probe: [],
    errors: [],
  })
  var now = function () { return performance.now() }
  B.ev = []
  var MAX_EV = 5000
  // mark records a point (d = 0) of the waterfall.
  function mark(name, detail) {
    var t = now()
    if (B.ev.length < MAX_EV) B.ev.push({ n: name, t: t, d: 0, x: detail === undefined ? null : detail })
    try { performance.mark('bench:' + name, { startTime: t, detail: detail }) } catch (_) {}
  }
  // span records an interval that ends when p settles (d = -1 until then).
  function span(name, t0, p, detail) {
    var rec = { n: name, t: t0, d: -1, x: detail === undefined ? null : detail }
    if (B.ev.length < MAX_EV) B.ev.push(rec)
    var end = function () {
      rec.d = now() - t0
      try { performance.measure('bench:' + name, { start: t0, duration: rec.d }) } catch (_) {}
    }
    try { Promise.resolve(p).then(end, end) } catch (_) {}
    return p
  }
  // spanSync records an interval already over.
  function spanSync(name, t0, detail) {
    var rec = { n: name, t: t0, d: now() - t0, x: detail === undefined ? null : detail }
    if (B.ev.length < MAX_EV) B.ev.push(rec)
    try { performance.measure('bench:' + name, { start: t0, duration: rec.d }) } catch (_) {}
  }
  // A mark whose performance.now() bench knows: it aligns a trace (user
  // timing events carry the trace clock) with the page clock.
  B.syncNow = now()
  try { performance.mark('bench:sync', { startTime: B.syncNow }) } catch (_) {}

  // Scripts and iframes: their load events, seen first by this capture
  // listener. A remote plugin's factory is wrapped here, before analytics.js
  // reads window.ruptDestination in the script's own onload handler; Rupt's
  // SDK's attach is wrapped before the Segment path's plugin can call it.
  document.addEventListener('load', function (e) {
    var el = e.target
    if (!el || !el.tagName) return
    var tag = el.tagName.toLowerCase()
    if (tag === 'iframe') return mark('iframe-load')
    if (tag !== 'script') return
    var src = el.src || ''
    mark('script-loaded', src)
    try {
      var f = window.ruptDestination
      if (typeof f === 'function' && !f.__benchWrapped) window.ruptDestination = wrapFactory(f)
      var R = window.Rupt
      if (R && typeof R.attach === 'function' && !R.attach.__benchWrapped) {
        var attach = R.attach
        R.attach = function () {
          mark('sdk-attach')
          return attach.apply(this, arguments)
        }
        R.attach.__benchWrapped = true
      }
    } catch (err) { B.errors.push('load hook: ' + err) }
  }, true)

  var EVENT_METHODS = ['page', 'track', 'identify', 'group', 'alias', 'screen']
  function wrapFactory(f) {
    var w = function () {
      mark('plugin-factory')
      var r = f.apply(this, arguments)
      return r && typeof r.then === 'function' ? r.then(wrapPlugins) : wrapPlugins(r)
    }
    Object.keys(f).forEach(function (k) { w[k] = f[k] })
    w.pluginName = f.pluginName
    w.__benchWrapped = true
    return w
  }
  function wrapPlugins(p) {
    ;(Array.isArray(p) ? p : [p]).forEach(function (pl) {
      if (!pl || typeof pl !== 'object') return
      EVENT_METHODS.forEach(function (m) {
        var f = pl[m]
        if (typeof f !== 'function') return
        pl[m] = function (ctx) {
          mark('handoff', m)
          return f.apply(this, arguments)
        }
      })
      var load = pl.load
      if (typeof load === 'function') {
        pl.load = function (ctx, analytics) {
          var id = null
          try { id = analytics.user().id() } catch (_) {}
          mark('plugin-load', { signedIn: (typeof id === 'string' && id !== '') || typeof id === 'number' })
          return load.apply(this, arguments)
        }
      }
    })
    return p
  }

  // The browser APIs the signal collectors use (both variants: the shim's
  // collectors and Rupt's SDK).
  function wrapMethod(proto, name, wrap) {
    try {
      if (!proto || typeof proto[name] !== 'function') return
      var orig = proto[name]
      proto[name] = wrap(orig)
    } catch (err) { B.errors.push('wrap ' + name + ': ' + err) }
  }
  wrapMethod(window.OfflineAudioContext && OfflineAudioContext.prototype, 'startRendering', function (orig) {
    return function () { return span('audio-render', now(), orig.apply(this, arguments)) }
  })
  wrapMethod(window.NavigatorUAData && NavigatorUAData.prototype, 'getHighEntropyValues', function (orig) {
    return function () { return span('ua-hints', now(), orig.apply(this, arguments)) }
  })
  wrapMethod(window.HTMLCanvasElement && HTMLCanvasElement.prototype, 'toDataURL', function (orig) {
    return function () {
      var t0 = now()
      try { return orig.apply(this, arguments) } finally { spanSync('canvas', t0) }
    }
  })
  wrapMethod(window.SubtleCrypto && SubtleCrypto.prototype, 'digest', function (orig) {
    return function () { return span('digest', now(), orig.apply(this, arguments)) }
  })
  // Reading the .wasm's body (the shim's readers; nothing else here reads
  // a body of a megabyte or more): a Response at a .wasm URL, or a Blob of
  // 1 MB or more.
  function wrapRead(proto, name, kind) {
    wrapMethod(proto, name, function (orig) {
      return function () {
        var t0 = now()
        var p = orig.apply(this, arguments)
        var wasm = this instanceof Response ? /\.wasm(\?|#|$)/.test(this.url) : this.size >= 1e6
        return wasm ? span(kind, t0, p, { api: name }) : p
      }
    })
  }
  wrapRead(window.Response && Response.prototype, 'blob', 'wasm-drain')
  wrapRead(window.Response && Response.prototype, 'arrayBuffer', 'wasm-read')
  wrapRead(window.Blob && Blob.prototype, 'arrayBuffer', 'wasm-read')
  wrapMethod(Document.prototype, 'createElement', function (orig) {
    return function (tag) {
      var el = orig.apply(this, arguments)
      if (typeof tag === 'string' && tag.toLowerCase() === 'iframe') mark('iframe-create')
      return el
    }
  })
  var stringify = JSON.stringify
  JSON.stringify = function () {
    var t0 = now()
    var r = stringify.apply(JSON, arguments)
    if (typeof r === 'string' && r.length >= 1000) spanSync('stringify', t0, { len: r.length, head: r.slice(0, 24) })
    return r
  }

  function observe(type, f) {
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (e) {
          try { f(e) } catch (err) { B.errors.push(type + ': ' + err) }
        })
      }).observe({ type: type, buffered: true })
    } catch (err) {
      B.errors.push('observer ' + type + ': ' + err)
    }
  }
  observe('longtask', function (e) {
    B.longtasks.push({
      start: e.startTime,
      duration: e.duration,
      name: e.name,
      attribution: (e.attribution || []).map(function (a) {
        return { type: a.containerType, src: a.containerSrc, id: a.containerId, name: a.containerName }
      }),
    })
  })
  observe('long-animation-frame', function (e) {
    B.loaf.push({
      start: e.startTime,
      duration: e.duration,
      blocking: e.blockingDuration,
      renderStart: e.renderStart || 0,
      styleAndLayoutStart: e.styleAndLayoutStart || 0,
      scripts: (e.scripts || []).map(function (s) {
        return {
          start: s.startTime,
          duration: s.duration,
          url: s.sourceURL,
          fn: s.sourceFunctionName,
          invoker: s.invoker,
          invokerType: s.invokerType,
        }
      }),
    })
  })

  if (typeof WebAssembly === 'undefined') return
  var MAX_CALLS = 20000
  var depth = 0
  function wrapExport(name, f) {
    return function () {
      if (depth > 0) return f.apply(this, arguments)
      depth++
      var op = name === 'rupt_call' ? arguments[0] : 0
      var t0 = now()
      try {
        return f.apply(this, arguments)
      } finally {
        depth--
        var d = now() - t0
        B.goTotal += d
        B.goCount++
        if (d > B.goMax) B.goMax = d
        if (B.goCalls.length < MAX_CALLS) B.goCalls.push({ start: t0, duration: d, name: name, op: op })
      }
    }
  }
  // wrapInstance returns an object wasm_exec.js accepts as the instance
  // (it checks instanceof WebAssembly.Instance) whose run, resume and
  // rupt_call exports are timed; memory and the other exports are the real ones.
  function wrapInstance(inst) {
    var real = inst.exports
    var ex = {}
    Object.keys(real).forEach(function (k) {
      var v = real[k]
      ex[k] = typeof v === 'function' && (k === 'run' || k === 'resume' || k === 'rupt_call') ? wrapExport(k, v) : v
    })
    B.instances.push(inst)
    return Object.create(WebAssembly.Instance.prototype, { exports: { value: Object.freeze(ex) } })
  }
  function timed(kind, p) {
    var rec = { kind: kind, start: now(), end: -1 }
    B.wasm.push(rec)
    return p.then(function (v) { rec.end = now(); return v }, function (e) { rec.end = now(); rec.error = String(e); throw e })
  }
  var W = WebAssembly
  var orig = {
    instantiateStreaming: W.instantiateStreaming,
    instantiate: W.instantiate,
    compileStreaming: W.compileStreaming,
    compile: W.compile,
  }
  if (orig.instantiateStreaming) {
    W.instantiateStreaming = function (src, imports) {
      return timed('instantiateStreaming', orig.instantiateStreaming.call(W, src, imports)).then(function (r) {
        return { module: r.module, instance: wrapInstance(r.instance) }
      })
    }
  }
  W.instantiate = function (src, imports) {
    return timed(src instanceof W.Module ? 'instantiate(module)' : 'instantiate(bytes)', orig.instantiate.call(W, src, imports)).then(function (r) {
      if (r instanceof W.Instance) return wrapInstance(r)
      return { module: r.module, instance: wrapInstance(r.instance) }
    })
  }
  if (orig.compileStreaming) {
    W.compileStreaming = function (src) { return timed('compileStreaming', orig.compileStreaming.call(W, src)) }
  }
  W.compile = function (src) { return timed('compile', orig.compile.call(W, src)) }

  // wasmMemory returns the byte length of every instance's linear memory.
  B.wasmMemory = function () {
    return B.instances.map(function (i) { return i.exports.mem ? i.exports.mem.buffer.byteLength : -1 })
  }
})()
