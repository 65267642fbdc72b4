/* Tracklight embed loader, v1. Renders the tracking widget for the shipment this script tag
   names, in an iframe from the Tracklight server: isolated from the host page's CSS and
   scripts, no cookies needed. Usage:
   <script src="https://TRACKLIGHT_HOST/embed/v1.js" data-token="SHOPPER_TOKEN" async></script> */
(function () {
  var script = document.currentScript;
  if (!script || !script.dataset.token) return;
  var origin = new URL(script.src).origin;
  var frame = document.createElement('iframe');
  frame.src = origin + '/embed/t/' + encodeURIComponent(script.dataset.token) +
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
