"""The front desk's day in the real app: set-up, recovery-key PDF, staff,
privacy notice, login, an adult and a minor registered, search, consent
withdrawn, idle lock and unlock. One scenario: each step builds on the last."""

import os
import pathlib
import re
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

ADMIN_PW = "parola-admin-2026"
RECEP_PW = "parola-receptie-2026"


def test_front_desk_day(app):
    d = app.driver
    home = pathlib.Path(os.environ["HOME"])

    # 1. First run: the set-up wizard.
    app.type("setup-clinic-name", "Clinica Dentară Zâmbet Ștefănești")
    app.type("setup-admin-username", "admin")
    app.type("setup-admin-password", ADMIN_PW)
    app.type("setup-admin-password2", ADMIN_PW)
    app.shot("01-setup")
    app.click("setup-submit")
    key_el = app.visible("setup-recovery-key")
    key = key_el.get_attribute("data-recovery-key")
    assert key and len(key.split("-")) == 8, "the recovery key is shown once, in 8 groups"
    pdf = home / "cheie-recuperare.pdf"
    app.type("setup-pdf-path", str(pdf))
    app.click("setup-pdf-save")
    app.visible("setup-pdf-saved")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The sheet prints the key on two lines of four groups.
    assert key.replace("-", "") in re.sub(r"[\s-]", "", text), "the printable sheet carries the recovery key"
    assert "Ștefănești" in text, "diacritics survive in the PDF"
    app.shot("02-setup-recovery-key")
    app.click("setup-stored-confirm")
    app.click("setup-finish")

    # 2. The administrator adds a receptionist, sets a 1-minute idle lock, publishes a notice.
    app.visible("staff-screen")
    app.click("staff-add")
    app.type("staff-new-username", "ana")
    Select(app.el("staff-new-role")).select_by_value("receptionist")
    app.type("staff-new-password", RECEP_PW)
    app.type("staff-new-password2", RECEP_PW)
    app.click("staff-add-submit")
    app.wait_text("ana")
    app.shot("03-staff")
    app.click("nav-settings")
    idle = app.el("settings-idle")
    idle.clear()
    idle.send_keys("1")
    app.click("settings-save")
    app.click("notice-new")
    app.type("notice-version", "2026-11")
    app.type("notice-text-ro", "Clinica prelucrează datele dumneavoastră pentru îngrijirea stomatologică.")
    app.type("notice-text-en", "The clinic processes your data for your dental care.")
    app.click("notice-publish")
    app.click("confirm-ok")
    app.visible("notice-current")
    app.shot("04-settings")
    app.click("shell-logout")

    # 3. The receptionist logs in.
    app.type("login-username", "ana")
    app.type("login-password", "wrong-password-1")
    app.click("login-submit")
    app.visible("login-error")
    app.type("login-password", RECEP_PW)
    app.shot("05-login")
    app.click("login-submit")
    app.visible("patients-screen")

    # 4. An adult with a CNP and consents.
    app.click("patient-new")
    app.type("register-first-name", "Ștefan")
    app.type("register-last-name", "Vlăduțescu")
    app.type("register-cnp", "1800101221144")
    app.type("register-phone", "0721 234 567")
    app.type("register-email", "stefan.vladutescu@example.ro")
    for kind in ["terms_of_service", "privacy_notice", "health_data", "data_processing", "marketing"]:
        app.click(f"register-consent-{kind}")
    app.shot("06-register-adult")
    app.click("register-submit")
    app.visible("patient-card")
    app.wait_text("Vlăduțescu")
    app.shot("07-patient-card")

    # 5. A minor: refused without a guardian, accepted with one.
    app.click("patient-back")
    app.click("patient-new")
    app.type("register-first-name", "Ilinca")
    app.type("register-last-name", "Vlăduțescu")
    app.type("register-cnp", "6150304400025")
    app.visible("register-guardian-section")
    app.click("register-submit")
    app.visible("register-minor-problem")
    app.type("register-guardian-search", "vladu")
    app.click("register-guardian-search-result")
    app.type("register-guardian-relationship", "tată")
    app.click("register-consent-health_data")
    app.shot("08-register-minor")
    app.click("register-submit")
    app.visible("patient-card")
    app.wait_text("Ilinca")

    # 6. Search finds both without diacritics, by CNP and by phone.
    app.click("nav-patients")
    for query, expect in [("vladutescu", "Ilinca"), ("1800101221144", "Ștefan"), ("+40721234567", "Ștefan")]:
        search = app.el("patient-search")
        search.send_keys(Keys.CONTROL, "a")
        search.send_keys(query)
        app.wait_text(expect)
    app.shot("09-search")

    # 7. Withdraw marketing from the adult's card.
    app.click("patient-search-result")
    app.visible("patient-card")
    app.click("tab-consents")
    app.click("consent-withdraw-marketing")
    app.click("confirm-ok")
    app.wait_until(lambda: app.visible("consent-state-marketing").get_attribute("data-granted") == "false")
    app.shot("10-consents")

    # 8. The idle lock hides the patient; the password unlocks.
    app.visible("lock-screen", timeout=100)  # idle lock set to 1 minute above
    assert "Vlăduțescu" not in app.text(), "no patient data while locked"
    app.shot("11-locked")
    app.type("lock-password", RECEP_PW)
    app.click("lock-submit")
    app.visible("patient-card")
    app.wait_text("Vlăduțescu")
    app.shot("12-unlocked")
    time.sleep(0.2)
    assert d.find_element(By.CSS_SELECTOR, '[data-testid="patient-card"]').is_displayed()
