// The hall's screens, with JavaScript: the kiosk returns home after a while untouched, the slip prints
// from its button, and the board follows the calls live. Without JavaScript the pages refresh themselves
// (meta refresh) and the kiosk returns home after a fixed time.
(function () {
  "use strict";
  var root = document.documentElement;
  var home = root.getAttribute("data-kiosk-home");
  if (home) {
    var idle = (parseInt(root.getAttribute("data-kiosk-idle"), 10) || 90) * 1000;
    var timer = null;
    var reset = function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { location.replace(home); }, idle);
    };
    ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (e) { window.addEventListener(e, reset, { passive: true }); });
    reset();
  }
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-print]") : null;
    if (t) window.print();
  });
  var board = document.querySelector("[data-live]");
  if (!board) return;
  var url = board.getAttribute("data-live");
  var calling = document.getElementById("calling");
  var cell = function (cls, text, mn) {
    var td = document.createElement("td");
    td.className = cls;
    if (mn) {
      var bi = document.createElement("span"); bi.className = "bi";
      var m = document.createElement("span"); m.className = "mn"; m.lang = "mn-Mong"; m.textContent = mn;
      var z = document.createElement("span"); z.className = "zh"; z.lang = "zh-Hans"; z.textContent = text;
      bi.appendChild(m); bi.appendChild(z); td.appendChild(bi);
    } else {
      td.textContent = text;
    }
    return td;
  };
  var seen = "";
  var poll = function () {
    fetch(url, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (b) {
      if (!b) return;
      var key = JSON.stringify(b.calling);
      if (key !== seen && b.calling.length) {
        seen = key;
        while (calling.firstChild) calling.removeChild(calling.firstChild);
        b.calling.forEach(function (c) {
          var tr = document.createElement("tr");
          tr.appendChild(cell("no", c.no));
          tr.appendChild(cell("win", c.window, c.window_mn));
          calling.appendChild(tr);
        });
      }
      b.figures.forEach(function (f) {
        var row = document.getElementById("fig-" + f.category);
        if (!row) return;
        row.querySelector(".n").textContent = f.waiting;
        row.querySelector(".avg").textContent = f.avg_wait_minutes;
      });
    }).catch(function () {}).then(function () { setTimeout(poll, 2000); });
  };
  setTimeout(poll, 2000);
})();
