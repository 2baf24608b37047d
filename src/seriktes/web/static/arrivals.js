// Keeps the arrivals page's count current: polls the day's arrivals JSON every 10 seconds and
// updates "arrived N of M"; rows another desk changed meanwhile are marked and the page's
// "Refresh" link highlighted (the page works without this script: the link reloads it).
(function () {
  "use strict";
  var box = document.getElementById("arrival-count");
  if (!box) { return; }
  var url = box.getAttribute("data-arrivals-url");
  function show(day) {
    var arrived = box.querySelector("[data-arrived]");
    var expected = box.querySelector("[data-expected]");
    if (arrived) { arrived.textContent = String(day.arrived); }
    if (expected) { expected.textContent = String(day.expected); }
    var changed = false;
    day.participants.forEach(function (p) {
      var row = document.querySelector('tr[data-arrival="' + p.participant_id + '"]');
      if (row && row.getAttribute("data-arrived") !== (p.arrived ? "1" : "0")) {
        row.classList.add("changed");
        changed = true;
      }
    });
    var refresh = box.querySelector("[data-refresh]");
    if (changed && refresh) { refresh.classList.add("stale"); }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (day) {
        if (day !== null) { show(day); }
        window.setTimeout(poll, 10000);
      })
      .catch(function () { window.setTimeout(poll, 20000); });
  }
  window.setTimeout(poll, 10000);
}());
