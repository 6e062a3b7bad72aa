// Files that survive a village station's dropped link (issue 13): a file attached on a case page, or a
// delegation's or a help request's page (issue 14), is kept in the browser (IndexedDB) and queued in the outbox (outbox.js) as kind "upload", then sent by the resumable
// upload of internal/files/upload.go: started once under the entry's idempotency key, sent in chunks from the
// offset the server holds, asked where it stands after a drop, and forgotten by the browser only once the
// server has stored the file. A reload or a browser restart loses nothing; the page shows where each file is.
// Without JavaScript, or without IndexedDB, the form posts the file as it always did.
(function () {
  "use strict";
  if (!window.BianminOutbox || !window.indexedDB) return;
  var DB = "bianmin-files", STORE = "files";

  function open() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(STORE, mode);
        var req = fn(t.objectStore(STORE));
        t.oncomplete = function () { ok(req && req.result); };
        t.onerror = function () { fail(t.error); };
        t.onabort = function () { fail(t.error); };
      });
    });
  }
  var keep = function (id, blob) { return tx("readwrite", function (s) { return s.put(blob, id); }); };
  var take = function (id) { return tx("readonly", function (s) { return s.get(id); }); };
  var drop = function (id) { return tx("readwrite", function (s) { return s.delete(id); }); };

  // call sends a JSON API request; a network failure rejects (the entry waits), an answer resolves.
  function call(method, url, body, headers) {
    // the page's session, shown to be this page's by its form token (the API takes no bare cookie)
    var csrf = document.querySelector("input[name=csrf]");
    var h = Object.assign({ "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" }, headers || {});
    var init = { method: method, headers: h, credentials: "same-origin" };
    if (body !== undefined) {
      if (body instanceof Blob) {
        h["Content-Type"] = "application/offset+octet-stream";
        init.body = body;
      } else {
        h["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
    }
    return fetch(url, init).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j }; }, function () { return { status: r.status, body: {} }; });
    });
  }
  function waitOn(status) { return status === 401 || status === 403 || status === 429 || status >= 500; }

  // progress tells the page how far a file has gone.
  function progress(entry, sent) {
    var out = document.querySelector("[data-upload-for='" + entry.id + "']");
    if (out) out.value = Math.round(100 * sent / Math.max(1, entry.size));
  }

  BianminOutbox.register("upload", function (entry) {
    return take(entry.id).then(function (blob) {
      if (!blob) return { state: "refused" }; // the browser lost it: nothing to send
      var start = entry.upload ? Promise.resolve({ status: 200, body: { id: entry.upload } }) :
        call("POST", entry.api + "/uploads", { material: entry.material, name: entry.name, size: blob.size }, { "Idempotency-Key": entry.id });
      return start.then(function (res) {
        if (waitOn(res.status)) throw new Error("not now");
        if (res.status >= 400) return { state: "refused" };
        var id = res.body.id;
        entry.upload = id;
        BianminOutbox.note(entry.id, { upload: id });
        // where the server stands, then chunk after chunk from there
        var step = function () {
          return call("GET", "/api/v1/uploads/" + id).then(function (st) {
            if (waitOn(st.status)) throw new Error("not now");
            if (st.status >= 400) return { state: "refused" };
            if (st.body.file) return { state: "sent", url: entry.page, no: entry.name };
            var at = st.body.offset, chunk = st.body.chunk || 524288;
            progress(entry, at);
            return call("PATCH", "/api/v1/uploads/" + id, blob.slice(at, at + chunk), { "Upload-Offset": String(at) }).then(function (put) {
              if (waitOn(put.status)) throw new Error("not now");
              if (put.status === 409) return step(); // the server holds another offset: ask again
              if (put.status >= 400) return { state: "refused" };
              if (put.body.file) return { state: "sent", url: entry.page, no: entry.name };
              return step();
            });
          });
        };
        return step();
      });
    }).then(function (res) {
      if (res.state !== "sent") return res;
      return drop(entry.id).then(function () { return res; }, function () { return res; });
    });
  });

  // the attach forms (a case's material, a delegation's legal document, a help request's attachment): the file
  // goes into the outbox instead of the old post, and starts its upload at the form's data-upload + "/uploads"
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var status = form.querySelector(".upload-status");
    form.addEventListener("submit", function (ev) {
      if (!input || !input.files.length || input.dataset.busy) return;
      var file = input.files[0];
      var material = form.querySelector("[name=material]");
      var id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
      var entry = { id: id, kind: "upload", api: form.getAttribute("data-upload"), page: location.pathname,
        material: material ? material.value : "", name: file.name, size: file.size,
        label: (material ? material.value + " · " : "") + file.name };
      ev.preventDefault();
      keep(id, file).then(function () {
        if (!BianminOutbox.add(entry)) throw new Error("queue");
        input.value = "";
        if (status) {
          status.textContent = form.getAttribute("data-queued");
          var bar = document.createElement("progress");
          bar.max = 100;
          bar.value = 0;
          bar.setAttribute("data-upload-for", id);
          bar.setAttribute("aria-label", entry.label);
          status.appendChild(bar);
        }
        return BianminOutbox.flush();
      }).catch(function () {
        form.submit(); // no room in the browser: the old way
      });
    });
  });
  // a file of this page's case arrived: show it (the page as the server now has it)
  window.addEventListener("bianmin:outbox", function (ev) {
    var d = ev.detail;
    if (d.kind === "upload" && d.state === "sent" && d.url === location.pathname) location.assign(location.pathname + "?ok=attached");
  });
  BianminOutbox.flush();
})();
