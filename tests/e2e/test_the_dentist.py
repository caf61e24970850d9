"""The dentist's day in the real app: the clinical record of a patient registered by
the front desk. The administrator creates a dentist's account; the dentist takes the
medical history (allergy and anticoagulant alerts shown over every clinical tab),
charts a caries on 36 and a composite filling planned then done, writes a note from a
template and amends it, records a periodontal examination, and imports a periapical
radiograph (a synthetic 16-bit DICOM file, synthetic_xray.py), views it, adjusts it,
measures on it, and sees a damaged file refused.

DEPENDS ON test_front_desk.py, run before it in the same session: pytest takes the
files in alphabetical order and the `app` fixture is session-scoped (one app, one
clinic). This test starts where that one ends: the DPO (irina) signed in with the
rectification request open; the administrator (admin, ADMIN_PW), enrolled in two-factor
sign-in with the secret kept in `app.totp` (each of their sign-ins types a fresh code
from it, `App.sign_in`); the adult patient
Ștefan Vlăduțescu (CNP 1800101221144) with health-data consent, his record restricted
by the DPO (Art. 18); his daughter's record erased. Run alone, it fails at once.
"""

import os
import pathlib
import re
import subprocess

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select

from synthetic_xray import WINDOW, first_molar_crown_width, write_periapical, write_series
from test_front_desk import ADMIN_PW

DENTIST = "dr.ioana"
DENTIST_PW = "parola-medic-2026-ioana"
STEFAN_CNP = "1800101221144"


def css(d, selector):
    return d.find_elements(By.CSS_SELECTOR, selector)


def suffix_of(element, prefix):
    return element.get_attribute("data-testid")[len(prefix) :]


def test_the_dentists_day(app):
    d = app.driver
    home = pathlib.Path(os.environ["HOME"])

    def into_view(testid):
        e = app.visible(testid)
        d.execute_script("arguments[0].scrollIntoView({block: 'start'})", e)
        return e

    def type_path(testid, path):
        # Typed as text: Selenium would otherwise upload an existing local file's path.
        with d.file_detector_context(UselessFileDetector):
            app.type(testid, str(path))

    def sign_in(user, password, screen):
        # The administrator is asked for a code from their authenticator app too.
        app.sign_in(user, password)
        app.visible(screen)

    def open_stefan():
        app.click("nav-patients")
        app.type("patient-search", STEFAN_CNP)
        app.wait_until(lambda: any("Ștefan" in r.text for r in css(d, '[data-testid="patient-search-result"]')))
        app.click("patient-search-result")
        app.visible("patient-card")
        app.wait_text("Vlăduțescu")

    # 0. Where the front desk left off: the DPO, in the rectification request she has
    # just answered, closes it and lifts the restriction on Ștefan's record, so his
    # treatment can go on (a restricted record refuses every change but hers).
    app.click("request-detail-close")
    app.absent("request-detail")
    open_stefan()
    assert app.visible("patient-restriction-banner").get_attribute("data-restriction") == "restricted"
    Select(app.el("patient-restriction")).select_by_value("none")
    app.click("patient-restriction-apply")
    app.click("confirm-ok")
    app.absent("patient-restriction-banner")
    app.click("shell-logout")

    # 1. The administrator (password and code) creates the dentist's account; the
    # dentist, whose role may do without a second factor, signs in with the password.
    assert "admin" in app.totp, "the administrator enrolled in test_front_desk.py"
    sign_in("admin", ADMIN_PW, "staff-screen")
    app.click("staff-add")
    app.type("staff-new-username", DENTIST)
    Select(app.el("staff-new-role")).select_by_value("dentist")
    app.type("staff-new-password", DENTIST_PW)
    app.type("staff-new-password2", DENTIST_PW)
    app.click("staff-add-submit")
    app.wait_until(lambda: css(d, f'[data-testid="staff-row"][data-username="{DENTIST}"]'))
    app.absent("staff-add-dialog")
    app.shot("40-staff-dentist")
    app.click("shell-logout")
    sign_in(DENTIST, DENTIST_PW, "patients-screen")
    assert not css(d, '[data-testid="nav-staff"]'), "a dentist does not manage staff"

    # 2. The medical history: no history yet, then allergies and anticoagulants with
    # what they are. The alerts header says so on every clinical tab.
    open_stefan()
    for tab in ["tab-chart", "tab-perio", "tab-anamnesis", "tab-notes", "tab-imaging"]:
        app.visible(tab)
    app.click("tab-anamnesis")
    app.visible("medical-alerts-no-history")
    app.click("anamnesis-new")
    app.visible("anamnesis-form")
    app.click("anamnesis-allergies-yes")
    app.type("anamnesis-allergies-detail", "penicilină")
    app.click("anamnesis-anticoagulants-yes")
    app.click("anamnesis-save")
    # A "yes" to anticoagulants must say which: the form holds it back until it does.
    app.visible("anamnesis-anticoagulants-detail-error")
    app.type("anamnesis-anticoagulants-detail", "acenocumarol")
    for item in ["medication", "heart_disease", "hypertension", "diabetes", "bleeding_disorder"]:
        app.click(f"anamnesis-{item}-no")
    app.type("anamnesis-notes", "INR 2,4 (cardiolog)")
    into_view("anamnesis-form")
    app.shot("41-medical-history-form")
    app.click("anamnesis-save")
    app.visible("anamnesis-latest")
    assert app.el("anamnesis-latest-allergies").get_attribute("data-reply") == "yes"
    assert app.el("anamnesis-latest-anticoagulants").get_attribute("data-reply") == "yes"
    assert app.el("anamnesis-latest-diabetes").get_attribute("data-reply") == "no"
    assert app.el("anamnesis-latest-smoking").get_attribute("data-reply") == "unknown"
    assert "acenocumarol" in app.el("anamnesis-latest-anticoagulants").text

    def alerts_shown(where):
        app.wait_until(lambda: app.visible("medical-alerts").get_attribute("data-count") == "2")
        allergy = app.visible("alert-allergies").text
        anticoagulant = app.visible("alert-anticoagulants").text
        assert "penicilină" in allergy, f"{where}: {allergy!r}"
        assert "acenocumarol" in anticoagulant, f"{where}: {anticoagulant!r}"

    alerts_shown("medical history")
    into_view("medical-alerts")
    app.shot("42-medical-alerts")

    # 3. The chart, under the same alerts: caries on 36's occlusal surface, a composite
    # filling planned there, then done; the history keeps all three.
    app.click("tab-chart")
    app.visible("chart-panel")
    alerts_shown("chart")
    assert css(d, '[data-testid="chart-alerts"] [data-testid="alert-allergies"]'), "the alerts sit over the chart"
    assert app.visible("odontogram").get_attribute("data-dentition") == "permanent"
    app.visible("chart-history-empty")

    # A click on the SVG shape of 36's occlusal surface picks the tooth with that surface,
    # ticked in the form below.
    polygon = app.visible("surface-36-occlusal")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", polygon)
    polygon.click()
    app.wait_until(lambda: app.el("tooth-36").get_attribute("aria-selected") == "true")
    app.visible("chart-entry-form")
    assert app.el("chart-surface-occlusal").is_selected(), "the surface clicked is ticked"
    Select(app.el("chart-kind")).select_by_value("condition")
    Select(app.el("chart-condition")).select_by_value("caries")
    app.type("chart-note", "Carie ocluzală, vizibilă și pe radiografie.")
    app.click("chart-save")
    app.wait_until(lambda: app.el("surface-36-occlusal").get_attribute("data-fill") == "caries")
    assert app.el("surface-36-mesial").get_attribute("data-fill") == "", "only the occlusal surface is carious"
    assert app.el("surface-37-occlusal").get_attribute("data-fill") == "", "no mark on the neighbour"
    into_view("chart-panel")
    app.shot("43-chart-caries")

    # The filling: a procedure from the clinic's catalogue, planned on the same surface.
    Select(app.el("chart-kind")).select_by_value("procedure")
    Select(app.el("chart-state")).select_by_value("planned")
    Select(app.el("chart-procedure")).select_by_value("restoration.composite")
    assert not app.el("chart-surface-occlusal").is_selected(), "the surfaces are cleared after a save"
    app.type("chart-surface-letters", "o")  # the dentists' shorthand ticks the surface
    app.wait_until(lambda: app.el("chart-surface-occlusal").is_selected())
    assert not app.el("chart-surface-mesial").is_selected(), "O is the occlusal surface alone"
    app.click("chart-save")

    def entries_on_tooth():
        return css(d, '[data-testid="chart-entries"] [data-testid^="chart-entry-"]')

    app.wait_until(lambda: len(entries_on_tooth()) == 2)
    done_buttons = css(d, '[data-testid="chart-entries"] [data-testid^="chart-done-"]')
    assert len(done_buttons) == 1, "only the planned filling can be marked done"
    planned_id = suffix_of(done_buttons[0], "chart-done-")
    planned_row = app.el(f"chart-entry-{planned_id}")
    assert "restoration.composite" not in planned_row.text, "the catalogue's name is shown, not the code"
    app.shot("44-chart-filling-planned")
    app.click(f"chart-done-{planned_id}")
    app.absent(f"chart-entry-{planned_id}")
    app.wait_until(lambda: app.el("surface-36-occlusal").get_attribute("data-fill") == "done")
    assert not css(d, '[data-testid="chart-entries"] [data-testid^="chart-done-"]'), "nothing left to do on 36"

    history = app.visible("chart-history")
    rows = history.find_elements(By.CSS_SELECTOR, 'tbody tr[data-testid^="chart-history-"]')
    assert [r.get_attribute("data-tooth") for r in rows] == ["36", "36", "36"], [r.text for r in rows]
    superseded = {suffix_of(r, "chart-history-"): r.get_attribute("data-superseded") for r in rows}
    assert superseded[planned_id] == "true", "the planned filling is followed by the done one"
    assert sorted(superseded.values()) == ["false", "false", "true"]
    # Newest first: done, planned, caries (in English or Romanian, as the UI speaks).
    texts = [r.text for r in rows]
    assert re.search(r"done|efectuat", texts[0]), texts
    assert re.search(r"planned|planificat", texts[1]), texts
    assert re.search(r"Caries|Carie", texts[2]), texts
    assert all(DENTIST in t for t in texts), "each entry says who recorded it"
    into_view("chart-panel")  # the alerts, the odontogram, tooth 36's entries
    app.visible("chart-legend")
    app.shot("45-chart-odontogram")
    into_view("chart-legend")
    app.shot("46-chart-legend-history")

    # 4. A clinical note from the "filling" template, then an amendment: the original
    # stays word for word, the amendment is shown under it with its reason.
    app.click("tab-notes")
    app.visible("notes-panel")
    alerts_shown("notes")
    app.click("note-new")
    Select(app.el("note-template")).select_by_value("filling")
    field = app.el("note-text")
    template = field.get_attribute("value")
    lines = template.split("\n")
    assert len(lines) == 5 and all(line.endswith(": ") for line in lines), template
    # Each line of the template completed where it ends, as the dentist would: End,
    # the words, Down to the next line. (As key actions on the focused field: WebKit's
    # WebDriver puts the caret back at the end on each element send_keys.)
    filled = ["36 ocluzal", "articaină 4%", "digă", "compozit A2", "fără alimente 2 ore"]
    app.click("note-text")
    keys = ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL)
    for value in filled:
        keys = keys.send_keys(Keys.END, value, Keys.DOWN)
    keys.perform()
    text = "\n".join(line + value for line, value in zip(lines, filled))
    app.wait_until(lambda: field.get_attribute("value") == text)
    app.click("note-save")
    app.absent("note-form")
    notes = css(d, 'li[data-testid^="note-"]')
    assert len(notes) == 1
    note_id = suffix_of(notes[0], "note-")
    original = app.visible(f"note-text-{note_id}").text
    assert original.split("\n") == text.split("\n"), original

    app.click(f"note-amend-{note_id}")
    app.visible("note-amend-form")
    assert app.el("note-text").get_attribute("value").strip() == text.strip(), "the amendment starts from the note"
    app.click("note-save")
    app.visible("note-reason-error")  # an amendment says why
    app.type("note-reason", "completare: controlul ocluziei")
    # A line added at the end (Enter: WebKit's WebDriver drops a typed "\n").
    field = app.el("note-text")
    app.click("note-text")
    ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.END).key_up(Keys.CONTROL).send_keys(
        Keys.ENTER, "Ocluzie verificată; retușat cuspidul distal."
    ).perform()
    amended = text + "\nOcluzie verificată; retușat cuspidul distal."
    app.wait_until(lambda: field.get_attribute("value") == amended)
    app.click("note-save")
    app.absent("note-amend-form")
    amendments = app.visible(f"note-{note_id}").find_elements(By.CSS_SELECTOR, '[data-testid^="amendment-"]')
    assert len(amendments) == 1
    assert "controlul ocluziei" in amendments[0].text and "retușat cuspidul distal" in amendments[0].text
    assert app.visible(f"note-text-{note_id}").text == original, "the original note is never rewritten"
    into_view("notes-panel")
    app.shot("47-notes-amended")

    # 5. A periodontal examination: the wisdom teeth marked absent, six depths on 16 and
    # on 46, one bleeding site; the summary counts them (12 sites, 1 bleeding: 8.3 %,
    # 2 of 4 mm or more).
    app.click("tab-perio")
    app.visible("perio-form")
    alerts_shown("perio")
    summary = d.find_element(By.CSS_SELECTOR, '[data-testid="perio-form"] details.present > summary')
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    for tooth in [18, 28, 38, 48]:
        app.click(f"perio-present-{tooth}")
        app.absent(f"perio-depth-{tooth}-db")
    summary.click()  # folded again
    depths = {16: [3, 2, 3, 3, 2, 4], 46: [2, 2, 3, 5, 3, 3]}
    for tooth, values in depths.items():
        for site, mm in zip(["db", "b", "mb", "dl", "l", "ml"], values):
            app.type(f"perio-depth-{tooth}-{site}", str(mm))
    app.click("perio-bleeding-46-dl")
    assert "perio-deep" in app.el("perio-depth-16-ml").get_attribute("class"), "a 4 mm pocket is marked"
    # Each jaw's grid scrolls sideways (wider than the window): both back to the start.
    d.execute_script(
        """document.querySelectorAll('[data-testid="perio-form"] .scroll').forEach((b) => (b.scrollLeft = 0));
           arguments[0].closest('table').scrollIntoView({block: 'start'});""",
        app.el("perio-depth-16-db"),
    )
    app.shot("48-perio-chart")
    app.click("perio-save")
    result = app.visible("perio-summary")
    assert result.get_attribute("data-sites") == "12", result.get_attribute("outerHTML")
    assert result.get_attribute("data-bleeding") == "8.3"
    assert result.get_attribute("data-deep") == "2"
    exam_rows = '[data-testid="perio-exams"] [data-testid^="perio-exam-"][data-sites]'
    app.wait_until(lambda: len(css(d, exam_rows)) == 1)
    assert css(d, exam_rows)[0].get_attribute("data-bleeding") == "8.3", "the examinations list it too"
    into_view("perio-panel")
    app.shot("49-perio-summary")

    # 6. X-rays: a periapical radiograph of 36-37 from the sensor's software, a 16-bit
    # DICOM file, imported, viewed, adjusted, measured; half of it is refused.
    dicom = write_periapical(home / "periapical-36-37.dcm")
    app.click("tab-imaging")
    app.visible("imaging-panel")
    alerts_shown("imaging")
    app.visible("xray-empty")
    type_path("xray-path", dicom)
    Select(app.el("xray-kind")).select_by_value("periapical")
    app.type("xray-teeth", "36 37")
    app.click("xray-import")
    app.wait_until(lambda: css(d, '[data-testid^="xray-thumb-"]'), timeout=40)
    thumbs = css(d, '[data-testid^="xray-thumb-"]')
    assert len(thumbs) == 1
    xray_id = suffix_of(thumbs[0], "xray-thumb-")
    thumb_img = thumbs[0].find_element(By.TAG_NAME, "img")
    assert thumb_img.get_attribute("src").startswith("data:image/png")
    app.wait_until(lambda: d.execute_script("return arguments[0].naturalWidth", thumb_img) > 0)
    into_view("xray-gallery")
    app.shot("50-xray-gallery")

    app.click(f"xray-thumb-{xray_id}")
    viewer = app.visible("xray-viewer")
    assert viewer.get_attribute("data-xray-id") == xray_id
    canvas = app.visible("xray-canvas")
    # The file's own window once its samples are in.
    center, width = (str(v) for v in WINDOW)
    app.wait_until(lambda: canvas.get_attribute("data-window-width") == width, timeout=30)
    assert canvas.get_attribute("data-window-center") == center
    assert canvas.get_attribute("data-inverted") == "false"
    info = app.visible("xray-info")
    assert info.find_element(By.CSS_SELECTOR, "[data-format]").get_attribute("data-format") == "dicom"
    assert info.find_element(By.CSS_SELECTOR, "[data-bits]").get_attribute("data-bits") == "16"
    assert "800" in info.text and "600" in info.text
    assert "ZMB-000042" in app.visible("xray-dicom").text, "the DICOM header's patient ID is shown to check"
    assert "VLADUTESCU" in app.visible("xray-dicom-name").text.upper()
    # The canvas shows the picture: not black, not one flat grey.
    shades = d.execute_script(
        """const c = arguments[0], g = c.getContext('2d');
           const px = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
           for (let i = 0; i < px.length; i += 4 * 97) seen.add(px[i] >> 3);
           return seen.size;""",
        canvas,
    )
    assert shades > 12, f"the radiograph is painted ({shades} shades)"
    into_view("xray-viewer")
    app.shot("51-xray-viewer")

    # Contrast up: the window narrows. (A range input is set as a user's drag would:
    # its value, then the input and change events.)
    contrast = app.el("xray-contrast")
    d.execute_script(
        """const el = arguments[0];
           Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, arguments[1]);
           el.dispatchEvent(new Event('input', {bubbles: true}));
           el.dispatchEvent(new Event('change', {bubbles: true}));""",
        contrast,
        "40",
    )
    app.wait_until(lambda: canvas.get_attribute("data-window-width") != width)
    assert float(canvas.get_attribute("data-window-width")) < WINDOW[1], "more contrast is a narrower window"
    app.click("xray-invert")
    app.wait_until(lambda: canvas.get_attribute("data-inverted") == "true")

    # A two-click measurement, in mm (the file gives a pixel spacing of 0.05 mm): the
    # first molar's crown at its widest, 224 image pixels (synthetic_xray.py), is
    # 11.2 mm mesiodistally, as a lower first molar is.
    app.click("xray-measure")
    app.visible("xray-measure-result")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    zoom = float(canvas.get_attribute("data-zoom"))
    assert canvas.get_attribute("data-rotation") == "0"
    box = d.execute_script(
        """const c = arguments[0], r = c.getBoundingClientRect();
           return {w: r.width, h: r.height, left: c.clientLeft, top: c.clientTop,
                   cw: c.clientWidth, ch: c.clientHeight};""",
        canvas,
    )

    def click_image_point(ix, iy):
        # The view is fitted and centred: image point -> canvas point -> offset from the
        # element's centre, where WebDriver's pointer offsets start.
        x = box["left"] + box["cw"] / 2 + (ix - 400) * zoom
        y = box["top"] + box["ch"] / 2 + (iy - 300) * zoom
        ActionChains(d).move_to_element_with_offset(canvas, round(x - box["w"] / 2), round(y - box["h"] / 2)).click().perform()

    for point in first_molar_crown_width():
        click_image_point(*point)
    app.wait_until(lambda: app.el("xray-measure-result").get_attribute("data-mm"))
    mm = float(app.el("xray-measure-result").get_attribute("data-mm"))
    assert abs(mm - 11.2) < 0.25, f"{mm} mm measured across 36's crown, 11.2 expected"
    into_view("xray-viewer")
    app.shot("52-xray-adjusted-measured")
    app.click("xray-reset")
    app.wait_until(lambda: canvas.get_attribute("data-window-width") == width)
    assert canvas.get_attribute("data-inverted") == "false"

    # A file cut in half (a copy that stopped halfway) is refused, and nothing is kept.
    app.click("xray-close")
    app.visible("xray-import-form")
    broken = home / "periapical-cut.dcm"
    whole = dicom.read_bytes()
    broken.write_bytes(whole[: len(whole) // 2])
    type_path("xray-path", broken)
    app.click("xray-import")
    refused = app.visible("xray-import-error", timeout=40)
    assert refused.get_attribute("data-kind") == "input.invalid", refused.text
    assert refused.text.strip(), "the refusal says why"
    assert len(css(d, '[data-testid^="xray-thumb-"]')) == 1, "no image kept from a damaged file"
    into_view("xray-import-form")
    app.shot("53-xray-import-refused")

    # A multi-frame series shows every frame: the slider moves to the third.
    type_path("xray-path", write_series(home / "series.dcm"))
    app.click("xray-import")
    app.wait_until(lambda: len(css(d, '[data-testid^="xray-thumb-"]')) == 2, timeout=40)
    series = [t for t in css(d, '[data-testid^="xray-thumb-"]') if suffix_of(t, "xray-thumb-") != xray_id][0]
    series.click()
    slider = app.visible("xray-frame")
    app.wait_until(lambda: slider.is_enabled())
    assert app.el("xray-frame-shown").text.replace(" ", "") in ("1of3", "1din3")
    d.execute_script(
        "arguments[0].value = 3; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
        slider,
    )
    app.wait_until(lambda: app.el("xray-frame").get_attribute("data-frame") == "2", timeout=20)
    assert "3" in app.el("xray-frame-shown").text
    app.click("xray-close")
    app.visible("xray-import-form")

    # 7. A treatment plan from the chart: a zirconia crown planned on 46, taken into a
    # plan, accepted by the patient (signed), printed for him; the crown done on the
    # chart shows as done in the plan.
    app.click("tab-chart")
    app.visible("chart-panel")
    polygon = app.visible("surface-46-occlusal")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", polygon)
    polygon.click()
    app.wait_until(lambda: app.el("tooth-46").get_attribute("aria-selected") == "true")
    Select(app.el("chart-kind")).select_by_value("procedure")
    Select(app.el("chart-state")).select_by_value("planned")
    Select(app.el("chart-procedure")).select_by_value("crown.zirconia")
    if app.el("chart-surface-occlusal").is_selected():
        app.click("chart-surface-occlusal")  # a crown covers the whole tooth
    app.click("chart-save")
    app.wait_until(lambda: len(css(d, '[data-testid="chart-entries"] [data-testid^="chart-done-"]')) == 1)
    crown_entry = suffix_of(css(d, '[data-testid="chart-entries"] [data-testid^="chart-done-"]')[0], "chart-done-")

    app.click("tab-plans")
    app.visible("plans-panel")
    alerts_shown("treatment plans")
    app.click("plan-new")
    app.visible("plan-editor")
    app.type("plan-title", "Reabilitare protetică 46")
    app.click("plan-from-chart-0")
    box = app.visible(f"plan-suggestion-{crown_entry}")
    if not box.is_selected():
        d.execute_script("arguments[0].click()", box)
    app.wait_until(lambda: app.visible(f"plan-suggestion-{crown_entry}").is_selected())
    app.shot("54-plan-suggestions")
    app.click("plan-add-suggestions")
    app.wait_until(lambda: len(css(d, '[data-testid="plan-item-row"]')) == 1)
    assert app.el("plan-editor-total-0").get_attribute("data-bani") == "180000", "the catalogue's fee, 1.800 lei"
    app.shot("55-plan-editor")
    app.click("plan-save")
    app.visible("plan-detail", timeout=30)
    assert app.el("plan-status").get_attribute("data-status") == "draft"
    assert app.el("plan-total-0").get_attribute("data-bani") == "180000"
    assert app.el("plan-item-state").get_attribute("data-state") == "planned"

    app.click("plan-decide")
    app.visible("plan-decision-dialog")
    app.click("plan-decision-option-0")
    by = app.el("plan-decision-by")
    if not by.get_attribute("value"):
        app.type("plan-decision-by", "Ștefan Vlăduțescu")
    Select(app.el("plan-decision-how")).select_by_value("signed_paper")
    app.click("plan-decision-save")
    app.wait_until(lambda: app.el("plan-status").get_attribute("data-status") == "accepted")
    assert app.el("plan-decision").get_attribute("data-option") == "0"
    assert not css(d, '[data-testid="plan-edit"]'), "an answered plan is not edited"

    pdf = home / "plan-tratament.pdf"
    app.save_in_dialog("plan-pdf-save", pdf)
    app.wait_until(lambda: pdf.exists() and pdf.stat().st_size > 0, timeout=30)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for needle in ["Plan de tratament", "Reabilitare protetică 46", "Coroană din zirconiu (dintele 46)", "1.800,00 lei", "Vlăduțescu"]:
        assert needle in flat, f"{needle!r} in the plan PDF: {flat[:600]}"
    into_view("plan-detail")
    app.shot("56-plan-accepted")

    # The crown is fitted: done on the chart, done in the plan.
    app.click("tab-chart")
    app.visible("chart-panel")
    polygon = app.visible("surface-46-occlusal")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", polygon)
    polygon.click()
    app.click(f"chart-done-{crown_entry}")
    app.absent(f"chart-entry-{crown_entry}")
    app.click("tab-plans")
    app.visible("plan-list")
    app.click(css(d, '[data-testid^="plan-row-"]')[0].get_attribute("data-testid"))
    app.wait_until(lambda: app.el("plan-item-state").get_attribute("data-state") == "done")
    into_view("plan-detail")
    app.shot("57-plan-done")
