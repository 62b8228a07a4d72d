/* The phone workbench (/m/, issue 14): forms that save on the phone first and send when
 * they can, the queue with the server's answers, and the village's offline copy. */
(function () {
  "use strict";
  var root = document.getElementById("zc-workbench");
  var app = window.ZCApp;
  var Q = window.ZCQueue;
  if (!root || !app || !Q || !app.uid) { return; }
  var text = root.dataset;
  var uid = app.uid;
  var editing = {};  // kind -> the refused record being fixed (its key is kept)
  var bundle = null;
  var banner = document.getElementById("zc-queue-banner");
  if (banner) { banner.remove(); }  // this page shows the queue itself

  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function setToday(form) {
    (form || root).querySelectorAll("input[data-today]").forEach(function (input) {
      if (!input.value) { input.value = today(); }
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function showNetwork() {
    document.getElementById("zc-net").textContent = navigator.onLine ? text.textOnline : text.textOffline;
    document.getElementById("zc-net").className = "small mb-2 " + (navigator.onLine ? "text-success" : "text-danger");
  }

  /* --- the village's offline copy ------------------------------------------------------- */

  function householdName(id) {
    var found = (bundle && bundle.households || []).filter(function (h) { return String(h.id) === String(id); })[0];
    return found ? found.head_name : "";
  }

  function chooseHousehold(id) {
    document.getElementById("zc-household").value = String(id);
    document.getElementById("visit").scrollIntoView();
  }

  function householdItem(h, withCard) {
    var item = el("li", {"class": "list-group-item d-flex justify-content-between gap-2", "data-testid": "offline-household", "data-household": String(h.id)});
    var left = el("div");
    left.appendChild(el("span", {"class": "fw-semibold"}, h.head_name));
    if (h.group) { left.appendChild(el("span", {"class": "small text-muted ms-1"}, h.group)); }
    if (h.overdue) { left.appendChild(el("span", {"class": "badge text-bg-danger ms-1"}, text.textOverdue)); }
    if (h.is_key) { left.appendChild(el("span", {"class": "badge text-bg-warning ms-1"}, text.textKey)); }
    var facts = [h.due ? text.textDue + " " + h.due : "", text.textLastVisit + " " + (h.last_visit || "—")];
    if (withCard) {
      facts = [h.id_number, h.village, h.address, h.phone, h.poverty_status, h.zone].concat(facts);
    }
    left.appendChild(el("div", {"class": "small text-muted", "data-testid": "household-facts"},
                        facts.filter(Boolean).join(" · ")));
    if (withCard && h.members.length) {
      left.appendChild(el("div", {"class": "small"}, h.members.map(function (m) {
        return m.name + (m.relation ? " (" + m.relation + ")" : "");
      }).join("、")));
    }
    var button = el("button", {"type": "button", "class": "btn btn-sm btn-primary align-self-start", "data-testid": "offline-visit-button"}, text.textLogVisit);
    button.addEventListener("click", function () { chooseHousehold(h.id); });
    item.appendChild(left);
    item.appendChild(button);
    return item;
  }

  function render() {
    var list = document.getElementById("zc-to-visit");
    var cards = document.getElementById("zc-households");
    var select = document.getElementById("zc-household");
    var visitors = document.getElementById("zc-visitors");
    list.replaceChildren(); cards.replaceChildren();
    while (select.options.length > 1) { select.remove(1); }
    visitors.replaceChildren();
    if (!bundle) {
      document.getElementById("zc-data-age").textContent = app.expired ? text.textExpired : text.textNoCopy;
      return;
    }
    root.dataset.loaded = "1";
    document.getElementById("zc-data-age").textContent =
      text.textCopyOf + " " + new Date(bundle.made_at).toLocaleString();
    var byId = {};
    bundle.households.forEach(function (h) {
      byId[h.id] = h;
      select.appendChild(el("option", {value: String(h.id)}, h.head_name + (h.group ? " · " + h.group : "")));
      var card = el("ul", {"class": "list-group mb-2"});
      card.appendChild(householdItem(h, true));
      cards.appendChild(card);
    });
    bundle.to_visit.forEach(function (id) { list.appendChild(householdItem(byId[id], false)); });
    if (!bundle.to_visit.length) { list.appendChild(el("li", {"class": "list-group-item"}, text.textNothingDue)); }
    bundle.teammates.forEach(function (cadre) {
      var id = "zc-visitor-" + cadre.id;
      var box = el("div", {"class": "form-check form-check-inline"});
      var input = el("input", {type: "checkbox", name: "visitors", value: String(cadre.id), id: id, "class": "form-check-input"});
      input.checked = cadre.id === bundle.me;
      box.appendChild(input);
      box.appendChild(el("label", {"for": id, "class": "form-check-label"}, cadre.name));
      visitors.appendChild(box);
    });
    markWaiting();
    var checked = document.getElementById("zc-checked-in");
    checked.hidden = !(bundle.checked_in_today && bundle.today === today());
    checked.textContent = text.textCheckedIn;
  }

  function loadBundle() {
    var stored = Q.getData(uid, "bundle").then(function (row) {
      var value = row && row.value;
      if (value && (String(value.user) !== String(uid) || new Date(value.expires) < new Date())) {
        app.expired = true;
        return Q.clearData(uid).then(function () { return null; });
      }
      return value || null;
    });
    if (!navigator.onLine) { return stored; }
    return fetch(root.dataset.dataUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || response.redirected || type.indexOf("application/json") === -1) { return stored; }
        return response.json().then(function (value) {
          return Q.setData(uid, "bundle", value).then(function () { return value; });
        });
      }, function () { return stored; });
  }

  /* A household whose visit is still on the phone says so in the lists. */
  var lastRows = [];
  function markWaiting() {
    var waiting = {};
    lastRows.forEach(function (record) {
      if (record.kind !== "visit") { return; }
      record.fields.forEach(function (pair) { if (pair[0] === "household") { waiting[pair[1]] = true; } });
    });
    root.querySelectorAll("[data-household]").forEach(function (item) {
      var badge = item.querySelector(".zc-waiting");
      if (waiting[item.dataset.household] && !badge) {
        item.firstChild.appendChild(el("span", {"class": "badge text-bg-info ms-1 zc-waiting", "data-testid": "visit-on-phone"}, text.textSaved));
      } else if (!waiting[item.dataset.household] && badge) {
        badge.remove();
      }
    });
  }

  /* --- the queue ------------------------------------------------------------------------- */

  function renderQueue(rows, summary) {
    lastRows = rows;
    markWaiting();
    var list = document.getElementById("zc-queue");
    var template = document.getElementById("zc-queue-item");
    var waiting = rows.filter(function (r) { return r.status === "waiting"; }).length;
    var status = document.getElementById("zc-queue-status");
    status.textContent = rows.length ? app.waitingText(waiting, rows.length - waiting) : text.textAllSent;
    status.className = "mb-2 fw-semibold " + (rows.length ? "text-warning-emphasis" : "text-success");
    status.dataset.waiting = String(waiting);
    status.dataset.refused = String(rows.length - waiting);
    list.replaceChildren();
    rows.forEach(function (record) {
      var item = template.content.firstElementChild.cloneNode(true);
      var field = function (name) { return item.querySelector("[data-f=" + name + "]"); };
      item.dataset.key = record.client_key;
      item.dataset.status = record.status;
      field("label").textContent = record.label;
      field("status").textContent = record.status === "refused" ? text.textRefusedStatus : text.textWaitingStatus;
      field("status").className = "badge " + (record.status === "refused" ? "text-bg-danger" : "text-bg-secondary");
      field("time").textContent = new Date(record.captured_at).toLocaleString() +
        (record.sent_late ? " · " + text.textLate : "");
      field("message").textContent = record.message || "";
      item.querySelector("[data-act=edit]").hidden = record.status !== "refused";
      item.querySelector("[data-act=retry]").hidden = record.status !== "refused";
      item.querySelector("[data-act=edit]").addEventListener("click", function () { edit(record); });
      item.querySelector("[data-act=retry]").addEventListener("click", function () {
        record.status = "waiting"; record.message = "";
        Q.put(uid, record).then(app.flush);
      });
      item.querySelector("[data-act=drop]").addEventListener("click", function () {
        if (window.confirm(text.textDropConfirm)) { Q.remove(uid, record.client_key).then(app.changed); }
      });
      list.appendChild(item);
    });
    if (summary && summary.sent) {
      loadBundle().then(function (value) { bundle = value; render(); });
    }
  }

  function edit(record) {
    var form = root.querySelector("form[data-zc-kind=" + record.kind + "]");
    if (!form) { return; }
    form.reset();
    var values = {};
    record.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.type === "file" || !(input.name in values)) {
        if (input.type === "checkbox") { input.checked = false; }
        return;
      }
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = values[input.name].indexOf(input.value) !== -1;
      } else if (input.multiple) {
        Array.prototype.forEach.call(input.options, function (o) { o.selected = values[input.name].indexOf(o.value) !== -1; });
      } else {
        input.value = values[input.name][0];
      }
    });
    editing[record.kind] = record;
    form.dispatchEvent(new Event("change"));
    form.scrollIntoView();
  }

  /* --- the forms ------------------------------------------------------------------------- */

  function label(kind, fields) {
    var get = function (name) {
      var pair = fields.filter(function (p) { return p[0] === name; })[0];
      return pair ? pair[1] : "";
    };
    var name = text["textKind" + kind.charAt(0).toUpperCase() + kind.slice(1)];
    if (kind === "visit") { return name + " · " + householdName(get("household")) + " · " + get("date"); }
    if (kind === "ledger") { return name + " · " + get("title") + " · " + get("date"); }
    if (kind === "diary") { return name + " · " + get("date"); }
    return name;
  }

  function save(form) {
    var kind = form.dataset.zcKind;
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) { files.push({field: name, blob: value, filename: value.name}); }
      } else {
        fields.push([name, value]);
      }
    });
    var fixing = editing[kind];
    delete editing[kind];
    var record = {
      client_key: fixing ? fixing.client_key : newKey(),
      kind: kind,
      label: label(kind, fields),
      captured_at: fixing ? fixing.captured_at : new Date().toISOString(),
      sent_late: fixing ? fixing.sent_late : !navigator.onLine,
      status: "waiting",
      message: "",
      fields: fields,
      files: files.length || !fixing ? files : fixing.files
    };
    return Q.put(uid, record).then(function () {
      form.reset();
      setToday(form);
      render();
      return app.changed();
    }).then(function () {
      if (!navigator.onLine) { app.requestSync(); return; }
      return app.flush();
    });
  }

  root.querySelectorAll("form[data-zc-kind]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // A double tap saves one record, not two.
      if (form.dataset.saving) { return; }
      form.dataset.saving = "1";
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (button) { button.disabled = true; });
      save(form).catch(function () {}).then(function () {
        delete form.dataset.saving;
        buttons.forEach(function (button) { button.disabled = false; });
      });
    });
  });

  document.getElementById("zc-checkin-located").addEventListener("click", function () {
    var form = document.getElementById("zc-checkin-form");
    var status = document.getElementById("zc-checkin-status");
    if (!navigator.geolocation) { form.requestSubmit(); return; }
    status.hidden = false;
    status.textContent = text.textLocating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      form.elements.accuracy_m.value = Math.round(pos.coords.accuracy);
      status.hidden = true;
      form.requestSubmit();
    }, function () { status.hidden = true; form.requestSubmit(); },
    {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  var ledger = document.getElementById("zc-ledger-form");
  if (ledger) {
    var showKind = function () {
      var kind = ledger.elements.kind.value;
      ledger.querySelectorAll("[data-kinds]").forEach(function (row) {
        row.hidden = row.dataset.kinds.split(" ").indexOf(kind) === -1;
        row.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = row.hidden; });
      });
    };
    ledger.addEventListener("change", showKind);
    ledger.addEventListener("reset", function () { setTimeout(showKind, 0); });
    showKind();
  }

  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  showNetwork();
  setToday();
  app.onChange(renderQueue);
  app.ready.then(function () {
    return loadBundle().then(function (value) { bundle = value; render(); });
  }).then(function () { return app.changed(); });
})();
