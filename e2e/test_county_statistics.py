"""County-wide statistics (issue 13): the demo's coordinator follows the link from her workspace to
her county's statistics and finds each chart drawn, with its data as a table and a CSV link, under
the strict Content Security Policy (no console errors, no refused resources), passing axe-core and
reflowing at 320 px; a period chosen in the form redraws the charts by quarter, and a bad period is
answered next to the field."""

from playwright.sync_api import expect

from devdata.management.commands.load_demo import DEMO_PASSWORD
from e2e.accessibility import assert_accessible, assert_reflows
from e2e.helpers import field, sign_in, t
from e2e.screenshots import save_screenshot

LANGUAGE = "fi"


def _console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_the_coordinator_reads_her_countys_charts(page, demo):
    errors = _console_errors(page)
    page.goto("/")
    sign_in(page, email=demo["coordinator"].email, password=DEMO_PASSWORD)
    page.get_by_role("link", name=t(LANGUAGE, "Statistics of the whole county, with charts")).click()
    response = page.reload()
    assert response.status == 200
    assert "style-src 'self'" in response.headers["content-security-policy"]

    main = page.get_by_role("main")
    for title in (
        "Participation over time in the whole county",
        "Participation per table in the period",
        "Organisations by municipality",
        "Organisations by theme",
        "Annual evaluation: average of the scale answers (1–5) by year",
    ):
        figure = main.get_by_role("figure", name=t(LANGUAGE, title))
        expect(figure).to_be_visible()
        chart = figure.get_by_role("img", name=t(LANGUAGE, title))
        expect(chart).to_be_visible()
        # Drawn, not empty: bars or a line with markers.
        assert chart.locator("rect, path").count() > 2, title
    # Each chart's data follows it as a table with a caption.
    expect(main.get_by_role("table", name=t(LANGUAGE, "Participation per table in the period"))).to_be_visible()
    expect(main.get_by_role("link", name=t(LANGUAGE, "Download participation as CSV")).first).to_be_visible()
    assert_accessible(page, "county-statistics (fi)")
    assert_reflows(page, "county-statistics (fi)")
    save_screenshot(page, "county-statistics")

    # By quarter: the time axis has eight quarters.
    field(page, t(LANGUAGE, "Period")).select_option("quarters8")
    main.get_by_role("button", name=t(LANGUAGE, "Show")).click()
    over_time = main.get_by_role("table", name=t(LANGUAGE, "Participation over time in the whole county"))
    expect(over_time.locator("tbody tr")).to_have_count(8)
    assert_accessible(page, "county-statistics by quarter (fi)")

    assert not errors, f"console errors (a resource refused by the policy shows here): {errors}"

    # A period that is not offered is answered next to the field, not with an error page (the
    # browser notes the 400 in its console; nothing else may appear there).
    response = page.goto(page.url.split("?")[0] + "?period=decade")
    assert response.status == 400
    expect(page.locator("#div_id_period .invalid-feedback")).to_contain_text("decade")
    expect(field(page, t(LANGUAGE, "Period"))).to_have_attribute("aria-invalid", "true")
    others = [error for error in errors if "status of 400" not in error]
    assert not others, f"console errors (a resource refused by the policy shows here): {others}"
