(function () {
  const audio = document.getElementById('player');
  const sentences = Array.from(document.querySelectorAll('.sentence'));
  const chapters = Array.from(document.querySelectorAll('nav button[data-start]'));
  const starts = sentences.map(s => parseFloat(s.dataset.start));
  let current = null;
  function indexAt(t) {
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (starts[mid] <= t + 0.01) { found = mid; lo = mid + 1; } else { hi = mid - 1; } }
    return found;
  }
  function follow() {
    const i = indexAt(audio.currentTime);
    const next = i >= 0 ? sentences[i] : null;
    if (next !== current) {
      if (current) { current.classList.remove('current'); current.removeAttribute('aria-current'); }
      if (next) { next.classList.add('current'); next.setAttribute('aria-current', 'true');
                  next.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }
      current = next;
    }
    chapters.forEach((c, k) => {
      const start = parseFloat(c.dataset.start);
      const end = k + 1 < chapters.length ? parseFloat(chapters[k + 1].dataset.start) : Infinity;
      c.setAttribute('aria-current', String(audio.currentTime >= start && audio.currentTime < end));
    });
  }
  function seek(t) { audio.currentTime = t; follow(); audio.play().catch(() => {}); }
  chapters.forEach(c => c.addEventListener('click', () => seek(parseFloat(c.dataset.start))));
  sentences.forEach(s => {
    s.addEventListener('click', () => seek(parseFloat(s.dataset.start)));
    s.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); seek(parseFloat(s.dataset.start)); } });
  });
  ['timeupdate', 'seeked', 'seeking', 'loadedmetadata'].forEach(e => audio.addEventListener(e, follow));
  const hash = /^#t=([\d.]+)$/.exec(location.hash);
  if (hash) { const t = parseFloat(hash[1]); audio.addEventListener('loadedmetadata', () => { audio.currentTime = t; follow(); }, { once: true }); if (audio.readyState > 0) { audio.currentTime = t; } }
  window.audiobookFollow = follow;
  follow();
})();
