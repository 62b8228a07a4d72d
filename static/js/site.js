// Behaviour shared by every page. No inline scripts: the Content-Security-Policy allows
// scripts from this site only (issue 11, finding 4).
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
