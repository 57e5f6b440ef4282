// Live posts list: an enhancement. Without script the page is complete and a reload brings it up to date.
(function () {
  var live = document.getElementById("posts-live");
  if (!live || !window.EventSource) {
    return;
  }
  var source = new EventSource(live.getAttribute("data-live"));
  source.addEventListener("posts", function (event) {
    // the server rendered and escaped this list; it replaces the one the page came with
    live.innerHTML = event.data;
    live.setAttribute("data-updated", String(Date.now()));
  });
})();
