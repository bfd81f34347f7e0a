// Storefront enhancements; every page works without them.
(function () {
  "use strict";
  // Suggestions as the shopper types: completes the last word through the catalog's suggestions endpoint.
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, last = "";
    if (!list) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        if (value.trim().length < 2 || value === last) return;
        last = value;
        var head = value.replace(/\S+$/, "");
        var url = "/api/v1/search/suggestions?limit=6&q=" + encodeURIComponent(value) +
          (input.dataset.suggest ? "&channel=" + encodeURIComponent(input.dataset.suggest) : "");
        fetch(url, {headers: {accept: "application/json"}}).then(function (r) {
          return r.ok ? r.json() : [];
        }).then(function (words) {
          list.textContent = "";
          words.forEach(function (word) {
            var option = document.createElement("option");
            option.value = head + word;
            list.appendChild(option);
          });
        }).catch(function () {});
      }, 150);
    });
  });
  // Filter and variant forms apply themselves when a choice changes; their submit button stays for keyboards.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name !== "page") form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    form.querySelectorAll(".js-hide").forEach(function (b) { b.hidden = true; });
  });
  // "Use my location": fills lat/lon from the browser's geolocation and submits the form.
  if ("geolocation" in navigator) {
    document.querySelectorAll("form[data-geolocate] [data-locate]").forEach(function (button) {
      var form = button.form;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (where) {
          form.elements.lat.value = where.coords.latitude.toFixed(4);
          form.elements.lon.value = where.coords.longitude.toFixed(4);
          if (form.elements.near) form.elements.near.value = "";
          form.submit();
        });
      });
    });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
})();
// Checkout: show the address only for methods that need one and the store picker only for pickup; one submit.
(function () {
  "use strict";
  var form = document.getElementById("checkout-form");
  if (!form) return;
  var address = document.getElementById("address-fields"), stores = document.getElementById("store-picker");
  var needsAddress = ["courier", "post", "parcel_locker", "same_day"];
  function sync() {
    var chosen = form.querySelector("input[name=method]:checked");
    var method = chosen ? chosen.value : "";
    if (address) address.hidden = needsAddress.indexOf(method) < 0;
    if (stores) stores.hidden = method !== "click_and_collect";
  }
  form.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    setTimeout(function () { if (button) button.disabled = true; }, 0);
  });
})();
// Scan and go: the camera fills the barcode field where the browser has BarcodeDetector; typing always works.
(function () {
  "use strict";
  var form = document.getElementById("scan-form"), video = document.getElementById("scan-video");
  if (!form || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = form.querySelector("[data-scan]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({formats: ["ean_13", "ean_8", "upc_a", "upc_e", "code_128"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            form.elements.barcode.value = codes[0].rawValue;
            form.submit();
          } else {
            requestAnimationFrame(look);
          }
        }).catch(function () { requestAnimationFrame(look); });
      };
      look();
    }).catch(function () { button.hidden = true; });
  });
})();
