// The console's only script besides htmx (no inline scripts: the CSP allows none).
// "/" puts the cursor in the page's search box, as in many web consoles; not while typing in a field.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
  if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) return;
  var search = document.querySelector("[data-search]");
  if (!search) return;
  event.preventDefault();
  search.focus();
  if (search.select) search.select();
});
