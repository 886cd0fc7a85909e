// motcua's pages for browsers: the waiting-room board and the citizen's page.
// Both follow the server's public feed (/ws): a snapshot first, then events
// with seq +1 each (one per frame, or several in an "events" frame), and the
// tickets issued in a burst in short (an "issued" frame: counts per service,
// priority tickets one by one); a gap asks for a fresh snapshot; a lost
// connection reconnects by itself with backoff. No library, no internet.
"use strict";
var motcua = (function () {
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The office's second PC (docs/INSTALL.md, "A second PC"): the page
  // learns its address from this server's /healthz ("standby":{"url"})
  // and, when this server has been gone a while, asks where the primary
  // is now — this server, replaced, says so; else the second PC, once it
  // has taken over (a primary of a higher epoch) — and moves there, on
  // the same path. The page's policy lets it ask the servers it was
  // served with: a second PC set up since, it loads itself again once.
  var pcs = { epoch: 0, other: "" };
  function toward(base) {
    if (!/^https?:\/\/[^\/?#@\s]+$/.test(base) || base === location.origin) return false;
    location.href = base + location.pathname + location.search + location.hash;
    return true;
  }
  function health(base) {
    return fetch(base + "/healthz", { cache: "no-store" }).then(function (r) { return r.json(); });
  }
  function learn() {
    health("").then(function (h) {
      if (h.role !== "primary") return;
      pcs.epoch = h.epoch || 0;
      var u = h.standby && h.standby.url;
      if (!u || u === pcs.other) return;
      pcs.other = u;
      var refused = false;
      var watch = function (e) { if (e.blockedURI && e.blockedURI.indexOf(u) === 0) refused = true; };
      document.addEventListener("securitypolicyviolation", watch);
      health(u).catch(function () {}).then(function () {
        setTimeout(function () {               // the violation's event comes after the refusal
          document.removeEventListener("securitypolicyviolation", watch);
          if (!refused) return;
          try {                                // served before the second PC was: a policy that names it, once
            if (sessionStorage.getItem("motcua.reloaded") === u) return;
            sessionStorage.setItem("motcua.reloaded", u);
          } catch (e) { return; }
          location.reload();
        }, 100);
      });
    }).catch(function () {});
  }
  function follow() {
    health("").then(function (h) {
      if ((h.role === "fenced" || h.role === "standby") && h.primary) toward(h.primary);
    }).catch(function () {
      if (!pcs.other) return;
      health(pcs.other).then(function (h) {
        if (h.role === "primary" && (h.epoch || 0) > pcs.epoch) toward(pcs.other);
      }).catch(function () {});
    });
  }

  // feed calls onSnapshot(snap), onEvent(ev) and onIssued(frame) in order,
  // and onOnline(bool).
  function feed(onSnapshot, onEvent, onOnline, onIssued) {
    var backoff = 500, seq = -1, ws = null, down = 0, asked = 0;
    learn();
    setInterval(learn, 5 * 60000);
    function connect() {
      var proto = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(proto + location.host + "/ws?issued=short"); // bursts of issues in short
      var alive = setTimeout(function () { ws.close(); }, 60000);
      ws.onmessage = function (m) {
        clearTimeout(alive);
        alive = setTimeout(function () { ws.close(); }, 60000); // the server pings every 20 s
        var f;
        try { f = JSON.parse(m.data); } catch (e) { return; }
        if (f.type === "snapshot") {
          seq = f.seq; backoff = 500; down = 0;
          onOnline(true);
          onSnapshot(f.snapshot);
          return;
        }
        if (f.type === "issued") {                   // a burst of issues in short: seqs f.from to f.seq
          if (seq < 0 || f.seq <= seq) return;        // old news
          if (f.from !== seq + 1) {                   // a gap, or part of it held already: a snapshot
            seq = -1;
            ws.send(JSON.stringify({ type: "snapshot" }));
            return;
          }
          (f.priority || []).forEach(onEvent);        // priority tickets go ahead: each one
          seq = f.seq;
          if (onIssued) onIssued(f);
          return;
        }
        var evs = f.type === "events" ? f.events : [f]; // issues that waited come several to a frame
        for (var i = 0; i < evs.length; i++) {
          var e = evs[i];
          if (seq < 0 || e.seq <= seq) continue;      // old news: never shown again
          if (e.seq !== seq + 1) {                    // a gap: start again from a snapshot
            seq = -1;
            ws.send(JSON.stringify({ type: "snapshot" }));
            return;
          }
          seq = e.seq;
          onEvent(e);
        }
      };
      ws.onclose = function () {
        clearTimeout(alive);
        seq = -1;
        onOnline(false);
        var now = Date.now();
        if (!down) down = now;
        if (now - down >= 15000 && now - asked >= 10000) { asked = now; follow(); } // gone a while: where is the primary?
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 10000);
      };
      ws.onerror = function () { ws.close(); };
    }
    connect();
  }

  // officeTime formats d in the office's time zone (the snapshot's), as the
  // Fyne apps do: "HH:MM" or "HH:MM:SS", and "DD/MM/YYYY".
  function officeTime(d, tz, seconds) {
    var o = { hour: "2-digit", minute: "2-digit", hour12: false, day: "2-digit", month: "2-digit", year: "numeric" };
    if (seconds) o.second = "2-digit";
    if (tz) o.timeZone = tz;
    var p = {};
    try {
      new Intl.DateTimeFormat("en-GB", o).formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    } catch (e) { delete o.timeZone; new Intl.DateTimeFormat("en-GB", o).formatToParts(d).forEach(function (x) { p[x.type] = x.value; }); }
    var hm = p.hour + ":" + p.minute + (seconds ? ":" + p.second : "");
    return { time: hm, date: p.day + "/" + p.month + "/" + p.year };
  }

  function inPlay(t) { return t.state === "waiting" || t.state === "called" || t.state === "serving"; }

  // ---------------------------------------------------------------- board
  function board() {
    var q = new URLSearchParams(location.search);
    var only = (q.get("counters") || "").split(",").map(Number).filter(function (n) { return n > 0; });
    var shows = function (n) { return only.length === 0 || only.indexOf(n) >= 0; };
    var st = null;               // {office, counters:[], last:[], services:[], tickets:{}, pending:[], display:{}}
    var newCall = null, newUntil = 0;
    var heard = {};              // announcement keys already queued
    var hours = "";              // the working hours the office keeps (its settings'): posted, never typed
    fetch("/api/v1/hours").then(function (r) { return r.status === 200 ? r.json() : null; })
      .then(function (h) {
        if (h && h.text) {
          hours = "Giờ làm việc / Hours: " + h.text + (h.any_hour ? " · Cấp số cả ngày / Tickets at any hour" : "");
          render();
        }
      }).catch(function () {});
    var queue = [], speaking = false;

    function fromSnapshot(s) {
      // pending: the ordinary tickets an issued frame counted but did not list
      // ({service, first, last, count}: their numbers), until each moves on.
      st = { office: s.office, tz: s.time_zone, display: s.display || {}, counters: [], last: [], services: s.services || [], tickets: {}, pending: [] };
      var lastN = st.display.last_calls || 6;
      (s.tickets || []).forEach(function (t) { st.tickets[t.id] = t; });
      (s.counters || []).forEach(function (c) {
        if (!shows(c.number)) return;
        var t = st.tickets[c.current];
        st.counters.push({ number: c.number, state: c.state, services: c.services || [], display: t && (t.state === "called" || t.state === "serving") ? t.display : "" });
      });
      (s.recent || []).forEach(function (t) {
        heard[t.id + "#" + (t.recalls || 0)] = true;   // made before we watched: not news
        if (shows(t.counter) && st.last.length < lastN) st.last.push({ id: t.id, display: t.display, counter: t.counter });
      });
      newCall = null;
      render();
    }

    // recount is each service's waiting: the listed tickets and the counted ones.
    function recount() {
      st.services.forEach(function (svc) {
        svc.waiting = Object.values(st.tickets).filter(function (x) { return x.state === "waiting" && x.service_id === svc.id; }).length;
        st.pending.forEach(function (p) { if (p.service === svc.id) svc.waiting += p.count; });
      });
    }

    function issued(f) {
      if (!st) return;
      document.body.dataset.bursts = String((+document.body.dataset.bursts || 0) + 1); // issued frames taken (the tests read it)
      Object.keys(f.services || {}).forEach(function (id) {
        var c = f.services[id];
        st.pending.push({ service: id, first: c.first, last: c.last, count: c.count });
      });
      recount();
      render();
    }

    function apply(ev) {
      if (!st) return;
      if (ev.type === "day.started") { st.last = []; st.tickets = {}; st.pending = []; newCall = null; st.counters.forEach(function (c) { c.display = ""; }); }
      if (ev.counter) st.counters.forEach(function (c) {
        if (c.number === ev.counter.number) { c.state = ev.counter.state; if (!ev.counter.current) c.display = ""; }
      });
      var t = ev.ticket;
      if (t) {
        if (!st.tickets[t.id] && ev.type !== "ticket.issued") {
          // A ticket counted but not listed moves on (called, transferred …):
          // it is no longer among its service's counted ones.
          var p = st.pending.filter(function (p) { return p.count > 0 && p.first <= t.number && t.number <= p.last; })[0];
          if (p) p.count--;
        }
        if (inPlay(t)) st.tickets[t.id] = t; else delete st.tickets[t.id];
        recount();
        if ((ev.type === "ticket.called" || ev.type === "ticket.recalled") && shows(t.counter)) {
          st.counters.forEach(function (c) { if (c.number === t.counter) c.display = t.display; });
          st.last = st.last.filter(function (c) { return c.id !== t.id; });
          st.last.unshift({ id: t.id, display: t.display, counter: t.counter });
          st.last = st.last.slice(0, st.display.last_calls || 6);
          newCall = { display: t.display, counter: t.counter };
          newUntil = Date.now() + 10000;
          announce(t);
        }
      }
      render();
    }

    function caption(display, counter) {
      var tpl = st.display.template || "Mời công dân có số thứ tự {number} đến quầy số {counter}";
      return tpl.replace("{number}", display).replace("{counter}", counter);
    }

    // One announcement at a time; a recall is new (its recall count changed);
    // a duplicate is merged. The caption stays for people who cannot hear.
    function announce(t) {
      var key = t.id + "#" + (t.recalls || 0);
      if (heard[key]) return;
      heard[key] = true;
      queue.push({ display: t.display, counter: t.counter });
      next();
    }
    function next() {
      if (speaking || queue.length === 0) return;
      speaking = true;
      var a = queue.shift();
      $("caption").textContent = caption(a.display, a.counter);
      var audio = new Audio("/api/v1/announce.wav?number=" + encodeURIComponent(a.display) + "&counter=" + a.counter);
      var done = function () {
        if (!speaking) return;
        speaking = false; clearTimeout(limit);
        setTimeout(next, 400);
      };
      var limit = setTimeout(done, 20000);            // a stuck player never blocks the queue
      audio.onended = done; audio.onerror = done;
      var p = audio.play();
      if (p && p.catch) p.catch(done);                // autoplay refused: the caption still shows
    }

    function render() {
      if (!st) return;
      $("office").textContent = st.office;
      var tk = $("ticker"), text = [hours, st.display.ticker || ""].filter(Boolean).join(" · ");
      if (tk.dataset.text !== text) {          // a ticker wider than the screen scrolls
        tk.dataset.text = text;
        tk.textContent = "";
        tk.appendChild(el("span", "", text));
        tk.classList.toggle("scroll", tk.scrollWidth > tk.clientWidth);
      }
      var hero = $("hero"), isNew = newCall && Date.now() < newUntil;
      var shown = isNew ? newCall : st.last[0];
      hero.className = "panel hero" + (isNew ? " new" : "");
      $("hero-label").textContent = isNew ? "MỜI SỐ" : (shown ? "VỪA GỌI" : "Xin mời Ông/Bà lấy số và chờ đến lượt");
      $("hero-number").textContent = shown ? shown.display : "";
      $("hero-counter").textContent = shown ? (isNew ? "ĐẾN QUẦY " : "QUẦY ") + shown.counter : "";
      var rows = $("counters");
      rows.textContent = "";
      st.counters.forEach(function (c) {
        var tr = el("tr");
        tr.appendChild(el("td", "", String(c.number)));
        var off = !c.display && c.state !== "open";
        tr.appendChild(el("td", off || !c.display ? "off" : "", c.display || (c.state === "paused" ? "tạm nghỉ" : "—")));
        rows.appendChild(tr);
      });
      var last = $("last");
      last.textContent = "";
      last.appendChild(el("div", "title", "SỐ VỪA GỌI"));
      st.last.forEach(function (c) { last.appendChild(el("div", "", c.display + " → quầy " + c.counter)); });
      var w = $("waiting");
      w.textContent = "";
      st.services.forEach(function (svc) {
        var here = st.counters.some(function (c) { return c.services.indexOf(svc.id) >= 0; });
        if (here) w.appendChild(el("span", "", svc.name + ": " + svc.waiting + " người chờ"));
      });
    }

    setInterval(function () {
      var d = new Date();
      var t = officeTime(d, st && st.tz, true);
      $("clock").textContent = t.time + "  " + t.date;
      if (newCall && Date.now() >= newUntil) { newCall = null; render(); }
    }, 500);
    feed(fromSnapshot, apply, function (on) {
      var b = $("banner");
      b.textContent = "MẤT KẾT NỐI MÁY CHỦ — đang kết nối lại… / Lost the server — reconnecting…";
      b.classList.toggle("hidden", on);
      document.body.dataset.online = on ? "yes" : "no";
    }, issued);
  }

  // ---------------------------------------------------------------- ticket
  function ticket(token) {
    var me = null, office = "", soundOn = false, alerted = {};
    var ctx = null;
    $("sound").onclick = function () {
      soundOn = true;
      try { ctx = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) {}
      $("sound").textContent = "Đã bật âm báo / Sound on";
    };
    function beep() {
      if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
      if (!soundOn || !ctx) return;
      [0, 0.45].forEach(function (at, i) {
        var o = ctx.createOscillator(), g = ctx.createGain();
        o.frequency.value = i ? 659 : 880; o.connect(g); g.connect(ctx.destination);
        g.gain.setValueAtTime(0.4, ctx.currentTime + at);
        g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.4);
        o.start(ctx.currentTime + at); o.stop(ctx.currentTime + at + 0.42);
      });
    }
    // The page follows its ticket on the public feed: the snapshot and the
    // events carry every ticket in play, so where this one stands is worked
    // out here, by the server's rule (queue.State.Position), and a call costs
    // the server one frame per phone, not one request. The ticket itself is
    // fetched once per connection (its service name, and its state if it left
    // the queue while the page was away).
    var st = null;                                       // {tickets:{}, counters:[], services:{}, rules}
    var namedFor = "";                                   // the service whose name the page shows
    function load() {
      fetch("/api/v1/tickets/" + encodeURIComponent(token)).then(function (r) {
        if (r.status === 404) { location.reload(); return null; }
        return r.json();
      }).then(function (t) { if (t && t.id) { me = t; namedFor = t.service_id; show(); } }).catch(function () {});
    }
    function fromSnapshot(snap) {
      st = { tickets: {}, counters: snap.counters || [], services: {}, rules: snap.rules || {}, day: snap.day, tz: snap.time_zone };
      (snap.tickets || []).forEach(function (t) { st.tickets[t.id] = t; });
      (snap.services || []).forEach(function (s) { st.services[s.id] = s; });
      office = snap.office;
      load();                                            // once per connection
    }
    function apply(ev) {
      if (!st) return;
      if (ev.type === "day.started") { st.tickets = {}; st.day = ev.day; if (me && me.day !== ev.day) load(); return; }
      if (ev.counter) st.counters = st.counters.map(function (c) { return c.number === ev.counter.number ? ev.counter : c; });
      var t = ev.ticket;
      if (t) {
        if (inPlay(t)) st.tickets[t.id] = t; else delete st.tickets[t.id];
        if (me && t.id === me.id) {                      // my ticket: its new state, same names
          ["state", "counter", "recalls", "service_id", "queued_at", "called_at", "no_show_at", "ended_at"].forEach(function (k) { me[k] = t[k]; });
          if (t.state === "no_show" && t.no_show_at) {
            me.rejoin_until = new Date(new Date(t.no_show_at).getTime() + (st.rules.rejoin_window_minutes || 0) * 60000).toISOString();
          }
          if (t.service_id !== namedFor) load();         // transferred: the new service's name
        }
      }
      if (me) show();
    }
    // position: tickets ahead of mine in its service, and the estimated wait.
    function position() {
      if (!st || !me || me.state !== "waiting") return { ahead: 0, eta: 0 };
      var ahead = 0, mine = me;
      Object.keys(st.tickets).forEach(function (id) {
        var o = st.tickets[id];
        if (o.id === mine.id || o.state !== "waiting" || o.service_id !== mine.service_id) return;
        var oq = new Date(o.queued_at).getTime(), mq = new Date(mine.queued_at).getTime();
        if (o.priority && !mine.priority) ahead++;
        else if (!o.priority === !mine.priority && (oq < mq || (oq === mq && o.number < mine.number))) ahead++;
      });
      var open = st.counters.filter(function (c) { return c.state === "open" && (c.services || []).indexOf(mine.service_id) >= 0; }).length;
      var svc = st.services[mine.service_id] || {};
      var eta = ahead > 0 ? Math.ceil(ahead * (svc.service_minutes || 0) / Math.max(open, 1)) : 0;
      return { ahead: ahead, eta: eta, open: open };
    }
    function hhmm(iso) { return officeTime(new Date(iso), st && st.tz, false).time; }
    function show() {
      $("office").textContent = office;
      $("number").textContent = me.display;
      $("service").textContent = me.service_name || "";
      var s = $("status"), hint = $("hint");
      s.className = "status"; hint.textContent = "";
      var pos = position();
      if (st) { me.ahead = pos.ahead; me.eta_minutes = pos.eta; }
      var closed = st && pos.open === 0;                 // no counter serving it is open: promise nothing
      switch (me.state) {
        case "waiting":
          if (closed) {
            s.textContent = (me.ahead ? "Còn " + me.ahead + " người trước bạn · c" : "C") + "hưa có quầy mở — vui lòng chờ";
            hint.textContent = (me.ahead ? me.ahead + " ahead of you · n" : "N") + "o counter open yet — please wait";
          } else if (!me.ahead) {
            s.textContent = "Bạn là người kế tiếp — vui lòng chú ý bảng gọi số";
            hint.textContent = "You are next — please watch the board";
          } else {
            s.textContent = "Còn " + me.ahead + " người trước bạn" + (me.eta_minutes ? " · chờ khoảng " + me.eta_minutes + " phút" : "");
            hint.textContent = me.ahead + " ahead of you" + (me.eta_minutes ? " · about " + me.eta_minutes + " min" : "");
          }
          break;
        case "called":
        case "serving":
          s.className = "status turn";
          s.textContent = "Đến lượt bạn — mời đến quầy " + me.counter;
          hint.textContent = "It is your turn — please go to counter " + me.counter;
          var key = me.id + "#" + (me.recalls || 0);
          if (!alerted[key]) { alerted[key] = true; beep(); }
          break;
        case "no_show":
          s.className = "status missed";
          s.textContent = "Bạn đã lỡ lượt gọi." + (me.rejoin_until ? " Hãy đến quầy hướng dẫn trước " + hhmm(me.rejoin_until) + " để được xếp lại." : " Hãy đến quầy hướng dẫn.");
          hint.textContent = "You missed your call." + (me.rejoin_until ? " Ask at the help desk before " + hhmm(me.rejoin_until) + " to rejoin the queue." : "");
          break;
        case "done":
          s.textContent = "Đã phục vụ xong. Cảm ơn Ông/Bà!";
          hint.textContent = "Served. Thank you!";
          break;
        case "expired":
          s.className = "status missed";
          s.textContent = "Phiếu đã hết hạn vì hết ngày làm việc. Xin mời Ông/Bà lấy số mới vào ngày làm việc tiếp theo.";
          hint.textContent = "This ticket expired at the end of the working day. Please take a new number on the next working day.";
          break;
        default:
          s.textContent = "Phiếu không còn hiệu lực (" + me.state + ").";
          hint.textContent = "This ticket is no longer valid.";
      }
      document.body.dataset.state = me.state;
    }
    feed(fromSnapshot, apply, function (on) { $("banner").classList.toggle("hidden", on); });
  }

  return { board: board, ticket: ticket, officeTime: officeTime };
})();
