/* Shared by the shopper's chat window and the advisors' console: sockets, message and product-card
   rendering. User text only ever goes into textContent; links and images only to our own paths. */
"use strict";
window.omniChat = (function () {
  function socketUrl(path) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function localPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\"
      ? url : "#";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function card(data, viewLabel) {
    var link = el("a", "chat-card");
    link.href = localPath(data.url);
    link.target = "_blank";
    link.rel = "noopener";
    if (data.image) {
      var img = el("img");
      img.src = localPath(data.image);
      img.alt = data.image_alt || data.name || "";
      img.width = 72;
      img.height = 72;
      link.appendChild(img);
    }
    var body = el("span", "chat-card-body");
    body.appendChild(el("strong", "chat-card-name", data.name));
    if (data.price) body.appendChild(el("span", "chat-card-price", data.price));
    body.appendChild(el("span", "chat-card-view", viewLabel));
    link.appendChild(body);
    return link;
  }

  /* Append a message frame to a list once (frames may arrive twice: history plus broadcast). */
  function render(list, frame, who, viewLabel) {
    if (list.querySelector('[data-id="' + frame.id + '"]')) return;
    var item = el("li", "chat-msg chat-" + frame.author);
    item.setAttribute("data-id", frame.id);
    item.setAttribute("data-author", frame.author);
    if (frame.author !== "system") item.appendChild(el("span", "chat-who", who(frame)));
    if (frame.card) item.appendChild(card(frame.card, viewLabel));
    else item.appendChild(el("p", "chat-text", frame.text));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  /* Call ``send`` at most once every two seconds while someone types. */
  function throttle(send) {
    var last = 0;
    return function () {
      var now = Date.now();
      if (now - last > 2000) { last = now; send(); }
    };
  }

  /* Show an element for a few seconds after each call (the typing indicator). */
  function flash(node, text) {
    node.textContent = text;
    node.hidden = false;
    clearTimeout(node._timer);
    node._timer = setTimeout(function () { node.hidden = true; }, 4000);
  }

  /* The most useful line of a problem body: the first field error, else the detail. */
  function problemText(problem) {
    if (!problem) return "";
    var first = problem.errors && problem.errors[0];
    return first ? first.msg : (problem.detail || problem.title || "");
  }

  return {problemText: problemText, socketUrl: socketUrl, render: render, throttle: throttle, flash: flash, el: el};
})();
