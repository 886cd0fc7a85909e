// The console's live room: follow the staff feed (the console's cookie
// opens /admin/live/feed) and after each event redraw the room from the
// server (/admin/live.part); a new open alert beeps.
(function () {
  var box = document.getElementById("live"), state = document.getElementById("live-state");
  if (!box) return;
  var open = function () { var r = box.querySelector(".room"); return r ? +r.getAttribute("data-open-alerts") : 0; };
  var known = open(), pending = null, typing = false;
  box.addEventListener("focusin", function () { typing = true; });
  box.addEventListener("focusout", function () { typing = false; });
  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)(), o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = 880; o.connect(g); g.connect(ctx.destination); g.gain.value = 0.2;
      o.start(); o.stop(ctx.currentTime + 0.4);
    } catch (e) {}
  }
  function redraw() {
    pending = null;
    if (typing) { pending = setTimeout(redraw, 1000); return; } // not under a supervisor typing a note
    fetch(box.getAttribute("data-part"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      box.innerHTML = html;
      var now = open();
      if (now > known) beep();
      known = now;
      box.setAttribute("data-updated", String(Date.now()));
    }).catch(function () {});
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + box.getAttribute("data-feed"));
    ws.onopen = function () { state.textContent = "đang theo dõi / live"; };
    ws.onmessage = function () { if (!pending) pending = setTimeout(redraw, 200); };
    ws.onclose = function () { state.textContent = "mất kết nối, đang nối lại… / reconnecting…"; setTimeout(connect, 2000); };
  }
  connect();
})();
