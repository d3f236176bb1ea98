// The bench's Segment snippet: queues analytics calls (with the page context
// of the moment, as Segment's snippet does) until analytics.js, loaded from
// the bench server's fake CDN, takes over. The write key picks the variant:
// bench serves a different CDN settings document (remote plugin) for each.
(function () {
  var analytics = (window.analytics = window.analytics || [])
  if (analytics.initialize || analytics.invoked) return
  analytics.invoked = true
  var methods = ['track', 'page', 'identify', 'group', 'alias', 'screen', 'reset', 'ready', 'register', 'on', 'once', 'off', 'debug', 'addSourceMiddleware', 'setAnonymousId']
  var withPage = ['track', 'screen', 'alias', 'group', 'page', 'identify']
  methods.forEach(function (m) {
    analytics[m] = function () {
      var args = Array.prototype.slice.call(arguments)
      if (withPage.indexOf(m) > -1) {
        args.push({ __t: 'bpc', p: location.pathname, u: location.href, s: location.search, t: document.title, r: document.referrer })
      }
      args.unshift(m)
      analytics.push(args)
      return analytics
    }
  })
  var writeKey = document.currentScript.dataset.writeKey
  analytics._writeKey = writeKey
  analytics._cdn = location.origin
  var s = document.createElement('script')
  s.async = true
  s.src = '/analytics.js/v1/' + writeKey + '/analytics.min.js'
  document.head.appendChild(s)
})()
