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
      analytics.page()
      show('Signed in as ' + account + '.')
    })
  }
  window.addEventListener('rupt:attached', function (e) {
    show('Device attached to Rupt (' + e.detail.attached_devices + ' of ' + e.detail.default_device_limit + ' devices).')
  })
  window.addEventListener('rupt:error', function (e) { show('Rupt error: ' + e.detail.message) })
})()
