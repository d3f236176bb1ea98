// The example site's own code: sign in (identify) and count page views.
// Rupt (Actions) needs nothing from the site beyond analytics.page().
(function () {
  var status = document.getElementById('status')
  function show(msg) { if (status) status.textContent = msg }
  var button = document.getElementById('signin-button')
  if (button) {
    button.addEventListener('click', function () {
      var account = document.getElementById('account').value
      var email = document.getElementById('email').value
      analytics.identify(account, { email: email })
      // The traits ride along in the page call's context, where Attach
      // Device's default mapping reads the email.
      analytics.page({}, { context: { traits: { email: email } } })
      show('Signed in as ' + account + '.')
    })
  }
  // Every page load is a page view; analytics.js remembers who signed in.
  analytics.page()

  window.addEventListener('rupt:attached', function (e) {
    show('Device attached to Rupt (' + e.detail.attached_devices + ' of ' + e.detail.default_device_limit + ' devices).')
  })
  window.addEventListener('rupt:error', function (e) { show('Rupt error: ' + e.detail.message) })
})()
