// Instrumentation for the privacy tests, installed with
// Page.addScriptToEvaluateOnNewDocument so it runs in every document before
// any of the page's scripts. It wraps the browser APIs that device-signal
// collection, fingerprinting and Rupt's own storage use, and counts every
// call into window.__ruptProbe (a same-origin child frame counts into its
// top window's probe, so a collector working inside an iframe is seen too).
// It calls none of these APIs itself.
(() => {
  let probe
  try {
    if (window.top !== window && window.top.__ruptProbe) probe = window.top.__ruptProbe
  } catch (_) { /* a cross-origin parent: count locally */ }
  if (!probe) {
    probe = { counts: {}, where: {}, errors: [] }
    Object.defineProperty(window, '__ruptProbe', { value: probe, configurable: true })
    window.addEventListener('rupt:error', (e) => {
      try { probe.errors.push(JSON.parse(JSON.stringify(e.detail || null))) } catch (_) { probe.errors.push(String(e.detail)) }
    })
  }

  // hit counts one call of name and keeps where the first few came from.
  const hit = (name, detail) => {
    probe.counts[name] = (probe.counts[name] || 0) + 1
    const list = probe.where[name] || (probe.where[name] = [])
    if (list.length < 3) {
      const stack = String(new Error().stack || '').split('\n').slice(3, 7).map((l) => l.trim()).join(' < ')
      list.push((detail ? String(detail).slice(0, 80) + ' at ' : '') + stack)
    }
  }

  // wrapMethod replaces proto[key] with a function that counts the calls
  // for which when(...args) holds (all calls without when).
  const wrapMethod = (proto, key, name, when) => {
    if (!proto) return
    const d = Object.getOwnPropertyDescriptor(proto, key)
    if (!d || typeof d.value !== 'function') return
    const orig = d.value
    const wrapped = {
      [key](...args) {
        const detail = when ? when.apply(this, args) : true
        if (detail) hit(name, typeof detail === 'string' ? detail : '')
        return orig.apply(this, args)
      },
    }[key]
    Object.defineProperty(proto, key, { ...d, value: wrapped })
  }

  // wrapConstructor replaces holder[key], a constructor, with a proxy that
  // counts each construction.
  const wrapConstructor = (holder, key, name) => {
    const C = holder && holder[key]
    if (typeof C !== 'function') return
    const P = new Proxy(C, {
      construct(target, args, newTarget) {
        hit(name)
        return Reflect.construct(target, args, newTarget === P ? target : newTarget)
      },
    })
    const d = Object.getOwnPropertyDescriptor(holder, key)
    Object.defineProperty(holder, key, { ...d, value: P })
  }

  const isFrame = (n) => !!n && n.nodeName === 'IFRAME'

  // Canvas and WebGL.
  wrapMethod(window.HTMLCanvasElement && HTMLCanvasElement.prototype, 'getContext', 'canvas.getContext', (type) => 'type ' + String(type))
  wrapMethod(window.HTMLCanvasElement && HTMLCanvasElement.prototype, 'toDataURL', 'canvas.toDataURL')
  wrapMethod(window.OffscreenCanvas && OffscreenCanvas.prototype, 'getContext', 'OffscreenCanvas.getContext', (type) => 'type ' + String(type))
  wrapMethod(window.WebGLRenderingContext && WebGLRenderingContext.prototype, 'getParameter', 'webgl.getParameter')
  wrapMethod(window.WebGL2RenderingContext && WebGL2RenderingContext.prototype, 'getParameter', 'webgl2.getParameter')
  // Audio.
  for (const name of ['AudioContext', 'OfflineAudioContext', 'webkitAudioContext', 'webkitOfflineAudioContext']) {
    wrapConstructor(window, name, 'new ' + name)
  }
  // Media devices and user-agent client hints.
  wrapMethod(window.MediaDevices && MediaDevices.prototype, 'enumerateDevices', 'mediaDevices.enumerateDevices')
  wrapMethod(window.NavigatorUAData && NavigatorUAData.prototype, 'getHighEntropyValues', 'userAgentData.getHighEntropyValues')
  // Iframes (fonts are measured in one).
  wrapMethod(Document.prototype, 'createElement', 'createElement(iframe)', (tag) => String(tag).toLowerCase() === 'iframe')
  wrapMethod(Node.prototype, 'appendChild', 'appendChild(iframe)', isFrame)
  wrapMethod(Node.prototype, 'insertBefore', 'insertBefore(iframe)', isFrame)
  for (const key of ['append', 'prepend', 'after', 'before', 'replaceWith']) {
    wrapMethod(Element.prototype, key, key + '(iframe)', (...nodes) => nodes.some(isFrame))
  }
  // Rupt's storage: rpt_* keys and cookies.
  wrapMethod(window.Storage && Storage.prototype, 'setItem', 'storage.setItem(rpt_)', (k) => String(k).startsWith('rpt_') && String(k))
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      ...cookie,
      set(v) {
        const text = String(v).trimStart()
        if (text.startsWith('rpt_')) hit('document.cookie=rpt_', text.split('=')[0])
        return cookie.set.call(this, v)
      },
    })
  }
  // WebAssembly compilation (counted apart: the privacy gate allows it,
  // except where no subscription is enabled).
  if (typeof WebAssembly === 'object') {
    for (const key of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
      wrapMethod(WebAssembly, key, 'wasm:' + key)
    }
    wrapConstructor(WebAssembly, 'Module', 'wasm:new Module')
  }
})()
