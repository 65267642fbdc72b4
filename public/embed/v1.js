/* Tracklight embed loader, v1. Renders the tracking widget in an iframe from the Tracklight
   server: isolated from the host page's CSS and scripts, no cookies needed. The shipment is
   the script tag's data-token, else the host page's ?tracklight=TOKEN (the parameter's name
   is data-param), so one "Track your order" page serves every shipment; with neither, the
   store's order look-up form (data-store: the store's ID). Usage:
   <script src="https://TRACKLIGHT_HOST/embed/v1.js" data-token="SHOPPER_TOKEN" async></script>
   <script src="https://TRACKLIGHT_HOST/embed/v1.js" data-store="STORE_ID" async></script>
     (a "Track your order" page: linked as ...?tracklight=TOKEN it shows that shipment,
     opened without it the look-up form) */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var param = /^[A-Za-z0-9_-]{1,40}$/.test(script.dataset.param || '') ? script.dataset.param : 'tracklight';
  var token = script.dataset.token || new URLSearchParams(location.search).get(param) || '';
  var store = script.dataset.store || '';
  var path;
  if (/^[A-Za-z0-9_-]{1,64}$/.test(token)) path = '/embed/t/' + token;
  else if (/^[0-9a-fA-F-]{36}$/.test(store)) path = '/embed/track/' + store;
  else return;
  var origin = new URL(script.src).origin;
  var frame = document.createElement('iframe');
  frame.src = origin + path +
    '?host=' + encodeURIComponent(location.origin) +
    '&page=' + encodeURIComponent(location.href.slice(0, 2000));
  frame.title = script.dataset.title || 'Shipment tracking';
  frame.loading = 'lazy';
  frame.style.cssText = 'display:block;width:100%;border:0;min-height:320px;color-scheme:light';
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    var d = e.data;
    if (d && d.type === 'tracklight:height' && d.height > 0 && d.height < 20000) {
      frame.style.height = Math.ceil(d.height) + 'px';
      frame.style.minHeight = '0';
    }
  });
})();
