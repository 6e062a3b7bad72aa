// Bianmin's outbox: intake that survives a village station's dropped link (issue 13, item 4).
//
// A progressive enhancement: without this script every form posts as it always did. With it, a form
// marked data-outbox keeps what is typed (a draft, restored after a reload), and on submit puts the
// submission in a queue kept in the browser's localStorage, which outlives a reload and a browser restart.
// The queue is sent whenever the link answers: at once, when the browser says it is online again, when a
// page with the script opens, and every 15 seconds while something waits. Each entry carries the form's
// idempotency key (the hidden field "idem"), so a submission that reached the server but whose answer was
// lost is sent again without making a second case: the server returns the first one. An entry leaves the
// queue only when the server has answered it.
//
// Entries have a kind, and each kind its sender. "form" is built in; uploads.js adds "upload" (the
// resumable upload of issue 13, item 1: chunks sent to an upload id from an offset), with the file's bytes
// kept in IndexedDB. An entry may list in "after" the entries it needs sent first. Register a sender with BianminOutbox.register(kind, function (entry) -> Promise)
// resolving {state: "sent", url, no} or {state: "refused"}, and rejecting on a network failure (the entry
// then waits); BianminOutbox.add(entry) queues an entry of any kind.
(function () {
  "use strict";
  var QUEUE = "bianmin.outbox.v1";
  var DRAFTS = "bianmin.drafts.v1";
  var KEEP_SENT = 20;
  var box = document.getElementById("outbox");
  var senders = {};

  function read(key, empty) {
    try {
      var v = JSON.parse(localStorage.getItem(key));
      return v || empty;
    } catch (e) {
      return empty;
    }
  }
  function write(key, v) {
    try {
      localStorage.setItem(key, JSON.stringify(v));
      return true;
    } catch (e) {
      return false; // storage full or refused: the page still posts the old way
    }
  }
  function queue() { return read(QUEUE, []); }

  function update(id, change) {
    var q = queue();
    for (var i = 0; i < q.length; i++) {
      if (q[i].id === id) {
        for (var k in change) q[i][k] = change[k];
      }
    }
    var sent = q.filter(function (e) { return e.state === "sent"; });
    if (sent.length > KEEP_SENT) {
      var drop = sent.slice(0, sent.length - KEEP_SENT).map(function (e) { return e.id; });
      q = q.filter(function (e) { return drop.indexOf(e.id) < 0; });
    }
    write(QUEUE, q);
  }

  function text(name) { return (box && box.getAttribute("data-" + name)) || name; }

  // render shows what waits and what was sent, newest first.
  function render() {
    if (!box) return;
    var q = queue();
    var list = box.querySelector("ul");
    list.textContent = "";
    var waiting = 0;
    for (var i = q.length - 1; i >= 0; i--) {
      var e = q[i];
      if (e.state !== "sent") waiting++;
      var li = document.createElement("li");
      li.className = "outbox-" + e.state;
      li.setAttribute("data-id", e.id);
      var state = document.createElement("strong");
      state.textContent = text(e.state === "sending" ? "waiting" : e.state);
      li.appendChild(state);
      li.appendChild(document.createTextNode(" " + (e.label || e.action) + " · " + new Date(e.queued).toLocaleString()));
      if (e.state === "sent" && e.url) {
        var a = document.createElement("a");
        a.href = e.url;
        a.textContent = " " + (e.no || text("open"));
        li.appendChild(a);
      }
      if (e.state === "refused") {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = text("fix");
        b.setAttribute("data-fix", e.id);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
      }
      list.appendChild(li);
    }
    box.hidden = q.length === 0;
    var count = box.querySelector(".outbox-count");
    if (count) count.textContent = text("count").replace("{n}", String(waiting));
  }

  // fields reads a form as name/value pairs, without the session's form token (taken fresh when sending:
  // after a browser restart the session, and its token, may be new).
  function fields(form) {
    var out = [];
    var data = new FormData(form);
    data.forEach(function (v, k) {
      if (k !== "csrf" && typeof v === "string") out.push([k, v]);
    });
    return out;
  }
  function token() {
    var t = document.querySelector("input[name=csrf]");
    return t ? t.value : "";
  }

  senders.form = function (e) {
    var body = new URLSearchParams();
    e.fields.forEach(function (f) { body.append(f[0], f[1]); });
    body.set("csrf", token());
    return fetch(e.action, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" }).then(function (r) {
      var path = new URL(r.url).pathname;
      if (r.ok && r.redirected && /^\/cases\/[^/]+$/.test(path)) {
        var no = "";
        try { no = decodeURIComponent(r.headers.get("X-Case-No") || ""); } catch (e) { no = ""; }
        return { state: "sent", url: path, no: no };
      }
      if (path === "/login" || r.status === 403 || r.status >= 500) {
        throw new Error("not now"); // signed out, a stale token, a server in trouble: it waits
      }
      return { state: "refused" };
    });
  };

  var busy = false;
  function flush() {
    if (busy) return Promise.resolve();
    busy = true;
    var run = function () {
      var q = queue();
      var sentIDs = q.filter(function (e) { return e.state === "sent"; }).map(function (e) { return e.id; });
      // the first entry this page can send: a kind whose sender another page registers waits for that page
      var next = q.filter(function (e) {
        return (e.state === "waiting" || e.state === "sending") && senders[e.kind] && (e.after || []).every(function (id) { return sentIDs.indexOf(id) >= 0; });
      })[0];
      if (!next) return Promise.resolve();
      update(next.id, { state: "sending", tries: (next.tries || 0) + 1 });
      render();
      return senders[next.kind](next).then(function (res) {
        update(next.id, { state: res.state, url: res.url || "", no: res.no || "", sent: new Date().toISOString() });
        if (res.state === "sent") dropDrafts(next.id);
        render();
        // the page may want to show what arrived (a file on its case page)
        window.dispatchEvent(new CustomEvent("bianmin:outbox", { detail: { id: next.id, kind: next.kind, state: res.state, url: res.url || "" } }));
        return run();
      }, function () {
        update(next.id, { state: "waiting" });
        render();
      });
    };
    // one tab sends at a time (the server's idempotency keeps a second sending harmless all the same)
    var locked = navigator.locks ? navigator.locks.request("bianmin-outbox", run) : run();
    return locked.then(function () { busy = false; }, function () { busy = false; });
  }

  function add(entry) {
    var q = queue();
    if (q.some(function (e) { return e.id === entry.id; })) return true; // already queued: never twice
    entry.state = "waiting";
    entry.queued = new Date().toISOString();
    q.push(entry);
    return write(QUEUE, q);
  }

  window.BianminOutbox = {
    register: function (kind, send) { senders[kind] = send; },
    add: function (entry) { var ok = add(entry); render(); flush(); return ok; },
    flush: flush,
    // entry reads a queued entry; note records what a sender learnt on the way (an upload's id), so that
    // a later attempt goes on from there
    entry: function (id) { return queue().filter(function (e) { return e.id === id; })[0]; },
    note: function (id, change) { update(id, change); },
  };

  // drafts: what is typed into an outbox form, kept under the page's address and its key
  function draftKey(form) { return location.pathname + location.search + "#" + (form.id || ""); }
  function saveDraft(form) {
    var d = read(DRAFTS, {});
    d[draftKey(form)] = fields(form);
    write(DRAFTS, d);
  }
  // dropDrafts forgets the drafts of a submission once the server has it.
  function dropDrafts(id) {
    var d = read(DRAFTS, {});
    for (var k in d) {
      if (d[k].some(function (f) { return f[0] === "idem" && f[1] === id; })) delete d[k];
    }
    write(DRAFTS, d);
  }
  function restore(form, values) {
    values.forEach(function (f) {
      var els = form.querySelectorAll("[name='" + f[0].replace(/'/g, "") + "']");
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.value === f[1]) el.checked = true;
        } else if (el.type !== "file") {
          el.value = f[1];
        }
      }
    });
  }

  function label(form) {
    var l = form.getAttribute("data-outbox-label") || "";
    var checked = form.querySelector("input[type=radio]:checked");
    if (checked && checked.labels && checked.labels[0]) l += " · " + checked.labels[0].textContent.trim();
    return l;
  }

  var forms = document.querySelectorAll("form[data-outbox]");
  Array.prototype.forEach.call(forms, function (form) {
    var d = read(DRAFTS, {})[draftKey(form)];
    if (d) restore(form, d); // the same key too: a draft sent after a reload is the same submission
    form.addEventListener("input", function () { saveDraft(form); });
    form.addEventListener("change", function () { saveDraft(form); });
    form.addEventListener("submit", function (ev) {
      var idem = form.querySelector("input[name=idem]");
      if (!idem || !idem.value) return; // no key, no queue: the form posts as it always did
      var entry = { id: idem.value, kind: "form", action: form.getAttribute("action"), fields: fields(form), label: label(form) };
      if (!add(entry)) return; // nowhere to keep it: post the old way
      ev.preventDefault();
      saveDraft(form); // with its key: the same form sent again after a reload is the same submission
      render();
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      flush().then(function () {
        var sent = queue().filter(function (e) { return e.id === entry.id; })[0];
        if (sent && sent.state === "sent" && sent.url) {
          location.assign(sent.url + "?ok=received");
        } else if (sent && sent.state === "refused") {
          // the server found something to mend: post it the old way, to see its messages by each field
          write(QUEUE, queue().filter(function (e) { return e.id !== entry.id; }));
          form.submit();
        } else if (box) {
          box.focus(); // it waits: the station sees it in the list; the button stays off, one submission
        }
      });
    });
  });

  if (box) {
    box.addEventListener("click", function (ev) {
      var id = ev.target.getAttribute && ev.target.getAttribute("data-fix");
      var form = document.querySelector("form[data-outbox]");
      if (!id) return;
      var e = queue().filter(function (x) { return x.id === id; })[0];
      write(QUEUE, queue().filter(function (x) { return x.id !== id; }));
      if (e && form) {
        restore(form, e.fields);
        form.submit(); // to the server's page with its messages
      }
      render();
    });
    var clear = box.querySelector("[data-clear-sent]");
    if (clear) {
      clear.addEventListener("click", function () {
        write(QUEUE, queue().filter(function (e) { return e.state !== "sent"; }));
        render();
      });
    }
  }

  render();
  window.addEventListener("online", flush);
  window.addEventListener("storage", function (ev) { if (ev.key === QUEUE) render(); });
  setInterval(function () {
    if (queue().some(function (e) { return e.state === "waiting" || e.state === "sending"; })) flush();
  }, 15000);
  flush();
})();
