// PCM's small scripts. Pages work without them; they only save a click or ask twice.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target.closest && target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-autosubmit]")) {
    target.form.requestSubmit();
  }
});
