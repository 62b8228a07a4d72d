/* Photos resized on the phone before they are stored or sent (issue 14, item 4): longest
 * side 1,600 px, JPEG, the EXIF capture time kept. Every image chosen in a file field of
 * any page is replaced by its resized copy, so the online visit form sends light photos
 * too; the server still checks and resizes what it receives. */
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.85;

  function ascii(view, offset, count) {
    var text = "";
    for (var i = 0; i < count && offset + i < view.byteLength; i++) {
      var code = view.getUint8(offset + i);
      if (code === 0) { break; }
      text += String.fromCharCode(code);
    }
    return text;
  }

  /* DateTimeOriginal (or DateTime) of a JPEG's EXIF block, as "YYYY:MM:DD HH:MM:SS". */
  function exifTime(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return ""; }
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      var length = view.getUint16(offset + 2);
      if (marker === 0xFFE1 && ascii(view, offset + 4, 4) === "Exif") {
        return readTiff(view, offset + 10);
      }
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) { break; }
      offset += 2 + length;
    }
    return "";
  }

  function readTiff(view, start) {
    try {
      var little = view.getUint16(start) === 0x4949;
      var u16 = function (at) { return view.getUint16(start + at, little); };
      var u32 = function (at) { return view.getUint32(start + at, little); };
      var found = {};
      var readIfd = function (at) {
        var count = u16(at);
        for (var i = 0; i < count; i++) {
          var entry = at + 2 + i * 12;
          var tag = u16(entry);
          var n = u32(entry + 4);
          if (tag === 0x8769) { found.exif = u32(entry + 8); }
          if (tag === 0x0132 || tag === 0x9003) {
            found[tag] = ascii(view, start + (n > 4 ? u32(entry + 8) : entry + 8), n);
          }
        }
      };
      readIfd(u32(4));
      if (found.exif) { readIfd(found.exif); }
      return found[0x9003] || found[0x0132] || "";
    } catch (error) {
      return "";
    }
  }

  /* An EXIF APP1 segment holding DateTime and DateTimeOriginal (little-endian TIFF). */
  function exifSegment(time) {
    var tiff = new DataView(new ArrayBuffer(96));
    var put = function (at, text) {
      for (var i = 0; i < 19; i++) { tiff.setUint8(at + i, text.charCodeAt(i) || 0x20); }
    };
    tiff.setUint16(0, 0x4949); tiff.setUint16(2, 42, true); tiff.setUint32(4, 8, true);
    tiff.setUint16(8, 2, true);                       // IFD0: two entries
    tiff.setUint16(10, 0x0132, true); tiff.setUint16(12, 2, true);
    tiff.setUint32(14, 20, true); tiff.setUint32(18, 56, true);
    tiff.setUint16(22, 0x8769, true); tiff.setUint16(24, 4, true);
    tiff.setUint32(26, 1, true); tiff.setUint32(30, 38, true);
    tiff.setUint32(34, 0, true);
    tiff.setUint16(38, 1, true);                      // Exif IFD: one entry
    tiff.setUint16(40, 0x9003, true); tiff.setUint16(42, 2, true);
    tiff.setUint32(44, 20, true); tiff.setUint32(48, 76, true);
    tiff.setUint32(52, 0, true);
    put(56, time); put(76, time);
    var head = new Uint8Array([0xFF, 0xE1, 0, 0, 0x45, 0x78, 0x69, 0x66, 0, 0]);
    var size = 2 + 6 + 96;
    head[2] = size >> 8; head[3] = size & 0xFF;
    var out = new Uint8Array(head.length + 96);
    out.set(head, 0); out.set(new Uint8Array(tiff.buffer), head.length);
    return out;
  }

  function withExif(jpeg, time) {
    if (!time) { return new Blob([jpeg], {type: "image/jpeg"}); }
    var bytes = new Uint8Array(jpeg);
    var at = 2;  // after SOI, and after a JFIF APP0 segment if there is one
    if (bytes[2] === 0xFF && bytes[3] === 0xE0) { at = 4 + ((bytes[4] << 8) | bytes[5]); }
    return new Blob([bytes.slice(0, at), exifSegment(time), bytes.slice(at)], {type: "image/jpeg"});
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, {imageOrientation: "from-image"});
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = reject;
      img.src = URL.createObjectURL(file);
    });
  }

  function resize(file) {
    if (!file || !/^image\//.test(file.type) || /gif|svg/.test(file.type)) {
      return Promise.resolve(file);
    }
    return file.arrayBuffer().then(function (buffer) {
      var time = exifTime(buffer);
      return decode(file).then(function (image) {
        var width = image.width, height = image.height;
        var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/jpeg", QUALITY);
        }).then(function (blob) { return blob.arrayBuffer(); }).then(function (jpeg) {
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          return new File([withExif(jpeg, time)], name,
                          {type: "image/jpeg", lastModified: file.lastModified});
        });
      });
    }).catch(function () { return file; });
  }

  var pending = new WeakMap();

  /* Any page: replace the chosen images by resized copies before the form is sent. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.files.length) {
      return;
    }
    var job = Promise.all(Array.prototype.map.call(input.files, resize)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      input.dataset.resized = "1";
    });
    pending.set(input, job);
    input.dataset.resized = "0";
    job.then(function () { pending.delete(input); input.dispatchEvent(new Event("zc-resized", {bubbles: true})); });
  }, true);

  /* A form sent while photos are still being resized waits for them. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var jobs = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) {
      return pending.has(input);
    }).map(function (input) { return pending.get(input); });
    if (!jobs.length) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    Promise.all(jobs).then(function () { form.requestSubmit(event.submitter || undefined); });
  }, true);

  window.ZCPhotos = {resize: resize, exifTime: exifTime, MAX_SIDE: MAX_SIDE};
})();
