// The "Print" button of the printable safety plan (no inline script: the CSP forbids it).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-print]")) {
    window.print();
  }
});
