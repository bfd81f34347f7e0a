/* The shopper's chat window on /chat: start a chat, then talk over the visitor socket. */
"use strict";
(function () {
  var root = document.getElementById("chat");
  if (!root) return;
  var chat = window.omniChat;
  var problemText = chat.problemText;
  var t = root.dataset;
  var KEY = "omniretail-chat";
  var startForm = document.getElementById("chat-start");
  var room = document.getElementById("chat-room");
  var log = document.getElementById("chat-log");
  var statusLine = document.getElementById("chat-status");
  var typing = document.getElementById("chat-typing");
  var alertLine = document.getElementById("chat-alert");
  var sendForm = document.getElementById("chat-send");
  var text = document.getElementById("chat-text");
  var endButton = document.getElementById("chat-end");
  var newButton = document.getElementById("chat-new");
  var socket = null;
  var current = null;
  var closed = false;
  var retries = 0;

  function who(frame) {
    return frame.author === "visitor" ? t.you : (frame.name || t.advisor);
  }

  function showStatus(status) {
    closed = status === "closed";
    statusLine.textContent = closed ? t.closed : (status === "active" ? t.active : t.waiting);
    statusLine.setAttribute("data-status", status);
    sendForm.hidden = closed;
    endButton.hidden = closed;
    newButton.hidden = !closed;
    if (closed) { typing.hidden = true; sessionStorage.removeItem(KEY); }
  }

  function say(message) {
    alertLine.textContent = message;
    alertLine.hidden = !message;
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    say(t.error);
    return false;
  }

  function connect() {
    startForm.hidden = true;
    room.hidden = false;
    socket = new WebSocket(chat.socketUrl("/api/v1/chats/" + encodeURIComponent(current.id) + "/visitor"));
    socket.onopen = function () { socket.send(JSON.stringify({type: "auth", token: current.token})); };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "hello") {
        retries = 0;
        say("");
        frame.messages.forEach(function (m) { chat.render(log, m, who, t.view); });
        showStatus(frame.chat.status);
      } else if (frame.type === "message") {
        chat.render(log, frame, who, t.view);
        if (frame.author === "agent") typing.hidden = true;
      } else if (frame.type === "typing" && frame.author === "agent") {
        chat.flash(typing, t.typing);
      } else if (frame.type === "status") {
        showStatus(frame.status);
      } else if (frame.type === "error") {
        say(problemText(frame.problem) || t.error);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4404 || event.code === 4401) {
        sessionStorage.removeItem(KEY);
        room.hidden = true;
        startForm.hidden = false;
        return;
      }
      if (closed || retries > 8) return;
      say(t.lost);
      retries += 1;
      setTimeout(connect, Math.min(500 * retries, 5000));
    };
  }

  startForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var name = document.getElementById("chat-name");
    var email = document.getElementById("chat-email");
    var body = {locale: t.locale, text: document.getElementById("chat-first").value};
    if (name && name.value.trim()) body.name = name.value.trim();
    if (email && email.value.trim()) body.email = email.value.trim();
    fetch("/api/v1/chats", {method: "POST", credentials: "same-origin",
                            headers: {"content-type": "application/json", "x-csrf-token": t.csrf},
                            body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (result) {
        if (!result.ok) {
          var first = result.data.errors && result.data.errors[0];
          say(first ? first.msg : (result.data.detail || t.error));
          return;
        }
        current = {id: result.data.id, token: result.data.token};
        sessionStorage.setItem(KEY, JSON.stringify(current));
        log.textContent = "";
        closed = false;
        connect();
      })
      .catch(function () { say(t.error); });
  });

  sendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = text.value.trim();
    if (value && send({type: "message", text: value})) text.value = "";
  });

  text.addEventListener("input", chat.throttle(function () { send({type: "typing"}); }));
  endButton.addEventListener("click", function () { send({type: "close"}); });
  newButton.addEventListener("click", function () {
    log.textContent = "";
    room.hidden = true;
    startForm.hidden = false;
    say("");
  });

  try { current = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { current = null; }
  if (current && current.id) connect();
})();
