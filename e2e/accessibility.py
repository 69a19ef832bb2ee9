"""axe-core in the real browser: WCAG 2.1 A and AA rules on every page a journey visits.

A serious or critical violation fails the test. Anything milder must be listed in
docs/accessibility.md with the reason it remains; an unlisted one fails the test too, so the
document cannot fall behind the pages. Every checked page must also reflow at 320 CSS px
(WCAG 2.1 SC 1.4.10), which axe-core does not test.
"""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "accessibility.md"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# The rows of docs/accessibility.md's findings table start with the axe rule id in backticks.
DOCUMENTED_RULE = re.compile(r"^\|\s*`([a-z0-9-]+)`\s*\|", re.M)
TITLE = re.compile(r"^\S.* – Kumppanuus$")
# WCAG 1.4.10: content reflows without scrolling in two directions at 320 CSS px (1280 px at 400 % zoom).
REFLOW_WIDTH = 320

# Every finding below serious, for the summary at the end of the run (see e2e/conftest.py).
FINDINGS: list[str] = []

_axe = Axe()


def _describe(violation: dict) -> str:
    targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}"


def documented_rules() -> set[str]:
    return set(DOCUMENTED_RULE.findall(DOCUMENT.read_text(encoding="utf-8")))


def assert_accessible(page, name: str) -> None:
    """Checks the page as it is now: axe-core's WCAG 2.1 A/AA rules, its title, landmarks and footer."""
    page.wait_for_load_state("load")
    title = page.title()
    assert TITLE.match(title), f"{name}: the title {title!r} does not say where the person is"
    for role in ("banner", "main", "contentinfo"):
        count = page.get_by_role(role).count()
        assert count == 1, f"{name}: expected one {role} landmark, found {count}"
    assert page.get_by_role("navigation").count() >= 1, f"{name}: no navigation landmark"
    statement = page.get_by_role("contentinfo").locator("a[href='/accessibility/']")
    assert statement.count() == 1, f"{name}: the footer does not link to the accessibility statement"

    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    milder = [v for v in violations if v["impact"] not in BLOCKING]
    assert not blocking, f"{name} ({page.url}) has serious or critical accessibility violations:\n" + "\n".join(
        _describe(v) for v in blocking
    )
    undocumented = sorted({v["id"] for v in milder} - documented_rules())
    assert not undocumented, (
        f"{name} ({page.url}): fix these, or list them in docs/accessibility.md with why they remain:\n"
        + "\n".join(_describe(v) for v in milder if v["id"] in undocumented)
    )
    FINDINGS.extend(f"{name}: {_describe(v)}" for v in milder)
    assert_reflows(page, name)


# What sticks out past the right edge of the window, innermost first; what scrolls inside its own
# region (a wide table in a .table-responsive) is not counted, as the page itself does not scroll.
_OVERFLOWING = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // Clipped by a scrolling ancestor, unless it is positioned out of it (its containing block is further up).
    let clipped = false;
    let escapes = ['absolute', 'fixed'].includes(getComputedStyle(element).position);
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (escapes && style.position === 'static') continue;
      escapes = ['absolute', 'fixed'].includes(style.position);
      if (style.overflowX !== 'visible' && parent.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
    }
    if (clipped) continue;
    if ([...element.children].some(child => child.getBoundingClientRect().right > width + 1)) continue;
    const id = element.id ? '#' + element.id : '';
    const classes = element.classList.length ? '.' + [...element.classList].join('.') : '';
    found.push(`${element.tagName.toLowerCase()}${id}${classes} (right edge ${Math.round(box.right)} px): `
               + (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60));
    if (found.length >= 5) break;
  }
  if (found.length === 0) {
    // Nothing's box sticks out: then text sticks out of its box (a long word in a narrow heading).
    for (const element of document.body.querySelectorAll('*')) {
      if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === 'visible'
          && ![...element.children].some(child => child.scrollWidth > child.clientWidth + 1)) {
        const size = `text ${element.scrollWidth} px wide in ${element.clientWidth} px`;
        found.push(`${element.tagName.toLowerCase()} (${size}): `
                   + (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60));
      }
    }
  }
  return found.slice(0, 5);
}"""


def assert_reflows(page, name: str) -> None:
    """The page fits 320 CSS px wide: nothing but a table's own scrolling region scrolls sideways.

    Sets the viewport to 320 px (keeping its height), measures, and restores it, so the journey goes
    on at the size it was at. The failure names the elements that stick out.
    """
    viewport = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"] if viewport else 640})
    try:
        page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => resolve()))")  # laid out anew
        widths = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, window: window.innerWidth})"
        )
        if widths["scroll"] > widths["window"]:
            culprits = page.evaluate(_OVERFLOWING)
            raise AssertionError(
                f"{name} ({page.url}) does not reflow at {REFLOW_WIDTH} px (WCAG 1.4.10): the page is "
                f"{widths['scroll']} px wide. Sticking out:\n" + "\n".join(culprits)
            )
    finally:
        if viewport:
            page.set_viewport_size(viewport)


def focus_indicator(locator) -> dict:
    """The outline the focused element draws, as the browser computes it."""
    return locator.evaluate(
        "element => { const style = getComputedStyle(element);"
        " return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,"
        " focused: element === document.activeElement}; }"
    )


def assert_visible_focus(locator, name: str) -> None:
    """The focused element shows our focus ring (static/css/kumppanuus.css), not the browser's faint default."""
    indicator = focus_indicator(locator)
    assert indicator["focused"], f"{name} is not focused"
    assert indicator["style"] == "solid" and indicator["width"] >= 2, f"{name} has no visible focus: {indicator}"
