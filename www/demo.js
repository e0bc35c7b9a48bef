// The demo page's one extra: ?src=<url> in the page address becomes the widget's src (the
// widget itself never reads the host page's address). Runs before ticket-kpis.js defines the
// element, so the widget starts with that URL instead of the sample.
const src = new URLSearchParams(window.location.search).get('src');
if (src) {
  const widget = document.querySelector('ticket-kpis');
  widget.removeAttribute('sample');
  widget.setAttribute('src', src);
}
