/* Phone-first tables: every table in a .table-responsive box (but month grids and tables
   marked .keep-table) becomes one card per row on a phone; each cell is labelled with its
   column header, copied here so templates need not repeat it. */
(function () {
  "use strict";
  var tables = document.querySelectorAll(".table-responsive > table:not(.month-grid):not(.keep-table), table.table-cards");
  Array.prototype.forEach.call(tables, function (table) {
    var headers = table.tHead ? Array.prototype.map.call(
      table.tHead.rows[0].cells, function (cell) { return cell.textContent.trim(); }) : [];
    if (!headers.length) { return; }
    table.classList.add("table-cards");
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (!cell.hasAttribute("data-label") && headers[index] && cell.colSpan === 1) {
          cell.setAttribute("data-label", headers[index]);
        }
      });
    });
  });
})();

// Behaviour shared by every page. No inline scripts: the Content-Security-Policy allows
// scripts from this site only (issue 11, finding 4).
(function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
