/* The advisors' console on /admin/chat: the queue of chats, taking one, replying, product cards, closing. */
"use strict";
(function () {
  var root = document.getElementById("console");
  if (!root) return;
  var chat = window.omniChat;
  var problemText = chat.problemText;
  var t = root.dataset;
  var queue = document.getElementById("console-queue");
  var empty = document.getElementById("console-empty");
  var room = document.getElementById("console-room");
  var title = document.getElementById("console-title");
  var whoLine = document.getElementById("console-who");
  var log = document.getElementById("console-log");
  var typing = document.getElementById("console-typing");
  var alertLine = document.getElementById("console-alert");
  var sendForm = document.getElementById("console-send");
  var text = document.getElementById("console-text");
  var cardForm = document.getElementById("console-card");
  var sku = document.getElementById("console-sku");
  var closeButton = document.getElementById("console-close");
  var ticket = document.getElementById("console-ticket");
  var socket = null;
  var current = null;
  var retries = 0;
  var labels = {waiting: t.waiting, active: t.active, closed: t.closed};

  function who(frame) {
    return frame.author === "agent" ? (frame.name || t.you) : (frame.name || t.shopper);
  }

  function say(message) {
    alertLine.textContent = message || "";
    alertLine.hidden = !message;
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    say(t.lost);
    return false;
  }

  function upsert(summary) {
    var item = queue.querySelector('li[data-chat="' + summary.id + '"]');
    if (summary.status === "closed") {
      if (item) item.remove();
    } else {
      if (!item) {
        item = chat.el("li");
        item.setAttribute("data-chat", summary.id);
        var button = chat.el("button", "chat-take");
        button.type = "button";
        button.setAttribute("data-chat", summary.id);
        item.appendChild(button);
        item.appendChild(chat.el("span", "tag"));
        item.appendChild(chat.el("span", "muted"));
        item.appendChild(chat.el("span", "chat-preview"));
        queue.appendChild(item);
      }
      item.setAttribute("data-status", summary.status);
      item.querySelector(".chat-take").textContent = summary.name || summary.email || t.guest;
      item.querySelector(".tag").textContent = labels[summary.status] || summary.status;
      item.querySelector(".muted").textContent = summary.agent || "";
      var preview = item.querySelector(".chat-preview");
      if (preview && summary.preview) preview.textContent = summary.preview;
    }
    empty.hidden = queue.children.length > 0;
    if (current && summary.id === current) {
      setStatus(summary.status);
      if (summary.ticket_id) {
        ticket.textContent = t.ticket + " " + summary.ticket_id;
        ticket.setAttribute("data-ticket", summary.ticket_id);
        ticket.hidden = false;
      }
    }
  }

  function setStatus(status) {
    room.setAttribute("data-status", status);
    var closed = status === "closed";
    sendForm.hidden = closed;
    cardForm.hidden = closed;
    closeButton.hidden = closed;
    if (closed) typing.hidden = true;
  }

  function open(frame) {
    var summary = frame.chat;
    current = summary.id;
    room.hidden = false;
    room.setAttribute("data-chat", summary.id);
    title.textContent = summary.name || summary.email || t.guest;
    whoLine.textContent = [summary.email, summary.locale].filter(Boolean).join(" · ");
    log.textContent = "";
    ticket.hidden = true;
    say("");
    frame.messages.forEach(function (m) { chat.render(log, m, who, t.view); });
    upsert(summary);
    setStatus(summary.status);
    text.focus();
  }

  function connect() {
    socket = new WebSocket(chat.socketUrl("/api/v1/chats/agent"));
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "queue") {
        retries = 0;
        say("");
        queue.textContent = "";
        frame.chats.forEach(upsert);
        empty.hidden = queue.children.length > 0;
        if (current && room.getAttribute("data-status") !== "closed") send({type: "take", chat_id: current});
      } else if (frame.type === "chat") {
        upsert(frame.chat);
      } else if (frame.type === "history") {
        open(frame);
      } else if (frame.type === "message" && frame.chat_id === current) {
        chat.render(log, frame, who, t.view);
        if (frame.author === "visitor") typing.hidden = true;
      } else if (frame.type === "typing" && frame.chat_id === current && frame.author === "visitor") {
        chat.flash(typing, t.typing);
      } else if (frame.type === "status" && frame.chat_id === current) {
        setStatus(frame.status);
      } else if (frame.type === "error") {
        say(problemText(frame.problem) || t.error);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4401 || event.code === 4403) { location.href = "/admin/login"; return; }
      if (retries > 8) return;
      say(t.lost);
      retries += 1;
      setTimeout(connect, Math.min(500 * retries, 5000));
    };
  }

  queue.addEventListener("click", function (event) {
    var button = event.target.closest(".chat-take");
    if (button) send({type: "take", chat_id: button.getAttribute("data-chat")});
  });
  sendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = text.value.trim();
    if (value && current && send({type: "message", chat_id: current, text: value})) text.value = "";
  });
  cardForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = sku.value.trim();
    if (value && current && send({type: "card", chat_id: current, ref: value})) sku.value = "";
  });
  text.addEventListener("input", chat.throttle(function () {
    if (current) send({type: "typing", chat_id: current});
  }));
  closeButton.addEventListener("click", function () {
    if (current) send({type: "close", chat_id: current});
  });

  connect();
})();
