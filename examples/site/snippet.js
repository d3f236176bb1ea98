// A Segment-style snippet for the local fake CDN: it queues analytics calls
// until analytics.js (served by the example server, as Segment's CDN would)
// takes over, and points analytics.js at this origin for its settings.
(function () {
  var analytics = (window.analytics = window.analytics || [])
  if (analytics.initialize || analytics.invoked) return
  analytics.invoked = true
  var methods = ['track', 'page', 'identify', 'group', 'alias', 'screen', 'reset', 'ready', 'register', 'on', 'once', 'off', 'debug', 'addSourceMiddleware', 'setAnonymousId']
  // Like Segment's snippet, calls that make events carry the page context
  // of the moment they were made ("bpc"): analytics.js replays them later,
  // when a single-page app may have moved on.
  var withPage = ['track', 'screen', 'alias', 'group', 'page', 'identify']
  methods.forEach(function (m) {
    analytics[m] = function () {
      var args = Array.prototype.slice.call(arguments)
      if (withPage.indexOf(m) > -1) {
        var canonical = document.querySelector("link[rel='canonical']")
        args.push({
          __t: 'bpc',
          c: (canonical && canonical.getAttribute('href')) || undefined,
          p: location.pathname,
          u: location.href,
          s: location.search,
          t: document.title,
          r: document.referrer,
        })
      }
      args.unshift(m)
      analytics.push(args)
      return analytics
    }
  })
  var script = document.currentScript
  var writeKey = (script && script.dataset.writeKey) || 'demo-write-key'
  analytics._writeKey = writeKey
  // Pages that install Rupt (Actions) themselves (script tag, npm) turn off
  // the copy Segment's CDN settings would load, as a site would in Segment.
  if (script && script.dataset.ownRupt !== undefined) {
    analytics._loadOptions = { integrations: { 'Rupt (Actions)': false } }
  }
  analytics._cdn = location.origin
  var s = document.createElement('script')
  s.async = true
  s.src = '/analytics.js/v1/' + writeKey + '/analytics.min.js'
  document.head.appendChild(s)
})()
