/* The phone's own store (IndexedDB) and the sender of waiting records (issue 14).
 *
 * Runs in pages and in the service worker alike (no DOM here). Each person has their own
 * database ("zc-user-<id>"), so a second person on the same phone sees none of the first
 * one's queue; "zc-meta" only says who was last logged in, their CSRF token and when their
 * session expires. */
(function (root) {
  "use strict";
  var META_DB = "zc-meta";
  var USER_DB_PREFIX = "zc-user-";
  var PAGE_CACHE = "zc-pages";
  var SYNC_URL = "/m/sync/";

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function openDb(name, stores) {
    var req = root.indexedDB.open(name, 1);
    req.onupgradeneeded = function () {
      stores.forEach(function (store) {
        if (!req.result.objectStoreNames.contains(store[0])) {
          req.result.createObjectStore(store[0], {keyPath: store[1]});
        }
      });
    };
    return request(req);
  }

  function userDb(uid) {
    return openDb(USER_DB_PREFIX + uid, [["queue", "client_key"], ["data", "name"]]);
  }

  function run(dbPromise, store, mode, action) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        request(action(tx.objectStore(store))).then(function (value) { result = value; }, reject);
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var Q = {
    PAGE_CACHE: PAGE_CACHE,
    getMeta: function () {
      return run(openDb(META_DB, [["meta", "name"]]), "meta", "readonly", function (s) {
        return s.get("current");
      }).then(function (row) { return row || {name: "current"}; });
    },
    setMeta: function (meta) {
      meta.name = "current";
      return run(openDb(META_DB, [["meta", "name"]]), "meta", "readwrite", function (s) {
        return s.put(meta);
      });
    },
    records: function (uid) {
      return run(userDb(uid), "queue", "readonly", function (s) { return s.getAll(); })
        .then(function (rows) {
          return rows.sort(function (a, b) { return a.captured_at < b.captured_at ? -1 : 1; });
        });
    },
    put: function (uid, record) {
      return run(userDb(uid), "queue", "readwrite", function (s) { return s.put(record); });
    },
    remove: function (uid, key) {
      return run(userDb(uid), "queue", "readwrite", function (s) { return s.delete(key); });
    },
    getData: function (uid, name) {
      return run(userDb(uid), "data", "readonly", function (s) { return s.get(name); });
    },
    setData: function (uid, name, value) {
      return run(userDb(uid), "data", "readwrite", function (s) {
        return s.put({name: name, value: value});
      });
    },
    clearData: function (uid) {
      return run(userDb(uid), "data", "readwrite", function (s) { return s.clear(); });
    },
    /* Logout: this person's queue, data and every cached page go. */
    forgetUser: function (uid) {
      // Another open tab may hold the database a moment: the logout does not wait for it.
      var deleted = Promise.race([
        request(root.indexedDB.deleteDatabase(USER_DB_PREFIX + uid)).catch(function () {}),
        new Promise(function (resolve) { setTimeout(resolve, 2000); })
      ]);
      return Promise.all([
        deleted,
        root.caches ? root.caches.delete(PAGE_CACHE) : Promise.resolve(),
        Q.setMeta({uid: null, csrf: "", expires: ""})
      ]);
    },
    /* Cached data expires with the session: drop every person's offline data (their
     * waiting records stay, to be sent when they log in again). */
    expireData: function () {
      var jobs = [root.caches ? root.caches.delete(PAGE_CACHE) : Promise.resolve()];
      if (root.indexedDB.databases) {
        jobs.push(root.indexedDB.databases().then(function (dbs) {
          return Promise.all(dbs.filter(function (db) {
            return db.name && db.name.indexOf(USER_DB_PREFIX) === 0;
          }).map(function (db) {
            return Q.clearData(db.name.slice(USER_DB_PREFIX.length));
          }));
        }));
      }
      return Promise.all(jobs);
    },
    /* Send every waiting record, oldest first. Stops at the first network failure; a
     * refusal is kept on the phone with the server's message. */
    flush: function (uid, csrf) {
      if (Q._flushing) {
        // A record saved while a send is under way goes in the next round.
        return Q._flushing.then(function () { return Q.flush(uid, csrf); });
      }
      var locks = root.navigator && root.navigator.locks;
      // One sender at a time across the open pages and the service worker's Background
      // Sync, so that a record is not sent twice at once (the server would still store
      // it once).
      Q._flushing = locks
        ? locks.request("zc-flush-" + uid, function () { return Q._flush(uid, csrf); })
        : Q._flush(uid, csrf);
      return Q._flushing.then(function (summary) { Q._flushing = null; return summary; },
                              function (error) { Q._flushing = null; throw error; });
    },
    _flush: function (uid, csrf) {
      var summary = {sent: 0, refused: 0, stopped: ""};
      return Q.records(uid).then(function (rows) {
        var waiting = rows.filter(function (r) { return r.status === "waiting"; });
        return waiting.reduce(function (chain, record) {
          return chain.then(function () {
            if (summary.stopped) { return; }
            return Q.send(record, csrf).then(function (answer) {
              if (answer.status === "stored" || answer.status === "duplicate") {
                summary.sent += 1;
                return Q.remove(uid, record.client_key);
              }
              if (answer.status === "refused") {
                summary.refused += 1;
                record.status = "refused";
                record.message = answer.message;
                return Q.put(uid, record);
              }
              summary.stopped = answer.status;
            }, function () {
              summary.stopped = "network";
            });
          });
        }, Promise.resolve());
      }).then(function () {
        if (!summary.stopped) { return; }
        // Whatever could not go now is sent late: it keeps the time it was made.
        return Q.records(uid).then(function (rows) {
          return Promise.all(rows.filter(function (r) { return r.status === "waiting" && !r.sent_late; })
            .map(function (r) { r.sent_late = true; return Q.put(uid, r); }));
        });
      }).then(function () { return summary; });
    },
    send: function (record, csrf) {
      var body = new FormData();
      body.append("record_type", record.kind);
      body.append("client_key", record.client_key);
      body.append("captured_at", record.captured_at);
      body.append("sent_late", record.sent_late ? "1" : "0");
      record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
      (record.files || []).forEach(function (file) {
        body.append(file.field, file.blob, file.filename);
      });
      return root.fetch(SYNC_URL, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: {"X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest"}
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // A login page or a CSRF failure: not an answer about the record itself.
          return {status: response.status === 403 ? "login" : "server"};
        }
        return response.json().then(function (answer) {
          if (response.status >= 500) { return {status: "server"}; }
          return answer;
        });
      });
    }
  };
  root.ZCQueue = Q;
})(self);
