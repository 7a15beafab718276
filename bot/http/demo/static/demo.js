/* LAPOR! demo: three simulated phones and the officers' dashboard.
   The server renders each reply with the channel's own renderer; this page
   only draws the result. Every text goes in with textContent. */
(function () {
  "use strict";

  var STORE = "lapor.demo.thread";
  var DEMO_LOCATION = { latitude: -6.90249, longitude: 107.61872 }; // Gedung Sate, Bandung
  var NAMES = { telegram: "Telegram", whatsapp: "WhatsApp", sms: "SMS" };
  var phones = {};
  var history = [];
  var toastTimer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function save(entry) {
    history.push(entry);
    history = history.slice(-400);
    try { window.sessionStorage.setItem(STORE, JSON.stringify(history)); } catch (e) { /* full */ }
  }

  function scrollDown(phone) {
    phone.screen.scrollTop = phone.screen.scrollHeight;
  }

  function append(phone, li) {
    var hint = phone.thread.querySelector(".hint");
    if (hint) hint.remove();
    phone.thread.appendChild(li);
    scrollDown(phone);
  }

  function mine(name, text) {
    var li = el("li", "bubble me");
    li.appendChild(el("p", "text", text));
    append(phones[name], li);
  }

  function note(name, text) {
    append(phones[name], el("li", "note", text));
  }

  function smsBubble(li, bubble) {
    var body = el("p", "text sms-body");
    bubble.segments.forEach(function (segment, index) {
      var part = el("span", "segment", segment);
      part.dataset.part = String(index + 1);
      body.appendChild(part);
    });
    li.appendChild(body);
    var meta = bubble.count + " SMS · " + (bubble.encoding === "gsm7" ? "GSM-7" : "UCS-2") + " · " + bubble.units + " karakter";
    li.appendChild(el("p", "meta segments-meta", meta));
  }

  function retireInline(phone) {
    phone.thread.querySelectorAll(".inline-keys button").forEach(function (b) { b.disabled = true; });
  }

  function inlineKeys(name, li, rows) {
    var box = el("div", "inline-keys");
    rows.forEach(function (row) {
      var line = el("div", "key-row");
      row.forEach(function (key) {
        var b = el("button", "key", key.text);
        b.type = "button";
        b.addEventListener("click", function () {
          note(name, "» " + key.text);
          save({ kind: "note", phone: name, text: "» " + key.text });
          send(name, key.data, null);
        });
        line.appendChild(b);
      });
      box.appendChild(line);
    });
    li.appendChild(box);
  }

  function replyKeyboard(name, keyboard) {
    var phone = phones[name];
    if (!phone.keyboard) return;
    phone.keyboard.textContent = "";
    phone.keyboard.dataset.kind = keyboard ? keyboard.kind : "remove";
    phone.input.placeholder = (keyboard && keyboard.placeholder) || "Ketik pesan";
    if (!keyboard || keyboard.kind !== "reply") return;
    keyboard.rows.forEach(function (row) {
      row.forEach(function (key) {
        var b = el("button", "key wide", key.text);
        b.type = "button";
        b.addEventListener("click", function () {
          if (key.location) {
            send(name, "", "📍 Lokasi dibagikan (Gedung Sate, Bandung)", { location: DEMO_LOCATION });
          } else {
            send(name, key.text, key.text);
          }
        });
        phone.keyboard.appendChild(b);
      });
    });
  }

  function show(msg, restoring) {
    var name = msg.phone;
    var phone = phones[name];
    if (!phone) return;
    if (name === "telegram") retireInline(phone);
    msg.bubbles.forEach(function (bubble, index) {
      var li = el("li", "bubble bot" + (msg.push ? " push" : ""));
      li.dataset.key = msg.key || "";
      if (msg.push && index === 0) li.appendChild(el("span", "badge", "Kabar dari petugas"));
      if (name === "sms") smsBubble(li, bubble); else li.appendChild(el("p", "text", bubble.text));
      var last = index === msg.bubbles.length - 1;
      if (last && msg.keyboard && msg.keyboard.kind === "inline") inlineKeys(name, li, msg.keyboard.rows);
      append(phone, li);
    });
    if (name === "telegram") replyKeyboard(name, msg.keyboard);
    if (!restoring) save({ kind: "bot", msg: msg });
  }

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function send(name, text, shown, extra) {
    if (shown) {
      mine(name, shown);
      save({ kind: "me", phone: name, text: shown });
    }
    var body = Object.assign({ text: text, id: randomId() }, extra || {});
    var phone = phones[name];
    phone.el.classList.add("busy");
    return post("/demo/api/phones/" + name + "/send", body)
      .then(function (data) {
        data.messages.forEach(function (msg) { show(msg, false); });
        if (data.ticket) filed(name, data.ticket);
      })
      .catch(function () { note(name, "Pesan gagal terkirim. Coba lagi."); })
      .then(function () { phone.el.classList.remove("busy"); });
  }

  function toast(text) {
    var box = document.getElementById("toast");
    box.textContent = text;
    box.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { box.hidden = true; }, 6000);
  }

  function dashboardWindow() {
    try {
      var frame = document.getElementById("dashboard");
      return frame.contentWindow && frame.contentWindow.location ? frame.contentWindow : null;
    } catch (e) { return null; }
  }

  function filed(name, ticket) {
    toast("Laporan " + ticket + " dari " + NAMES[name] + " masuk ke dasbor petugas.");
    var win = dashboardWindow();
    // Refresh the inbox so the new complaint appears; never interrupt an officer mid-form.
    if (win && /^\/dashboard\/?$/.test(win.location.pathname)) win.location.reload();
  }

  function zoomDashboard() {
    var win = dashboardWindow();
    if (!win || !win.document || !win.document.documentElement) return;
    var large = document.documentElement.classList.contains("large");
    win.document.documentElement.style.zoom = large ? "1.3" : "";
  }

  function toggleLarge() {
    var on = !document.documentElement.classList.contains("large");
    document.documentElement.classList.toggle("large", on);
    document.getElementById("large").setAttribute("aria-pressed", String(on));
    try { window.localStorage.setItem("lapor.demo.large", on ? "1" : "0"); } catch (e) { /* ignore */ }
    zoomDashboard();
    Object.keys(phones).forEach(function (name) { scrollDown(phones[name]); });
  }

  function reset() {
    if (!window.confirm("Hapus semua data demo dan mulai dari awal?")) return;
    post("/demo/api/reset", {}).then(function () {
      try { window.sessionStorage.removeItem(STORE); } catch (e) { /* ignore */ }
      window.location.reload();
    }).catch(function () { toast("Reset gagal."); });
  }

  function connect() {
    var source = new window.EventSource("/demo/api/stream");
    source.addEventListener("ready", function () { document.body.dataset.live = "on"; });
    source.addEventListener("error", function () { document.body.dataset.live = "lost"; });
    source.addEventListener("message", function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      show(msg, false);
      toast("Kabar status terkirim ke ponsel " + NAMES[msg.phone] + ".");
    });
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem(STORE) || "null"); } catch (e) { saved = null; }
    if (!Array.isArray(saved)) return;
    saved.forEach(function (entry) {
      if (!entry || !phones[entry.phone || (entry.msg && entry.msg.phone)]) return;
      if (entry.kind === "me") mine(entry.phone, String(entry.text));
      else if (entry.kind === "note") note(entry.phone, String(entry.text));
      else if (entry.kind === "bot") show(entry.msg, true);
    });
    history = saved;
  }

  function setUp(section) {
    var name = section.dataset.phone;
    var phone = {
      el: section,
      screen: section.querySelector(".screen"),
      thread: section.querySelector(".thread"),
      keyboard: section.querySelector(".keyboard"),
      form: section.querySelector("form"),
      input: section.querySelector("input")
    };
    phones[name] = phone;
    phone.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = phone.input.value.trim();
      if (!text) return;
      phone.input.value = "";
      send(name, text, text);
    });
    section.querySelectorAll("[data-send]").forEach(function (b) {
      b.addEventListener("click", function () { send(name, b.dataset.send, b.dataset.send); });
    });
  }

  function start() {
    document.querySelectorAll(".phone").forEach(setUp);
    restore();
    document.getElementById("reset").addEventListener("click", reset);
    document.getElementById("large").addEventListener("click", toggleLarge);
    document.getElementById("dashboard").addEventListener("load", zoomDashboard);
    var large = null;
    try { large = window.localStorage.getItem("lapor.demo.large"); } catch (e) { large = null; }
    if (large === "1") toggleLarge();
    connect();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
