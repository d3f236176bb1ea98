// Stand-in for Rupt's challenge page. The page URL carries where each choice
// leads (challenge, logout, new_account, success, upgrade); only absolute
// http(s) URLs are followed, anything else (javascript:, data:, relative …)
// is refused with a message.
(function () {
  "use strict";

  // safeTarget returns raw as an absolute http(s) URL string, or null when
  // raw is missing, relative, malformed, carries credentials or uses any
  // other scheme.
  function safeTarget(raw) {
    if (typeof raw !== "string" || raw.trim() === "") {
      return null;
    }
    var u;
    try {
      u = new URL(raw);
    } catch (e) {
      return null;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") {
      return null;
    }
    if (u.username !== "" || u.password !== "" || u.hostname === "") {
      return null;
    }
    return u.href;
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { safeTarget: safeTarget };
  }
  if (typeof document === "undefined") {
    return;
  }

  function showError(text) {
    var el = document.getElementById("error");
    el.textContent = text;
    el.hidden = false;
  }

  function init() {
    var params = new URLSearchParams(window.location.search);
    var id = params.get("challenge");
    if (id) {
      document.getElementById("challenge-id").textContent = id;
    }
    var buttons = document.querySelectorAll("button[data-param]");
    Array.prototype.forEach.call(buttons, function (button) {
      var name = button.getAttribute("data-param");
      var raw = params.get(name);
      if (raw === null || raw === "") {
        button.disabled = true;
        button.title = "No " + name + " URL was given to this page";
        return;
      }
      button.addEventListener("click", function () {
        var target = safeTarget(raw);
        if (target === null) {
          showError("Refusing to open the " + name + " link: only http and https URLs are allowed (got " + JSON.stringify(raw.slice(0, 80)) + ").");
          return;
        }
        window.location.assign(target);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
