/* LAPOR! web chat: sends with a same-origin JSON POST, hears pushes over
   server-sent events. Every text is shown with textContent, never as HTML. */
(function () {
  "use strict";

  var TEXTS = {
    id: {
      subtitle: "Pengaduan layanan publik",
      large: "Teks besar",
      restart: "Baru",
      conversation: "Percakapan",
      connecting: "Menyambungkan…",
      online: "Tersambung: kabar laporan muncul di sini.",
      offline: "Koneksi terputus, mencoba lagi…",
      intro: "Halo! Di sini Anda bisa melaporkan masalah layanan publik (jalan rusak, pungli, layanan puskesmas, dan lainnya) atau mengecek status laporan.",
      start: "Mulai",
      label: "Pesan",
      placeholder: "Tulis pesan…",
      send: "Kirim",
      location: "📍 Bagikan lokasi saya",
      push: "Kabar terbaru",
      failed: "Pesan belum terkirim. Periksa koneksi lalu coba lagi.",
      confirmRestart: "Mulai percakapan baru? Percakapan ini tidak akan tampil lagi.",
      switchTo: "english please",
      langButton: "English",
      you: "Anda",
      bot: "LAPOR!"
    },
    en: {
      subtitle: "Public service complaints",
      large: "Large text",
      restart: "New",
      conversation: "Conversation",
      connecting: "Connecting…",
      online: "Connected: report updates appear here.",
      offline: "Connection lost, retrying…",
      intro: "Hello! Here you can report a problem with a public service (broken roads, illegal fees, health services and more) or check a report's status.",
      start: "Start",
      label: "Message",
      placeholder: "Write a message…",
      send: "Send",
      location: "📍 Share my location",
      push: "Update",
      failed: "Your message was not sent. Check the connection and try again.",
      confirmRestart: "Start a new conversation? This one will no longer be shown.",
      switchTo: "bahasa indonesia",
      langButton: "Bahasa Indonesia",
      you: "You",
      bot: "LAPOR!"
    }
  };
  var STORE = "lapor.chat.log";
  var MAX_KEPT = 200;

  var ui = {};
  var state = { lang: "id", source: null, kept: [] };

  function t(key) {
    return TEXTS[state.lang][key] || TEXTS.id[key] || key;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  function recall(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-label]").forEach(function (el) {
      el.setAttribute("aria-label", t(el.dataset.i18nLabel));
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
    });
    ui.lang.textContent = t("langButton");
    ui.lang.lang = state.lang === "id" ? "en" : "id";
    setLive(ui.live.dataset.state);
  }

  function setLive(mode) {
    ui.live.dataset.state = mode;
    ui.live.textContent = t(mode === "on" ? "online" : mode === "lost" ? "offline" : "connecting");
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function retireChoices() {
    ui.messages.querySelectorAll(".choices button").forEach(function (b) { b.disabled = true; });
  }

  function addBubble(who, text, push) {
    var li = document.createElement("li");
    li.className = "msg " + who + (push ? " push" : "");
    var sr = document.createElement("span");
    sr.className = "visually-hidden";
    sr.textContent = (who === "me" ? t("you") : t("bot")) + ": ";
    li.appendChild(sr);
    if (push) {
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = t("push");
      li.appendChild(badge);
    }
    var p = document.createElement("p");
    p.className = "text";
    p.textContent = text;
    li.appendChild(p);
    ui.messages.appendChild(li);
    scrollDown();
    return li;
  }

  function addChoices(li, choices, ask) {
    if (!choices.length && ask !== "location") return;
    var box = document.createElement("div");
    box.className = "choices";
    choices.forEach(function (choice) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.textContent = choice.title;
      b.addEventListener("click", function () { send(choice.payload, choice.title); });
      box.appendChild(b);
    });
    if (ask === "location" && window.isSecureContext && navigator.geolocation) {
      var where = document.createElement("button");
      where.type = "button";
      where.className = "choice location";
      where.textContent = t("location");
      where.addEventListener("click", shareLocation);
      box.appendChild(where);
    }
    li.appendChild(box);
  }

  function showReply(msg) {
    retireChoices();
    var li = addBubble("bot", msg.text, msg.push);
    li.dataset.key = msg.key || "";
    addChoices(li, msg.choices || [], msg.ask);
    keep({ who: "bot", text: msg.text, push: !!msg.push, key: msg.key || "", choices: msg.choices || [], ask: msg.ask || "" });
    scrollDown();
  }

  function keep(entry) {
    state.kept.push(entry);
    state.kept = state.kept.slice(-MAX_KEPT);
    // sessionStorage: the transcript survives a reload, not the closing of the tab.
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state.kept)); } catch (e) { /* full */ }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem(STORE) || "null"); } catch (e) { saved = null; }
    if (!Array.isArray(saved) || !saved.length) return;
    state.kept = saved;
    ui.intro.hidden = true;
    var last = null;
    saved.forEach(function (entry) {
      last = addBubble(entry.who === "me" ? "me" : "bot", String(entry.text || ""), !!entry.push);
      last.dataset.key = entry.key || "";
      if (entry.who !== "me") {
        retireChoices();
        addChoices(last, Array.isArray(entry.choices) ? entry.choices : [], entry.ask);
      }
    });
    if (last && last.classList.contains("me")) retireChoices();
  }

  function typing(on) {
    var dots = document.getElementById("typing");
    if (on && !dots) {
      dots = document.createElement("li");
      dots.id = "typing";
      dots.className = "msg bot typing";
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(document.createElement("span"));
      dots.appendChild(document.createElement("span"));
      dots.appendChild(document.createElement("span"));
      ui.messages.appendChild(dots);
      scrollDown();
    } else if (!on && dots) {
      dots.remove();
    }
  }

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function send(text, shown, extra) {
    var body = Object.assign({ text: text, id: randomId() }, extra || {});
    ui.intro.hidden = true;
    retireChoices();
    addBubble("me", shown || text);
    keep({ who: "me", text: shown || text });
    typing(true);
    // One retry with the same id: the server handles the message at most once.
    return post("/chat/send", body)
      .catch(function () { return post("/chat/send", body); })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        typing(false);
        (data.replies || []).forEach(function (reply) { showReply(reply); });
      })
      .catch(function () {
        typing(false);
        var li = addBubble("bot", t("failed"));
        li.classList.add("error");
      });
  }

  function shareLocation() {
    navigator.geolocation.getCurrentPosition(function (pos) {
      var shown = "📍 " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      send("", shown, { location: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } });
    });
  }

  function connect() {
    if (state.source) state.source.close();
    setLive("off");
    var source = new window.EventSource("/chat/stream");
    source.addEventListener("ready", function () { setLive("on"); });
    source.addEventListener("message", function (event) {
      try { showReply(JSON.parse(event.data)); } catch (e) { /* not ours */ }
    });
    source.addEventListener("error", function () { setLive("lost"); });
    state.source = source;
  }

  function restart() {
    if (!window.confirm(t("confirmRestart"))) return;
    post("/chat/new", {}).then(function () {
      try { window.sessionStorage.removeItem(STORE); } catch (e) { /* ignore */ }
      state.kept = [];
      ui.messages.querySelectorAll(".msg:not(.intro)").forEach(function (li) { li.remove(); });
      ui.intro.hidden = false;
      connect();
    });
  }

  function toggleLanguage() {
    var phrase = t("switchTo");
    state.lang = state.lang === "id" ? "en" : "id";
    remember("lapor.lang", state.lang);
    applyLanguage();
    // The bot switches too; before a conversation starts there is nothing to tell it.
    if (state.kept.length) send(phrase);
  }

  function toggleLarge() {
    var on = !document.documentElement.classList.contains("large");
    document.documentElement.classList.toggle("large", on);
    ui.large.setAttribute("aria-pressed", String(on));
    remember("lapor.large", on ? "1" : "0");
    scrollDown();
  }

  function autoGrow() {
    ui.text.style.height = "auto";
    ui.text.style.height = Math.min(ui.text.scrollHeight, 160) + "px";
  }

  function start() {
    ["log", "messages", "live", "lang", "large", "restart", "composer", "text", "intro"].forEach(function (id) {
      ui[id] = document.getElementById(id);
    });
    state.lang = recall("lapor.lang") === "en" ? "en" : "id";
    if (recall("lapor.large") === "1") toggleLarge();
    applyLanguage();
    restore();
    document.getElementById("start").addEventListener("click", function () {
      // In English the switch phrase itself opens the conversation, in English.
      send(state.lang === "en" ? "english please" : "halo", t("start"));
    });
    ui.lang.addEventListener("click", toggleLanguage);
    ui.large.addEventListener("click", toggleLarge);
    ui.restart.addEventListener("click", restart);
    ui.text.addEventListener("input", autoGrow);
    ui.text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        ui.composer.requestSubmit();
      }
    });
    ui.composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.text.value.trim();
      if (!text) return;
      ui.text.value = "";
      autoGrow();
      send(text);
    });
    connect();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
