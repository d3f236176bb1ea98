// A single-page "streaming service" using Segment from npm and Rupt
// (Actions) from the rupt-actions-wasm package.
import { AnalyticsBrowser } from '@segment/analytics-next'
import { ruptPlugin } from 'rupt-actions-wasm'

const here = (path: string): string => new URL(path, location.origin).href

// Served by the example server, which stands in for Segment's CDN; the
// page installs Rupt itself, so the CDN's copy is turned off.
const analytics = AnalyticsBrowser.load(
  { writeKey: 'demo-write-key', cdnURL: location.origin },
  { integrations: { 'Rupt (Actions)': false } },
)

analytics.register(ruptPlugin({
  client_id: 'demo-client-id',
  new_account_url: here('/site/new-account.html'),
  logout_url: here('/site/logged-out.html'),
  success_url: here('/site/welcome-back.html'),
  suspended_url: here('/site/suspended.html'),
  api_base: here('/rupt'),
  challenge_url: here('/challenge'),
}))

const status = document.getElementById('status') as HTMLElement
const view = document.getElementById('view') as HTMLElement
const input = (id: string): string => (document.getElementById(id) as HTMLInputElement).value

window.addEventListener('rupt:attached', (e) => {
  status.textContent = `Device attached (${e.detail.attached_devices} of ${e.detail.default_device_limit}).`
})
window.addEventListener('rupt:limit-exceeded', () => {
  status.textContent = 'This account is on more devices than its plan allows.'
})
window.addEventListener('rupt:error', (e) => {
  status.textContent = `Rupt: ${e.detail.message}`
})

const base = location.pathname.replace(/[^/]*$/, '')

// The signed-in user's traits ride along in each page call's context, where
// Attach Device's default mapping reads the email and phone.
let traits: Record<string, string> = {}
const pageView = (): void => {
  analytics.page({}, { context: { traits } })
}

function show(route: string): void {
  view.textContent = route.charAt(0).toUpperCase() + route.slice(1)
  document.title = `StreamFlix — ${view.textContent}`
}

document.querySelectorAll<HTMLAnchorElement>('a[data-route]').forEach((a) => {
  a.addEventListener('click', (e) => {
    e.preventDefault()
    const route = a.getAttribute('href') ?? 'home'
    history.pushState({ route }, '', base + route)
    show(route)
    pageView()
  })
})

document.getElementById('signin-button')?.addEventListener('click', () => {
  traits = { email: input('email') }
  analytics.identify(input('account'), traits)
  pageView()
  status.textContent = `Signed in as ${input('account')}.`
})

document.getElementById('signout-button')?.addEventListener('click', () => {
  traits = {}
  analytics.reset()
  status.textContent = 'Signed out.'
})

show('home')
