// After an htmx swap, the keyboard focus moves to the changed part's message or error
// summary (an element marked data-focus-after-swap), else to the swapped part itself, so a
// screen reader reads the result and the next Tab starts there. A swap of search results
// (a GET while someone types) leaves the focus in the search field.
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail.requestConfig || {};
  if ((config.verb || "get").toLowerCase() === "get") return;
  var marked = document.querySelector("[data-focus-after-swap]");
  var target = marked || event.detail.elt;
  if (!target || !target.isConnected) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
  if (marked) marked.removeAttribute("data-focus-after-swap");
});
