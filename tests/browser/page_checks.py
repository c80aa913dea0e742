"""What the page walk checks on each page, in the browser: sideways scrolling, scroll
regions, words kept together, axe-core, and where each Tab stop lands."""

from __future__ import annotations

from tests.browser.conftest import AXE

# Names an element in a problem report: its tag, id and classes, and the start of its text.
_DESCRIBE = """
const describe = el => {
  if (!el) return 'nothing';
  const classes = [...el.classList].map(c => '.' + c).join('');
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '')
    .replace(/\\s+/g, ' ').trim().slice(0, 50);
  return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}> "${text}"`;
};
"""

# The page's sideways overflow, and the element reaching furthest right outside any
# element that clips or scrolls its content (the culprit, not a scrolled table's cell).
OVERFLOW = (
    "() => {"
    + _DESCRIBE
    + """
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  // Clipped by a box that scrolls or hides its overflow: one of its containing blocks
  // (an absolutely positioned element escapes a box that is not positioned).
  const clipped = el => {
    let position = getComputedStyle(el).position;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (position === 'fixed') return false;
      const style = getComputedStyle(p);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  let widest = null, right = root.clientWidth + 0.5;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right >= right && r.width > 0 && !clipped(el)) { widest = el; right = r.right; }
  }
  return `${root.scrollWidth} px wide on ${root.clientWidth} px; widest: ${describe(widest)}`
    + ` reaches ${Math.round(right)} px`;
}"""
)

# A box that scrolls sideways on its own must be reachable and announced: focusable
# (tabindex 0) and a named region.
SCROLL_REGIONS = (
    "() => {"
    + _DESCRIBE
    + """
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(el).overflowX;
    if (!['auto', 'scroll'].includes(overflow) || el.scrollWidth <= el.clientWidth) continue;
    const named = el.getAttribute('aria-labelledby') || el.getAttribute('aria-label');
    if (el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !named) {
      problems.push(`${describe(el)} scrolls sideways, but is not a named, focusable region`);
    }
  }
  return problems;
}"""
)

# Text kept on one line (a percentage and its word, a number and its unit).
KEPT_TOGETHER = (
    "() => {"
    + _DESCRIBE
    + """
  return [...document.querySelectorAll('.keep-together')]
    .filter(el => el.getClientRects().length > 1)
    .map(el => `${describe(el)} breaks over ${el.getClientRects().length} lines`);
}"""
)

# The focused element, once: fully inside the viewport and not covered, checked at the
# centre and near the middle of each edge of each of its boxes (a link may wrap onto two lines).
FOCUSED = (
    "() => {"
    + _DESCRIBE
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return {outside: true};
  if (el.dataset.focusWalk) return {done: true};
  el.dataset.focusWalk = 'seen';
  const name = describe(el);
  const boxes = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  if (!boxes.length) return {problem: `${name} has focus but no size`};
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const all = el.getBoundingClientRect();
  if (all.left < -0.5 || all.top < -0.5 || all.right > vw + 0.5 || all.bottom > vh + 0.5) {
    const at = [all.left, all.top, all.right, all.bottom].map(Math.round).join(', ');
    return {problem: `${name} has focus outside the ${vw}×${vh} viewport (${at})`};
  }
  for (const r of boxes) {
    const inset = Math.min(2, r.width / 4, r.height / 4);
    const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const points = [
      [x, y], [x, r.top + inset], [x, r.bottom - inset], [r.left + inset, y], [r.right - inset, y],
    ];
    for (const [x, y] of points) {
      const hit = document.elementFromPoint(x, y);
      if (hit !== el && !el.contains(hit)) {
        const at = `(${Math.round(x)}, ${Math.round(y)})`;
        return {problem: `${name} has focus but is covered at ${at} by ${describe(hit)}`};
      }
    }
  }
  return {};
}"""
)

MAX_TAB_STOPS = 200  # more than any page has; a longer walk means focus is trapped


def layout_problems(page) -> list[str]:
    """Sideways scrolling, unannounced scroll regions, words that should stay together,
    and ``autocomplete="None"`` (a missing value rendered as text)."""
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        problems.append(f"scrolls sideways: {overflow}")
    problems += page.evaluate(SCROLL_REGIONS)
    problems += page.evaluate(KEPT_TOGETHER)
    if page.locator("[autocomplete='None' i]").count():
        problems.append('renders autocomplete="None"')
    return problems


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations (axe is injected by ``axe_context``)."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def focus_problems(page) -> list[str]:
    """Tab through every stop until focus comes round to one seen before; each must be
    fully visible. A page that focuses a field on load is walked round from there."""
    problems = []
    outside = 0
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop.get("done") or outside > 1:
            return problems
        outside = outside + 1 if stop.get("outside") else 0
        if "problem" in stop:
            problems.append(stop["problem"])
    return [*problems, f"focus did not come round after {MAX_TAB_STOPS} Tab stops"]


def axe_context(browser, base_url: str, viewport: dict):
    """A browser context with axe-core in every page, added through DevTools (the pages'
    CSP allows no script from elsewhere, and the tests load nothing from the internet)."""
    context = browser.new_context(viewport=viewport, base_url=base_url)
    context.add_init_script(path=str(AXE))
    return context
