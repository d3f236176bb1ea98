// The baseline "Segment path": what Segment's own Rupt browser destination
// (action-destinations, destinations/rupt with browser-destination-runtime)
// does, rebuilt from the published packages and bundled by bench with
// esbuild into one classic script, served as the remote plugin of the
// baseline's CDN settings (libraryName ruptDestination, like Segment's).
//   - initialize: load Rupt's SDK from https://cdn.rupt.dev/js/rupt.js
//     (bench maps that host to its local TLS server, which serves
//     node_modules/rupt/index.js, the SDK's global build) and wait until
//     window.Rupt exists;
//   - per event and enabled subscription: validate(parseFql(subscribe)),
//     transform(mapping), then perform: Rupt.attach({...}) without awaiting
//     it, exactly as Segment's attach action does.
// Segment's shim loads the plugin code as a lazy webpack chunk (one more
// request); here it is in the same file.
import { parseFql, validate } from '@segment/destination-subscriptions'
import { transform } from '@segment/actions-core/mapping-kit'

const SDK_URL = 'https://cdn.rupt.dev/js/rupt.js'

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script')
    s.src = src
    s.async = true
    s.onload = () => resolve(s)
    s.onerror = () => reject(new Error('failed to load ' + src))
    document.head.appendChild(s)
  })
}

function resolveWhen(condition, interval) {
  return new Promise((resolve) => {
    if (condition()) return resolve()
    const check = () => setTimeout(() => (condition() ? resolve() : check()), interval)
    check()
  })
}

const destination = {
  name: 'Rupt',
  initialize: async () => {
    await loadScript(SDK_URL)
    await resolveWhen(() => Object.prototype.hasOwnProperty.call(window, 'Rupt'), 1000)
    return window.Rupt
  },
  actions: {
    attach: {
      perform(rupt, data) {
        rupt.attach({
          client_id: data.settings.client_id,
          account: data.payload.account,
          email: data.payload.email,
          phone: data.payload.phone,
          metadata: data.payload.metadata,
          include_page: data.payload.include_page,
          redirect_urls: {
            new_account_url: data.settings.new_account_url,
            success_url: data.settings.success_url,
            suspended_url: data.settings.suspended_url,
            logout_url: data.settings.logout_url,
          },
        })
      },
    },
  },
}

function generatePlugins(def, settings, subscriptions) {
  let hasInitialized = false
  let initializing = false
  let client
  let resolveInit
  const initPromise = new Promise((r) => (resolveInit = r))
  const load = async (_ctx, analytics) => {
    if (hasInitialized) return
    if (initializing) {
      await initPromise
      return
    }
    initializing = true
    client = await def.initialize({ settings, analytics })
    resolveInit(client)
    hasInitialized = true
  }
  const plugins = []
  for (const [key, action] of Object.entries(def.actions)) {
    const subs = subscriptions.filter((s) => s.enabled && s.partnerAction === key)
    if (subs.length === 0) continue
    const evaluate = async (ctx) => {
      const invocations = []
      for (const sub of subs) {
        if (!validate(parseFql(sub.subscribe), ctx.event)) continue
        const mapping = sub.mapping || {}
        const payload = transform(mapping, ctx.event)
        invocations.push(action.perform(client, { payload, mapping, settings, context: ctx }))
      }
      await Promise.all(invocations)
      return ctx
    }
    plugins.push({
      name: `${def.name} ${key}`,
      type: 'destination',
      version: '0.1.0',
      ready: () => initPromise,
      isLoaded: () => hasInitialized,
      load,
      track: evaluate,
      page: evaluate,
      alias: evaluate,
      identify: evaluate,
      group: evaluate,
    })
  }
  return plugins
}

const factory = async (settings) => generatePlugins(destination, settings, (settings && settings.subscriptions) || [])
factory.pluginName = 'Rupt (Actions)'
window.ruptDestination = factory
