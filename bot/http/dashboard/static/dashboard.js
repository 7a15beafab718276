// The dashboard's only script: a confirmation before destructive forms, and the
// rejection reason shown only when "Ditolak" is chosen. Works without it too.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  document.querySelectorAll("form[data-status-form]").forEach(function (form) {
    var status = form.querySelector("select[name=status]");
    var reason = form.querySelector("[data-reason]");
    if (!status || !reason) {
      return;
    }
    var update = function () {
      reason.hidden = status.value !== "rejected";
    };
    status.addEventListener("change", update);
    update();
  });
});
