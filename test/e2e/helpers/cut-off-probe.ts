// The page side of cut-off.ts: runs in the page (Playwright serialises each function into it),
// so it is type-checked with the renderer's DOM types (tsconfig.web.json) and never imported by
// the Node side, which loads it by path. Each function is self-contained: no closures, no
// imports.

export interface CutOff {
  /** A short CSS-like path naming the element (tag, id, classes, accessible name). */
  element: string;
  box: { x: number; y: number; width: number; height: number };
  /** What clips it: an ancestor's description, or "viewport". */
  clippedBy: string;
}

/** What is cut off among the elements `selector` matches (and every scroll area). */
export function findCutOff(selector: string): CutOff[] {
  const SLACK = 1; // sub-pixel rounding
  const describe = (el: Element): string => {
    const id = el.id ? `#${el.id}` : '';
    const classes = [...el.classList]
      .slice(0, 3)
      .map((c) => `.${c}`)
      .join('');
    const label =
      el.getAttribute('aria-label') ??
      el.getAttribute('data-testid') ??
      (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${classes}${label ? ` "${label}"` : ''}`;
  };
  const visible = (el: Element, box: DOMRect): boolean => {
    // A visually hidden element (1 px, clipped) is for screen readers, not a window.
    if (box.width <= 1 || box.height <= 1) return false;
    if (el.closest('.visually-hidden')) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && Number(style.opacity) > 0;
  };
  const scrollsOn = (style: CSSStyleDeclaration, el: Element, axis: 'x' | 'y'): boolean => {
    const overflow = axis === 'x' ? style.overflowX : style.overflowY;
    if (overflow !== 'auto' && overflow !== 'scroll') return false;
    return axis === 'x' ? el.scrollWidth > el.clientWidth : el.scrollHeight > el.clientHeight;
  };

  const found: CutOff[] = [];
  const root = document.documentElement;
  const checked = new Set<Element>(document.querySelectorAll(selector));
  // Scroll areas are checked too: content reachable inside one is only reachable if it is.
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (scrollsOn(style, el, 'x') || scrollsOn(style, el, 'y')) checked.add(el);
  }
  for (const el of checked) {
    const box = el.getBoundingClientRect();
    if (!visible(el, box)) continue;
    const record = (clippedBy: string): void => {
      found.push({
        element: describe(el),
        box: { x: box.x, y: box.y, width: box.width, height: box.height },
        clippedBy,
      });
    };
    // Ancestors clip what they contain: an absolutely positioned box escapes those between it
    // and its positioned containing block, a fixed one every ancestor up to the viewport
    // (unless a transform or the like makes one its containing block).
    const makesBlockForFixed = (st: CSSStyleDeclaration): boolean =>
      st.transform !== 'none' ||
      st.filter !== 'none' ||
      st.perspective !== 'none' ||
      /paint|layout|strict|content/.test(st.contain) ||
      /transform|filter/.test(st.willChange);
    let position = getComputedStyle(el).position;
    let reachX = false;
    let reachY = false;
    let clipped: string | null = null;
    for (let a = el.parentElement; a && a !== root && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const containing =
        position === 'absolute'
          ? style.position !== 'static' || makesBlockForFixed(style)
          : position === 'fixed'
            ? makesBlockForFixed(style)
            : true;
      if (!containing) continue;
      position = style.position;
      const clipsX = style.overflowX !== 'visible';
      const clipsY = style.overflowY !== 'visible';
      if (!clipsX && !clipsY) continue;
      const outer = a.getBoundingClientRect();
      const left = outer.left + a.clientLeft;
      const top = outer.top + a.clientTop;
      const outX = box.left < left - SLACK || box.right > left + a.clientWidth + SLACK;
      const outY = box.top < top - SLACK || box.bottom > top + a.clientHeight + SLACK;
      if (clipsX && outX && !reachX) {
        if (scrollsOn(style, a, 'x')) reachX = true;
        else clipped ??= describe(a);
      }
      if (clipsY && outY && !reachY) {
        if (scrollsOn(style, a, 'y')) reachY = true;
        else clipped ??= describe(a);
      }
    }
    const fixed = position === 'fixed';
    if (clipped) {
      record(clipped);
      continue;
    }
    const own = getComputedStyle(el);
    if (
      own.overflowX === 'visible' &&
      el.scrollWidth > el.clientWidth + SLACK &&
      el.clientWidth > 0
    ) {
      record(`its own box: content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      continue;
    }
    // The page scrolls down, so below the fold is fine; sideways is not, nor off a fixed layer.
    const width = root.clientWidth;
    const outX = !reachX && (box.left < -SLACK || box.right > width + SLACK);
    const outY = fixed && !reachY && (box.top < -SLACK || box.bottom > window.innerHeight + SLACK);
    if (outX || outY) record('viewport');
  }
  if (root.scrollWidth > root.clientWidth + SLACK) {
    found.push({
      element: `the page (${root.scrollWidth} px wide)`,
      box: { x: 0, y: 0, width: root.scrollWidth, height: root.scrollHeight },
      clippedBy: `viewport (${root.clientWidth} px): it scrolls sideways`,
    });
  }
  return found;
}

/**
 * Whether the text of `el` (an empty chart's placeholder) lies inside the plot area marked in
 * its chart (`.plot-area`, placed from chart.js's chartArea), so it never covers an axis label.
 */
export function textInsidePlot(el: Element): { inside: boolean; text: string; area: string } {
  const range = document.createRange();
  range.selectNodeContents(el);
  const t = range.getBoundingClientRect();
  const a = el.closest('.chart-box')?.querySelector('.plot-area')?.getBoundingClientRect();
  const fmt = (r: DOMRect): string => `${r.x},${r.y} ${r.width}×${r.height}`;
  if (!a) return { inside: false, text: fmt(t), area: 'none' };
  const inside =
    t.left >= a.left - 1 &&
    t.right <= a.right + 1 &&
    t.top >= a.top - 1 &&
    t.bottom <= a.bottom + 1;
  return { inside, text: fmt(t), area: fmt(a) };
}
