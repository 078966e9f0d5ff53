// A minimal slide engine: arrow keys, space, page up/down, clicks, and #n in the URL.
(function () {
  var slides = document.querySelectorAll('.slide');
  var progress = document.getElementById('progress');
  var current = 0;
  function show(n) {
    current = Math.max(0, Math.min(slides.length - 1, n));
    for (var i = 0; i < slides.length; i++) {
      slides[i].classList.toggle('active', i === current);
    }
    progress.style.width = ((current + 1) / slides.length * 100) + '%';
    if (location.hash !== '#' + (current + 1)) {
      history.replaceState(null, '', '#' + (current + 1));
    }
  }
  document.addEventListener('keydown', function (e) {
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].indexOf(e.key) >= 0) { show(current + 1); e.preventDefault(); }
    if (['ArrowLeft', 'ArrowUp', 'PageUp'].indexOf(e.key) >= 0) { show(current - 1); e.preventDefault(); }
    if (e.key === 'Home') { show(0); }
    if (e.key === 'End') { show(slides.length - 1); }
  });
  document.addEventListener('click', function (e) {
    show(e.clientX > window.innerWidth / 3 ? current + 1 : current - 1);
  });
  var start = parseInt((location.hash || '#1').substring(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
