// Admin page of the local Rupt simulator. Plain DOM code: every value from
// the simulator is set with textContent, never parsed as HTML.
(function () {
  "use strict";

  var MAX_LOG_ROWS = 500;
  var records = []; // masked request records, oldest first

  function $(id) {
    return document.getElementById(id);
  }

  // el creates an element with attributes and children (strings become text).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") {
        node.textContent = attrs[k];
      } else if (k === "className") {
        node.className = attrs[k];
      } else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) {
        node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
      }
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function status(text, isError) {
    var s = $("status");
    s.textContent = text;
    s.className = "status-line " + (isError ? "error" : "ok");
  }

  // api calls the admin API and resolves with the decoded JSON body.
  function api(method, path, body) {
    var opts = { method: method, headers: {}, cache: "no-store", credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          throw new Error(data.error || res.status + " " + res.statusText);
        }
        return data;
      });
    });
  }

  function timeOf(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime()) || d.getFullYear() < 2000) {
      return "—";
    }
    return d.toLocaleTimeString();
  }

  // ---- accounts ----------------------------------------------------------

  // Inputs keep what the user typed across re-renders, keyed by data-key.
  function saveInputs() {
    var saved = { values: {}, focus: null };
    Array.prototype.forEach.call($("accounts").querySelectorAll("[data-key]"), function (input) {
      if (input.dataset.dirty) {
        saved.values[input.dataset.key] = input.value;
      }
      if (input === document.activeElement) {
        saved.focus = input.dataset.key;
      }
    });
    return saved;
  }

  function restoreInputs(saved) {
    Array.prototype.forEach.call($("accounts").querySelectorAll("[data-key]"), function (input) {
      var key = input.dataset.key;
      if (Object.prototype.hasOwnProperty.call(saved.values, key)) {
        input.value = saved.values[key];
        input.dataset.dirty = "1";
      }
      if (saved.focus === key) {
        input.focus();
      }
    });
  }

  function keyed(node, key) {
    node.dataset.key = key;
    node.addEventListener("input", function () { node.dataset.dirty = "1"; });
    return node;
  }

  function renderAccounts(data) {
    var saved = saveInputs();
    var box = $("accounts");
    box.replaceChildren();
    $("no-accounts").hidden = data.accounts.length > 0;
    data.accounts.forEach(function (a) {
      box.appendChild(accountCard(a));
    });
    restoreInputs(saved);
  }

  function accountCard(a) {
    var over = a.attached_devices > a.limit;
    var badges = el("span", {}, [
      el("span", { className: "badge" + (over ? " bad" : ""), text: a.attached_devices + " of " + a.limit + " devices" }),
      " ",
      a.suspended ? el("span", { className: "badge bad", text: "suspended" }) : el("span", { className: "badge good", text: "active" })
    ]);

    var limitInput = keyed(el("input", { type: "number", min: "0", step: "1", value: String(a.limit), "aria-label": "Device limit of " + a.id }), "limit:" + a.id);
    var limitForm = el("form", { className: "toolbar" }, [
      el("label", {}, ["Device limit ", limitInput]),
      el("button", { type: "submit", className: "small", text: "Set limit" })
    ]);
    limitForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var n = Number(limitInput.value);
      if (!Number.isInteger(n) || n < 0) {
        status("The device limit must be a whole number ≥ 0.", true);
        return;
      }
      api("POST", "/admin/api/accounts/" + encodeURIComponent(a.id) + "/limit", { limit: n }).then(function () {
        delete limitInput.dataset.dirty;
        status("Limit of " + a.id + " set to " + n + ".");
        loadAccounts();
      }, function (err) { status(err.message, true); });
    });

    var suspend = el("button", { type: "button", className: "small " + (a.suspended ? "secondary" : "danger"), text: a.suspended ? "Unsuspend" : "Suspend" });
    suspend.addEventListener("click", function () {
      api("POST", "/admin/api/accounts/" + encodeURIComponent(a.id) + "/suspend", { suspended: !a.suspended }).then(function () {
        status(a.id + (a.suspended ? " unsuspended." : " suspended."));
        loadAccounts();
      }, function (err) { status(err.message, true); });
    });
    limitForm.appendChild(suspend);

    var rows = a.devices.map(function (d) { return deviceRow(d); });
    var table = el("table", {}, [
      el("thead", {}, [el("tr", {}, ["Device", "Fingerprint", "Access", "Last seen", "State", "Listeners", "Push to this device"].map(function (h) {
        return el("th", { text: h });
      }))]),
      el("tbody", {}, rows)
    ]);

    return el("section", { className: "card" }, [
      el("div", { className: "card-head" }, [el("h3", { text: a.id }), badges]),
      limitForm,
      a.devices.length ? table : el("p", { className: "note", text: "No devices." })
    ]);
  }

  function deviceRow(d) {
    var action = keyed(el("select", { "aria-label": "Message" }, [
      el("option", { value: "logout", text: "logout" }),
      el("option", { value: "challenge", text: "challenge" })
    ]), "action:" + d.id);
    action.addEventListener("change", function () { action.dataset.dirty = "1"; });
    var cid = keyed(el("input", { type: "text", placeholder: "challenge id", "aria-label": "Challenge id" }), "cid:" + d.id);
    var url = keyed(el("input", { type: "text", className: "url", placeholder: "url (challenge, optional)", "aria-label": "Challenge URL" }), "url:" + d.id);
    var form = el("form", { className: "push" }, [action, cid, url, el("button", { type: "submit", className: "small", text: "Push" })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { action: action.value, challenge_id: cid.value.trim() };
      if (body.action === "challenge") {
        if (!body.challenge_id) {
          status("A challenge needs a challenge id.", true);
          return;
        }
        body.url = url.value.trim();
      }
      api("POST", "/admin/api/devices/" + encodeURIComponent(d.id) + "/push", body).then(function (res) {
        status("Pushed " + body.action + " to " + d.id + ": delivered to " + res.delivered + " listener(s).", res.delivered === 0);
      }, function (err) { status(err.message, true); });
    });
    return el("tr", {}, [
      el("td", { className: "mono wrap", text: d.id }),
      el("td", { className: "mono", text: d.fingerprint || "—" }),
      el("td", { className: "mono wrap", text: d.access }),
      el("td", { text: timeOf(d.last_seen) }),
      el("td", {}, [el("span", { className: "badge" + (d.attached ? " good" : ""), text: d.attached ? "attached" : "detached" })]),
      el("td", { text: String(d.listeners) }),
      el("td", {}, [form])
    ]);
  }

  var loading = null;
  var again = false;
  // loadAccounts fetches and renders the accounts, coalescing bursts.
  function loadAccounts() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = api("GET", "/admin/api/accounts").then(renderAccounts, function (err) {
      status("Cannot load accounts: " + err.message, true);
    }).then(function () {
      loading = null;
      if (again) {
        again = false;
        loadAccounts();
      }
    });
    return loading;
  }

  // ---- request log -------------------------------------------------------

  function shown(rec) {
    var f = $("log-filter").value;
    if (f === "attach") {
      return rec.kind === "attach";
    }
    if (f === "api") {
      return rec.kind === "attach" || rec.kind === "detach" || rec.kind === "listen";
    }
    return true;
  }

  function details(rec) {
    var parts = [];
    if (rec.error) {
      parts.push(rec.error);
    }
    var b = rec.body || {};
    if (b.page) {
      parts.push("page " + b.page);
    }
    if (b.email) {
      parts.push(b.email);
    }
    if (b.phone) {
      parts.push(String(b.phone));
    }
    if (b.fingerprint) {
      parts.push("fp " + b.fingerprint);
    }
    if (b.last_fingerprint) {
      parts.push("last fp " + b.last_fingerprint);
    }
    if (rec.headers && rec.headers.Origin) {
      parts.push("from " + rec.headers.Origin);
    }
    return parts.join(" · ");
  }

  function logRow(rec, fresh) {
    var ok = rec.status >= 200 && rec.status < 300;
    return el("tr", { className: fresh ? "fresh" : "" }, [
      el("td", { text: timeOf(rec.time) }),
      el("td", { text: rec.kind }),
      el("td", { className: "mono wrap", text: rec.method + " " + rec.path }),
      el("td", {}, [el("span", { className: "badge " + (ok ? "good" : "bad"), text: String(rec.status) })]),
      el("td", { className: "wrap", text: rec.account || "" }),
      el("td", { className: "mono wrap", text: rec.device_id || "" }),
      el("td", { className: "wrap", text: details(rec) })
    ]);
  }

  function renderLog() {
    var rows = records.filter(shown).slice(-MAX_LOG_ROWS).reverse().map(function (r) { return logRow(r, false); });
    $("log").replaceChildren.apply($("log"), rows);
  }

  function addRecord(rec) {
    records.push(rec);
    if (records.length > MAX_LOG_ROWS * 4) {
      records = records.slice(-MAX_LOG_ROWS * 2);
    }
    if (shown(rec)) {
      var log = $("log");
      log.insertBefore(logRow(rec, true), log.firstChild);
      while (log.children.length > MAX_LOG_ROWS) {
        log.removeChild(log.lastChild);
      }
    }
  }

  // ---- live events -------------------------------------------------------

  function connect() {
    var conn = $("conn");
    var es = new EventSource("/admin/api/events");
    var timer = null;
    function soon() {
      if (timer === null) {
        timer = setTimeout(function () { timer = null; loadAccounts(); }, 150);
      }
    }
    es.onopen = function () {
      conn.textContent = "live";
      conn.className = "badge good";
      records = [];
      renderLog();
      loadAccounts();
    };
    es.onerror = function () {
      conn.textContent = "reconnecting…";
      conn.className = "badge bad";
    };
    es.onmessage = function (ev) {
      var rec;
      try {
        rec = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (records.length && rec.seq <= records[records.length - 1].seq) {
        return;
      }
      addRecord(rec);
      soon();
    };
    es.addEventListener("reset", function () {
      records = [];
      renderLog();
      soon();
    });
    es.addEventListener("devices", soon);
  }

  function init() {
    $("log-filter").addEventListener("change", renderLog);
    $("refresh").addEventListener("click", function () { loadAccounts(); });
    $("reset").addEventListener("click", function () {
      if (!window.confirm("Forget every account, device, limit and logged request?")) {
        return;
      }
      api("POST", "/admin/api/reset", {}).then(function () {
        status("Simulator reset.");
        loadAccounts();
      }, function (err) { status(err.message, true); });
    });
    loadAccounts();
    connect();
    // Listeners can close without a request; refresh now and then.
    setInterval(loadAccounts, 10000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
