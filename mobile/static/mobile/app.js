/* On every page (issue 14): the service worker, sending what waits on the phone, who is
 * logged in on this phone, and a logout that clears the phone's copy. */
(function () {
  "use strict";
  var script = document.currentScript;
  var Q = window.ZCQueue;
  var uid = script.dataset.user || "";
  var app = {
    uid: uid,
    csrf: script.dataset.csrf || "",
    expires: script.dataset.expires || "",
    texts: script.dataset,
    listeners: []
  };
  window.ZCApp = app;
  if (!Q || !window.indexedDB) { return; }

  app.onChange = function (listener) { app.listeners.push(listener); };
  app.changed = function (summary) {
    if (!uid) { return Promise.resolve([]); }
    return Q.records(uid).then(function (rows) {
      app.listeners.forEach(function (listener) { listener(rows, summary || {}); });
      var banner = document.getElementById("zc-queue-banner");
      var waiting = rows.filter(function (r) { return r.status === "waiting"; }).length;
      var refused = rows.length - waiting;
      if (banner) {
        banner.hidden = !rows.length;
        banner.querySelector("[data-zc-count]").textContent = app.waitingText(waiting, refused);
      }
      return rows;
    });
  };
  app.waitingText = function (waiting, refused) {
    var text = app.texts.textWaiting.replace("{n}", waiting);
    if (refused) { text += " " + app.texts.textRefused.replace("{n}", refused); }
    return text;
  };
  app.flush = function () {
    if (!uid || !navigator.onLine) { return app.changed(); }
    return Q.flush(uid, app.csrf).then(function (summary) { return app.changed(summary); },
                                       function () { return app.changed(); });
  };
  app.requestSync = function () {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(); }
    return navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("zc-flush"); }
    }).catch(function () {});
  };

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.dataset.sw, {scope: "/"}).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "zc-flushed") { app.changed(event.data.summary); }
    });
  }

  var ready;
  if (uid) {
    ready = Q.getMeta().then(function (meta) {
      // Another person was logged in on this phone: their kept pages and data go.
      var jobs = [];
      if (meta.uid && String(meta.uid) !== uid) {
        jobs.push(window.caches ? caches.delete(Q.PAGE_CACHE) : null, Q.clearData(meta.uid));
      }
      if (navigator.onLine || !meta.uid) {
        jobs.push(Q.setMeta({uid: uid, csrf: app.csrf, expires: app.expires}));
      }
      return Promise.all(jobs).then(function () { return meta; });
    }).then(function (meta) {
      var expires = navigator.onLine ? app.expires : meta.expires;
      if (expires && new Date(expires) < new Date()) {
        app.expired = true;
        return Q.expireData();
      }
    });
  } else {
    // Nobody is logged in (logged out, or the session ended): kept data expires with it.
    ready = Q.expireData().then(function () {
      return Q.getMeta().then(function (meta) {
        if (meta.uid) { return Q.setMeta({uid: null, csrf: "", expires: ""}); }
      });
    });
  }
  app.ready = ready.catch(function () {}).then(function () { return app.flush(); });

  window.addEventListener("online", function () { app.flush(); });

  /* Logout clears this person's queue, data and kept pages; waiting records are named
   * first, so that nothing is lost without the person knowing. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-logout") || form.dataset.cleared) { return; }
    event.preventDefault();
    Q.records(uid).catch(function () { return []; }).then(function (rows) {
      if (rows.length && !window.confirm(app.texts.textLogoutConfirm.replace("{n}", rows.length))) {
        return;
      }
      return Q.forgetUser(uid).catch(function () {}).then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  });
})();
