// Electronic materials: a photo is brought down in the browser before it is sent, where JavaScript runs, so
// that a 3 MB phone photo crosses a village link as about 300 KB. Without JavaScript the form still works:
// the server does the same (internal/files). For each file input marked data-shrink="KB", an image larger
// than KB kilobytes or 2000 px is drawn smaller on a canvas and re-encoded as JPEG, lowering the quality
// and then the size until it fits; the input then carries the smaller files (DataTransfer).
(function () {
  "use strict";
  var MAX_EDGE = 2000, MIN_EDGE = 800;
  function encode(img, edge, quality) {
    var scale = Math.min(1, edge / Math.max(img.width, img.height));
    var c = document.createElement("canvas");
    c.width = Math.round(img.width * scale);
    c.height = Math.round(img.height * scale);
    var g = c.getContext("2d");
    g.imageSmoothingQuality = "high";
    g.drawImage(img, 0, 0, c.width, c.height);
    return new Promise(function (ok) { c.toBlob(ok, "image/jpeg", quality); });
  }
  async function shrink(file, limit) {
    if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) return file;
    var img;
    try { img = await createImageBitmap(file); } catch (e) { return file; } // the server will name the fault
    if (file.size <= limit && Math.max(img.width, img.height) <= MAX_EDGE) return file;
    for (var edge = Math.min(MAX_EDGE, Math.max(img.width, img.height)); edge >= MIN_EDGE; edge = Math.floor(edge * 0.8)) {
      for (var q of [0.82, 0.72, 0.62]) {
        var blob = await encode(img, edge, q);
        if (blob && blob.size <= limit) {
          return new File([blob], file.name.replace(/\.(png|jpe?g)$/i, "") + ".jpg", { type: "image/jpeg" });
        }
      }
    }
    return file; // cannot be made small enough here: the server refuses it with its reason
  }
  function kb(n) { return Math.round(n / 1024) + " KB"; }
  document.querySelectorAll("input[type=file][data-shrink]").forEach(function (input) {
    var limit = parseInt(input.dataset.shrink, 10) * 1024;
    var out = input.parentNode.querySelector("output.shrunk");
    input.addEventListener("change", async function () {
      if (input.dataset.busy || !window.DataTransfer) return;
      input.dataset.busy = "1";
      var dt = new DataTransfer(), notes = [];
      for (var f of Array.from(input.files)) {
        var s = await shrink(f, limit);
        dt.items.add(s);
        notes.push(s === f ? kb(f.size) : kb(f.size) + " → " + kb(s.size));
      }
      input.files = dt.files;
      if (out) out.textContent = notes.join(" · ");
      input.dataset.shrunk = notes.length;
      delete input.dataset.busy;
    });
  });
  // a field whose condition does not hold is hidden (the server drops its value all the same)
  document.querySelectorAll("[data-when]").forEach(function (field) {
    var on = document.getElementById("f-f_" + field.dataset.when);
    if (!on) return;
    function show() { field.hidden = on.value !== field.dataset.equals; }
    on.addEventListener("change", show);
    show();
  });
})();
