// The lineage part of a model page: the controls kept in step with the URL, and the
// picture fitted to its box, zoomable and movable.
//
// The lineage controls of a model page (form#lineage-controls) kept in step with the
// URL. The form is a plain GET form, so the URL is the view; but after Back or
// Forward a browser may restore the page from its back-forward cache, or refill the
// fields it remembers, and the form then shows other values than the URL and the
// picture (depth=1 in the URL, "all" in the form). On every `pageshow` and
// `popstate` the fields are set from the URL, with the server's defaults for what
// the URL leaves out.
(function () {
  'use strict';

  // The server's defaults: what a field shows when the URL does not name it.
  const DEFAULTS = { direction: 'both', depth: '', min_confidence: '', as_of: '', known_at: '' };

  function sync() {
    const form = document.getElementById('lineage-controls');
    if (!form) return;
    const params = new URLSearchParams(window.location.search);
    for (const [name, fallback] of Object.entries(DEFAULTS)) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      const value = params.get(name);
      field.value = value === null ? fallback : value;
      // A select given a value it has no option for shows nothing; show the default.
      if (field.tagName === 'SELECT' && field.selectedIndex < 0) field.value = fallback;
    }
    // Relations repeat (`relation=a&relation=b`) or come comma-separated, as the
    // server reads them.
    const relations = new Set(params.getAll('relation')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean));
    for (const box of form.querySelectorAll('input[type=checkbox][name=relation]')) {
      box.checked = relations.has(box.value);
    }
  }

  window.addEventListener('pageshow', sync);
  window.addEventListener('popstate', sync);
  if (document.readyState !== 'loading') sync();
  else document.addEventListener('DOMContentLoaded', sync);
})();


// The lineage picture (figure.picture > svg.lineage) fitted to the width of its box
// and centred on the page's model, with zoom and pan: the buttons − + and Fit, a
// pointer drag, a two-finger pinch, Ctrl+wheel (a trackpad's pinch), and, while a
// link of the picture has focus, the arrow keys to move and + − 0 to zoom and fit.
// Only the SVG's viewBox changes, so the picture stays sharp and its links stay
// links. Focus on an edge (Tab, or a tap) shows its name and sources under the
// picture; a link focused out of view is brought into it. Without this script the
// picture keeps its own size and scrolls in its box (style.css).
(function () {
  'use strict';
  const { el } = Pedigree;

  // One press of + or −.
  const STEP = 1.25;
  // The least scale of the first view: in a box under NARROW pixels (a phone, held
  // close, its pixels small) 13 px names drawn at 8 px; in a wider one, the
  // picture's own size, as it was drawn before it could zoom. A picture wider than
  // that starts at this scale, centred on the page's model; Fit shows all of it.
  const READABLE_NARROW = 0.6;
  const NARROW = 640;
  const MAX_SCALE = 4;
  // How far a pointer moves before a press is a drag: less, and a tap or a click on a
  // link stays a click.
  const DRAG_SLOP = 6;
  // Pixels an arrow key moves the picture.
  const PAN_STEP = 60;
  // The tallest box, as a share of the window: the page must stay scrollable around
  // the picture, since a drag on the picture moves the picture.
  const MAX_BOX_SHARE = 0.7;

  function zoomable(figure) {
    const svg = figure.querySelector('svg.lineage');
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    const full = { w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height };
    let scale = 1;
    let cx = full.w / 2;
    let cy = full.h / 2;
    let width = 0;
    let height = 0;
    const readable = () => (width < NARROW ? READABLE_NARROW : 1);

    const button = (label, text, action) => {
      const b = el('button', { type: 'button', 'aria-label': label, 'data-zoom': action }, text);
      b.addEventListener('click', () => act(action));
      return b;
    };
    const level = el('span', { class: 'level', 'aria-live': 'polite' });
    const bar = el('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom the picture' },
      button('Zoom out', '−', 'out'), button('Zoom in', '+', 'in'), button('Fit the whole picture', 'Fit', 'fit'),
      level, el('span', { class: 'hint' }, 'Drag to move; pinch or Ctrl+wheel to zoom; on a focused link, arrows move and + − zoom.'));
    const note = el('p', { class: 'edge-note', hidden: '' });
    figure.prepend(bar);
    figure.after(note);
    figure.classList.add('zoomable');
    svg.setAttribute('width', '100%');
    svg.removeAttribute('height');

    function fitScale() {
      return Math.min(width / full.w, height / full.h);
    }
    function clampScale(value) {
      return Math.min(MAX_SCALE, Math.max(Math.min(fitScale(), 1) / 2, value));
    }
    function measure() {
      width = svg.getBoundingClientRect().width || figure.clientWidth;
      const natural = full.h * Math.max(Math.min(1, width / full.w), readable());
      height = Math.round(Math.min(natural, Math.max(240, window.innerHeight * MAX_BOX_SHARE)));
      svg.style.height = `${height}px`;
    }
    // Keeps the view on the picture: centred along an axis the view is larger than,
    // else not past either edge.
    function draw() {
      const w = width / scale;
      const h = height / scale;
      cx = w >= full.w ? full.w / 2 : Math.min(Math.max(cx, w / 2), full.w - w / 2);
      cy = h >= full.h ? full.h / 2 : Math.min(Math.max(cy, h / 2), full.h - h / 2);
      svg.setAttribute('viewBox', `${(cx - w / 2).toFixed(1)} ${(cy - h / 2).toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}`);
      level.textContent = `${Math.round(scale * 100)}%`;
      figure.dataset.scale = scale.toFixed(3);
    }
    // Zooms keeping the picture's point under (px, py), in box pixels, where it is.
    function zoomAt(next, px, py) {
      const ux = cx + (px - width / 2) / scale;
      const uy = cy + (py - height / 2) / scale;
      scale = clampScale(next);
      cx = ux - (px - width / 2) / scale;
      cy = uy - (py - height / 2) / scale;
      draw();
    }
    function centreOn(element) {
      const box = element.getBBox();
      cx = box.x + box.width / 2;
      cy = box.y + box.height / 2;
    }
    function start() {
      measure();
      scale = Math.min(1, Math.max(fitScale(), readable()));
      const root = svg.querySelector('a.node.root rect');
      if (root && scale > fitScale()) centreOn(root);
      else { cx = full.w / 2; cy = full.h / 2; }
      draw();
    }
    function act(action) {
      if (action === 'in') zoomAt(scale * STEP, width / 2, height / 2);
      else if (action === 'out') zoomAt(scale / STEP, width / 2, height / 2);
      else if (action === 'fit') { scale = Math.min(1, fitScale()); cx = full.w / 2; cy = full.h / 2; draw(); }
    }

    // Pointers: one drags, two pinch. A press becomes a drag only past DRAG_SLOP, and
    // only then is the pointer captured, so a click or tap on a link still opens it.
    const pointers = new Map();
    let drag = null;
    let pinch = null;
    let swallowClick = false;
    const local = (p) => {
      const rect = svg.getBoundingClientRect();
      return { x: p.x - rect.left, y: p.y - rect.top };
    };
    svg.addEventListener('pointerdown', (event) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 1) {
        drag = { x: event.clientX, y: event.clientY, cx, cy, moved: false };
      } else if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const mid = local({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
        pinch = {
          distance: Math.hypot(a.x - b.x, a.y - b.y) || 1,
          scale,
          ux: cx + (mid.x - width / 2) / scale,
          uy: cy + (mid.y - height / 2) / scale,
        };
        for (const id of pointers.keys()) if (!svg.hasPointerCapture(id)) svg.setPointerCapture(id);
        if (drag) drag.moved = true;
      }
    });
    svg.addEventListener('pointermove', (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size >= 2) {
        const [a, b] = [...pointers.values()];
        const mid = local({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
        scale = clampScale(pinch.scale * Math.hypot(a.x - b.x, a.y - b.y) / pinch.distance);
        cx = pinch.ux - (mid.x - width / 2) / scale;
        cy = pinch.uy - (mid.y - height / 2) / scale;
        draw();
        return;
      }
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved) {
        if (Math.hypot(dx, dy) < DRAG_SLOP) return;
        drag.moved = true;
        svg.setPointerCapture(event.pointerId);
        svg.classList.add('dragging');
      }
      cx = drag.cx - dx / scale;
      cy = drag.cy - dy / scale;
      draw();
    });
    const release = (event) => {
      if (!pointers.delete(event.pointerId)) return;
      if (pointers.size < 2) pinch = null;
      if (pointers.size === 1) {
        // The pinch is over; the finger left goes on dragging from where it is.
        const [p] = [...pointers.values()];
        drag = { x: p.x, y: p.y, cx, cy, moved: true };
      } else if (pointers.size === 0) {
        if (drag && drag.moved) {
          // The click that ends a drag is not a click on what the drag started on.
          swallowClick = true;
          setTimeout(() => { swallowClick = false; }, 0);
        }
        drag = null;
        svg.classList.remove('dragging');
      }
    };
    svg.addEventListener('pointerup', release);
    svg.addEventListener('pointercancel', release);
    svg.addEventListener('click', (event) => {
      if (!swallowClick) return;
      event.preventDefault();
      event.stopPropagation();
    }, true);
    // Ctrl+wheel (and a trackpad's pinch, which browsers send as one) zooms at the
    // pointer; a plain wheel scrolls the page as everywhere else.
    svg.addEventListener('wheel', (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const p = local({ x: event.clientX, y: event.clientY });
      zoomAt(scale * Math.exp(-event.deltaY * 0.002), p.x, p.y);
    }, { passive: false });

    figure.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || !svg.contains(event.target)) return;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (moves[event.key]) {
        cx += moves[event.key][0] * PAN_STEP / scale;
        cy += moves[event.key][1] * PAN_STEP / scale;
        draw();
      } else if (event.key === '+' || event.key === '=') act('in');
      else if (event.key === '-' || event.key === '_') act('out');
      else if (event.key === '0') act('fit');
      else return;
      event.preventDefault();
    });

    // A link focused out of view is brought into it; an edge's name and sources
    // show under the picture, for keyboards and fingers, which have no hover.
    svg.addEventListener('focusin', (event) => {
      const link = event.target.closest('a');
      if (!link) return;
      const box = link.getBBox();
      const w = width / scale;
      const h = height / scale;
      const left = cx - w / 2;
      const top = cy - h / 2;
      if (box.x < left || box.y < top || box.x + box.width > left + w || box.y + box.height > top + h) {
        centreOn(link);
        draw();
      }
      if (!link.classList.contains('edge')) { note.hidden = true; return; }
      const title = link.querySelector('title');
      const sources = title ? title.textContent.split('\n').slice(1).map((line) => line.replace(/^· /, '')) : [];
      note.replaceChildren(el('strong', {}, link.getAttribute('aria-label') || ''),
        sources.length ? `: ${sources.join('; ')}.` : '.', ' Enter opens its row, with links to the sources.');
      note.hidden = false;
    });

    let last = 0;
    window.addEventListener('resize', () => {
      const before = svg.getBoundingClientRect().width;
      if (Math.abs(before - last) < 1) return;
      last = before;
      measure();
      scale = clampScale(scale);
      draw();
    });
    start();
    last = width;
  }

  function init() {
    for (const figure of document.querySelectorAll('figure.picture')) zoomable(figure);
  }
  if (document.readyState !== 'loading') init();
  else document.addEventListener('DOMContentLoaded', init);
})();
