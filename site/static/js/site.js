// Every page: remember the chosen version (关怀版 or 标准版) in this browser and open it on later
// visits; show the print buttons that only work with script.  Without script the pages work too:
// the 关怀版 keeps its own links under /care/, and printing is the browser's own menu.
(function () {
  var root = document.documentElement;
  try {
    if (localStorage.getItem("sunshine-care") === "1" && !root.classList.contains("care")) {
      location.replace(root.dataset.other + location.search + location.hash);
    }
  } catch (e) { /* storage refused: the page stays as it is */ }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-care]");
    if (!link) return;
    try { localStorage.setItem("sunshine-care", link.dataset.care); } catch (e) { /* not remembered */ }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
