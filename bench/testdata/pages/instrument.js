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
//     overlap with these windows.
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
      var t0 = now()
      try {
        return f.apply(this, arguments)
      } finally {
        depth--
        var d = now() - t0
        B.goTotal += d
        B.goCount++
        if (d > B.goMax) B.goMax = d
        if (B.goCalls.length < MAX_CALLS) B.goCalls.push({ start: t0, duration: d, name: name })
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
