/* The service worker of the phone app (issue 14), served at /sw.js with scope "/".
 *
 * What it keeps: the look and the app's code (static files), and the few pages that are
 * safe to keep (the home page and the phone workbench /m/), only for the person logged in.
 * Nothing else is cached: no other page, no data endpoint, no upload, no POST. The phone's
 * data lives in IndexedDB (queue.js), which a logout clears. */
"use strict";
importScripts("/*QUEUE_JS*/");

var STATIC_CACHE = "zc-static-/*VERSION*/";
var APP_SHELL = [/*APP_SHELL*/];
var SAFE_PAGES = ["/", "/m/"];
var WORKBENCH = "/m/";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(APP_SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("zc-static-") === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function sessionValid() {
  return self.ZCQueue.getMeta().then(function (meta) {
    return Boolean(meta.uid) && (!meta.expires || new Date(meta.expires) > new Date());
  }, function () { return false; });
}

function offlinePage() {
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>离线 Offline</title><p style='font-family:sans-serif;padding:1rem'>" +
    "没有网络，本页未保存在手机上。<br>No network, and this page is not kept on the phone.</p>" +
    "<p style='font-family:sans-serif;padding:0 1rem'><a href='" + WORKBENCH + "'>驻村工作 · " +
    "Phone app</a></p>";
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

function navigate(request, url) {
  var safe = SAFE_PAGES.indexOf(url.pathname) !== -1;
  return fetch(request).then(function (response) {
    if (safe && response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      sessionValid().then(function (valid) {
        if (valid) { caches.open(self.ZCQueue.PAGE_CACHE).then(function (c) { c.put(url.pathname, copy); }); }
      });
    }
    return response;
  }, function () {
    // No network: the kept copy of this page, else the workbench, while the session lasts.
    return sessionValid().then(function (valid) {
      if (!valid) {
        // Cached data expires with the session: kept pages and village copies go.
        return self.ZCQueue.expireData().catch(function () {}).then(offlinePage);
      }
      return caches.open(self.ZCQueue.PAGE_CACHE).then(function (cache) {
        return cache.match(safe ? url.pathname : WORKBENCH).then(function (hit) {
          return hit || cache.match(WORKBENCH);
        });
      }).then(function (hit) { return hit || offlinePage(); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(STATIC_CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
        if (hit) {
          fresh.catch(function () {});  // kept copy now, a fresh one for next time
          return hit;
        }
        return fresh;
      });
    }));
  }
});

/* Background Sync, where the browser has it: send what waits even with the page closed. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "zc-flush") { return; }
  event.waitUntil(self.ZCQueue.getMeta().then(function (meta) {
    if (!meta.uid) { return; }
    return self.ZCQueue.flush(meta.uid, meta.csrf).then(function (summary) {
      return self.clients.matchAll({type: "window"}).then(function (clients) {
        clients.forEach(function (client) { client.postMessage({type: "zc-flushed", summary: summary}); });
      });
    });
  }));
});
