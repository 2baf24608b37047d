// Keeps a background job's progress bar current: polls its JSON every second, shows its end,
// and reloads the page when the job changed what the page shows (a schedule built).
(function () {
  "use strict";
  if (window.seriktesJobs) { return; }
  window.seriktesJobs = true;
  function follow(box) {
    var url = box.getAttribute("data-job-url");
    var field = function (name) { return box.querySelector('[data-job-field="' + name + '"]'); };
    function show(job) {
      box.setAttribute("data-job-status", job.status);
      box.className = "job job-" + job.status;
      var bar = field("bar");
      if (bar && job.percent !== null) { bar.value = job.percent; bar.textContent = job.percent + " %"; }
      var message = field("message");
      if (message) { message.textContent = job.message || ""; }
      var status = field("status");
      if (status && job.status_label) { status.textContent = job.status_label; }
      if (job.status === "queued" || job.status === "running") { return false; }
      if (bar) { bar.hidden = true; }
      var cancel = field("cancel");
      if (cancel) { cancel.hidden = true; }
      if (job.status === "failed" && field("error")) {
        field("error").textContent = job.error || "";
        field("error").hidden = false;
      }
      if (job.status === "done") {
        var done = field("done");
        if (done) { done.hidden = false; }
        if (box.hasAttribute("data-job-reload") || (job.result_url && job.result_url.indexOf("/jobs/") !== 0 && !field("result"))) {
          window.location.reload();
        } else if (job.result_url && !field("result") && done) {
          var link = document.createElement("a");
          link.href = job.result_url;
          link.textContent = box.getAttribute("data-job-done-label") || job.result_url;
          done.appendChild(link);
        }
      }
      return true;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (job) {
          if (job === null || !show(job)) { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    var status = box.getAttribute("data-job-status");
    if (status === "queued" || status === "running") { window.setTimeout(poll, 500); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-job-url]");
    for (var i = 0; i < boxes.length; i += 1) { follow(boxes[i]); }
  });
})();
