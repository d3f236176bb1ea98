// Installing Rupt (Actions) from the ES module: one plugin, registered with
// analytics.js. Without subscriptions, the "Attach Device" preset applies.
import { ruptPlugin } from '/dist/rupt-actions.mjs'

const here = (path) => new URL(path, location.href).href

analytics.register(ruptPlugin({
  client_id: 'demo-client-id',
  new_account_url: here('/site/new-account.html'),
  logout_url: here('/site/logged-out.html'),
  success_url: here('/site/welcome-back.html'),
  suspended_url: here('/site/suspended.html'),
  api_base: here('/rupt'),
  challenge_url: here('/challenge'),
}))
