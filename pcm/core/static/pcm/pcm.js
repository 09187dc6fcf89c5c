// PCM's small scripts. Pages work without them; they only save a click.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-autosubmit]")) {
    target.form.requestSubmit();
  }
});
