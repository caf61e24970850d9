"""The front desk's day in the real app: set-up, recovery-key PDF, the administrator's
two-factor sign-in set up in the wizard, staff, privacy notice, login, the receptionist
remembered on the workstation with a PIN, an adult and a minor registered, search,
consent withdrawn, idle lock and unlock (only by the user who locked, with her PIN),
sign-in with the PIN (the administrator is never remembered), the administrator's
sign-ins with password and code (a recovery code once, refused the second time), an
account disabled from the CLI ending its open session, and the DPO held to enrolment
at her first sign-in, then signing in with password and code (a wrong one refused).
One scenario: each step builds on the last. The authenticator app is pyotp
(conftest.fresh_code); a code works once per account and 30-second step."""

import os
import pathlib
import re
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import wrong_code

ADMIN_PW = "parola-admin-2026"
RECEP_PW = "parola-receptie-2026"
# Set by the administrator (from the CLI) when re-enabling her account in step 12.
RECEP_PW2 = "parola-receptie-noua-2027"
RECEP_PIN = "482916"
DPO_PW = "parola-dpo-2026-irina"


def test_front_desk_day(app):
    def new_request(query, name, kind, identity):
        """A new GDPR request for the patient found by `query` (the row showing `name`)."""
        app.click("request-new")
        app.type("request-patient", query)
        results = '[data-testid="request-patient-result"]'
        app.wait_until(lambda: any(name in r.text for r in d.find_elements(By.CSS_SELECTOR, results)))
        next(r for r in d.find_elements(By.CSS_SELECTOR, results) if name in r.text).click()
        Select(app.el("request-kind")).select_by_value(kind)
        app.type("request-identity", identity)

    d = app.driver
    home = pathlib.Path(os.environ["HOME"])

    # 1. First run: the set-up wizard. Step 1, the clinic's particulars; a fiscal
    # code with a typing mistake is refused by its control digit before going on.
    app.type("setup-clinic-name", "Clinica Dentară Zâmbet Ștefănești")
    app.type("setup-clinic-address", "Str. Republicii 12, 400015 Cluj-Napoca, jud. Cluj")
    app.type("setup-clinic-fiscal-code", "RO14399841")
    app.type("setup-clinic-registry", "J12/3456/2015")
    app.type("setup-clinic-permit", "AS-CJ 1234/12.03.2015")
    app.type("setup-clinic-phone", "0264 555 010")
    app.type("setup-clinic-email", "contact@zambet.example")
    app.type("setup-clinic-dpo-name", "Irina Matei")
    app.type("setup-clinic-dpo-email", "dpo@zambet.example")
    app.click("setup-next")
    assert app.visible("setup-error").get_attribute("data-kind") == "input.invalid"
    app.type("setup-clinic-fiscal-code", "RO14399840")
    app.shot("01-setup-clinic")
    app.click("setup-next")
    # Step 2, the first administrator.
    app.type("setup-admin-username", "admin")
    app.type("setup-admin-password", ADMIN_PW)
    app.type("setup-admin-password2", ADMIN_PW)
    app.shot("02-setup-admin")
    app.click("setup-submit")
    # Step 3, the recovery key, saved as a printable PDF.
    key_el = app.visible("setup-recovery-key")
    key = key_el.get_attribute("data-recovery-key")
    assert key and len(key.split("-")) == 8, "the recovery key is shown once, in 8 groups"
    pdf = home / "cheie-recuperare.pdf"
    # Saved through the system's save dialog (GTK), the path typed into it.
    app.save_in_dialog("setup-pdf-save", pdf, shot="03a-native-save-dialog")
    app.visible("setup-pdf-saved", timeout=30)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The sheet prints the key on two lines of four groups.
    assert key.replace("-", "") in re.sub(r"[\s-]", "", text), "the printable sheet carries the recovery key"
    assert "Ștefănești" in text, "diacritics survive in the PDF"
    app.shot("03-setup-recovery-key")
    app.click("setup-stored-confirm")
    app.click("setup-recovery-done")
    assert key not in app.text(), "the key is gone from the screen once stored"
    # Step 4, the administrator's two-factor sign-in, which their new session must set
    # up before anything else: the authenticator app (pyotp here) takes the key shown
    # with the QR code, its first code turns it on, and ten recovery codes are shown
    # once. One is kept for a sign-in later.
    app.visible("setup-mfa")
    assert "4" in app.visible("setup-step").text
    secret = app.visible("mfa-secret").get_attribute("data-secret")
    assert secret and re.fullmatch(r"[A-Z2-7]{26,}", secret), secret
    assert re.sub(r"\s", "", app.el("mfa-secret").text) == secret, "the key, in groups of four"
    qr = app.visible("mfa-qr")
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    app.wait_until(lambda: d.execute_script("return arguments[0].naturalWidth", qr) > 0)
    app.shot("03b-setup-mfa")
    app.totp["admin"] = secret
    app.type("mfa-code", app.code("admin"))
    app.click("mfa-confirm")
    app.visible("mfa-recovery-codes")
    codes = [c.text.strip() for c in d.find_elements(By.CSS_SELECTOR, '[data-testid="mfa-recovery-code"]')]
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    assert all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", c) for c in codes), codes
    admin_recovery = codes[3]
    app.shot("03c-setup-recovery-codes")
    app.click("mfa-done")
    # Step 5, how staff sign in here: the administrator is never remembered by a
    # workstation (always the password and a code); other staff may be, with a PIN.
    app.visible("setup-signin-admin")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="mfa-secret"]'), "the key is gone once enrolled"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="setup-keyring-enrol"]'), "no keyring offer for admin"
    app.shot("04-setup-workstation")
    app.click("setup-open")

    # 2. The administrator adds a receptionist, sets a 1-minute idle lock, publishes a notice.
    app.visible("staff-screen")
    app.click("staff-add")
    app.type("staff-new-username", "ana")
    Select(app.el("staff-new-role")).select_by_value("receptionist")
    app.type("staff-new-password", RECEP_PW)
    app.type("staff-new-password2", RECEP_PW)
    app.click("staff-add-submit")
    app.wait_text("ana")
    app.click("staff-add")
    app.type("staff-new-username", "irina")
    Select(app.el("staff-new-role")).select_by_value("dpo")
    app.type("staff-new-password", DPO_PW)
    app.type("staff-new-password2", DPO_PW)
    app.click("staff-add-submit")
    app.wait_text("irina")
    # Who signs in with a second factor: the administrator now; the DPO, who must, not yet.
    app.wait_until(lambda: app.visible("staff-mfa-irina").get_attribute("data-on") == "false")
    assert app.visible("staff-mfa-admin").get_attribute("data-on") == "true"
    assert app.visible("staff-mfa-ana").get_attribute("data-on") == "false"
    app.shot("05-staff")
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
    # The particulars given at set-up, as stored (phone in E.164, DPO contact unsealed).
    assert app.el("settings-clinic-fiscal-code").get_attribute("value") == "RO14399840"
    assert app.el("settings-clinic-dpo-name").get_attribute("value") == "Irina Matei"
    assert app.el("settings-clinic-phone").get_attribute("value") == "+40264555010"
    # An administrator is never remembered on a workstation: no PIN to choose.
    app.visible("settings-keyring-never")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="settings-keyring"]'), "no enrolment for admin"
    app.shot("06-settings")
    app.click("shell-logout")

    # 3. The receptionist logs in, and has this workstation remember her with a PIN of
    # her own: two different PINs are held back, an easy one (a run) the core refuses.
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="login-keyring"]'), "nobody remembered yet"
    app.type("login-username", "ana")
    app.type("login-password", "wrong-password-1")
    app.click("login-submit")
    app.visible("login-error")
    app.type("login-password", RECEP_PW)
    app.shot("07-login")
    app.click("login-submit")
    app.visible("patients-screen")
    app.click("nav-settings")
    assert app.visible("settings-keyring").get_attribute("data-enrolled") == "false"
    app.type("settings-pin", RECEP_PIN)
    app.type("settings-pin2", "482961")
    app.click("settings-keyring-toggle")
    app.visible("settings-pin2-error")
    app.type("settings-pin", "123456")
    app.type("settings-pin2", "123456")
    app.click("settings-keyring-toggle")
    assert app.visible("settings-keyring-error").get_attribute("data-kind") == "input.invalid"
    app.type("settings-pin", RECEP_PIN)
    app.type("settings-pin2", RECEP_PIN)
    app.click("settings-keyring-toggle")
    app.wait_until(lambda: app.visible("settings-keyring").get_attribute("data-enrolled") == "true")
    app.shot("07b-settings-pin")
    app.click("nav-patients")
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
    app.shot("08-register-adult")
    app.click("register-submit")
    app.visible("patient-card")
    app.wait_text("Vlăduțescu")
    app.shot("09-patient-card")

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
    app.shot("10-register-minor")
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
    app.shot("11-search")

    # 7. Withdraw marketing from the adult's card.
    app.click("patient-search-result")
    app.visible("patient-card")
    app.click("tab-consents")
    app.click("consent-withdraw-marketing")
    app.click("confirm-ok")
    app.wait_until(lambda: app.visible("consent-state-marketing").get_attribute("data-granted") == "false")
    app.shot("12-consents")

    # 8. The idle lock hides the patient. Only the receptionist, who was signed in, can
    # unlock: the administrator's password is refused there; her own PIN unlocks.
    app.visible("lock-screen", timeout=100)  # idle lock set to 1 minute above
    assert "Vlăduțescu" not in app.text(), "no patient data while locked"
    app.wait_until(lambda: app.visible("lock-who").get_attribute("data-user") == "ana")
    app.shot("13-locked")
    app.type("lock-password", ADMIN_PW)
    app.click("lock-submit")
    assert app.visible("lock-error").get_attribute("data-kind") == "auth.invalid_credentials"
    app.visible("lock-screen")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="patient-card"]'), "still locked"
    assert "Vlăduțescu" not in app.text(), "no patient data after a refused unlock"
    app.click("lock-use-pin")
    app.type("lock-pin", RECEP_PIN)
    app.click("lock-submit")
    app.visible("patient-card")
    app.wait_text("Vlăduțescu")
    app.shot("14-unlocked")
    time.sleep(0.2)
    assert d.find_element(By.CSS_SELECTOR, '[data-testid="patient-card"]').is_displayed()

    # 9. Switching user: this workstation remembers the receptionist, never the
    # administrator, who signs in with the password and then, asked for the second
    # factor, the recovery code kept at set-up (standing in for the phone), and sets the
    # idle lock back to the default 5 minutes.
    app.click("shell-logout")
    app.visible("login-keyring-ana")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="login-keyring-admin"]'), "admin is never remembered"
    app.shot("15-login-keyring")
    app.type("login-username", "admin")
    app.type("login-password", ADMIN_PW)
    app.click("login-submit")
    app.visible("login-code")
    app.visible("login-code-prompt")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="login-error"]'), "asking for the code is no failure"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="staff-screen"]'), "the password alone is not enough"
    app.shot("15b-login-code")
    app.type("login-code", admin_recovery)
    app.click("login-submit")
    app.visible("staff-screen")
    assert "Vlăduțescu" not in app.text(), "the receptionist's patient is not left on screen"
    app.click("nav-settings")
    idle = app.el("settings-idle")
    idle.clear()
    idle.send_keys("5")
    app.click("settings-save")
    app.wait_until(lambda: app.el("settings-idle").get_attribute("value") == "5")
    # A new privacy-notice version; the earlier one stays readable word for word.
    app.click("notice-new")
    app.type("notice-version", "2027-01")
    app.type("notice-text-ro", "Versiunea nouă a notei de informare.")
    app.type("notice-text-en", "The new version of the privacy notice.")
    app.click("notice-publish")
    app.click("confirm-ok")
    app.wait_until(lambda: "2027-01" in app.visible("notice-current").text)
    Select(app.el("notice-version-pick")).select_by_value("2026-11")
    app.wait_text("Clinica prelucrează datele dumneavoastră pentru îngrijirea stomatologică.")

    # 10. The main screens again on a 1920x1080 monitor.
    d.set_window_rect(x=0, y=0, width=1920, height=1080)
    app.wait_until(lambda: d.execute_script("return window.innerWidth") >= 1900)
    app.visible("settings-profile")
    app.shot("16-settings-1920")
    app.click("nav-staff")
    app.visible("staff-screen")
    app.shot("17-staff-1920")
    # Settings says two-factor sign-in is on, one recovery code used.
    app.click("nav-settings")
    app.wait_until(lambda: app.visible("settings-mfa").get_attribute("data-enrolled") == "true")
    assert app.visible("settings-mfa-codes-left").get_attribute("data-left") == "9"
    # A recovery code works once: signing in with it again is refused (a failure that
    # counts towards the lockout, until the right code signs the administrator in).
    app.click("shell-logout")
    app.type("login-username", "admin")
    app.type("login-password", ADMIN_PW)
    app.click("login-submit")
    app.type("login-code", admin_recovery)
    app.click("login-submit")
    assert app.visible("login-error").get_attribute("data-kind") == "auth.invalid_code"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="staff-screen"]'), "a used recovery code signs nobody in"
    assert app.el("login-code").get_attribute("value") == "", "the code field is emptied after a refusal"
    app.type("login-code", app.code("admin"))
    app.click("login-submit")
    app.visible("staff-screen")
    # The receptionist signs in as remembered here: her PIN, not the password; a
    # wrong PIN is refused.
    app.click("shell-logout")
    app.click("login-keyring-ana")
    app.type("login-pin", "482917")
    app.click("login-pin-submit")
    assert app.visible("login-pin-error").get_attribute("data-kind") == "auth.invalid_credentials"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="patients-screen"]'), "a wrong PIN signs nobody in"
    app.type("login-pin", RECEP_PIN)
    app.click("login-pin-submit")
    app.visible("patients-screen")
    app.type("patient-search", "vladutescu")
    app.wait_text("Ilinca")
    app.shot("18-search-1920")
    rows = d.find_elements(By.CSS_SELECTOR, '[data-testid="patient-search-result"]')
    row = next(r for r in rows if "Ilinca" in r.text)
    row.click()
    app.visible("patient-card")
    app.click("tab-guardians")
    assert "Vlăduțescu Ștefan" in app.visible("guardians-list").text, "the child's card names the parent"
    app.shot("19-patient-guardians-1920")

    # 11. The DPO's first sign-in: her account must set up two-factor sign-in before
    # anything else, so the enrolment screen stands instead of the app (no navigation,
    # nothing of the patients) until she has; a wrong first code is refused and the same
    # key stays for another try. Then she logs an access request, extends its deadline
    # with a reason, saves the letter telling the patient (read back with pdftotext),
    # and restricts the record.
    app.click("shell-logout")
    app.type("login-username", "irina")
    app.type("login-password", DPO_PW)
    app.click("login-submit")
    app.visible("mfa-screen")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid^="nav-"]'), "nothing but the enrolment is reachable"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="shell-user"]'), "no shell"
    assert "Vlăduțescu" not in app.text()
    app.visible("mfa-signout")
    dpo_secret = app.visible("mfa-secret").get_attribute("data-secret")
    assert dpo_secret and dpo_secret != app.totp["admin"], "a key of her own"
    app.shot("20a-dpo-mfa-required")
    app.type("mfa-code", wrong_code(dpo_secret))
    app.click("mfa-confirm")
    assert app.visible("mfa-error").get_attribute("data-kind") == "auth.invalid_code"
    assert app.el("mfa-secret").get_attribute("data-secret") == dpo_secret, "the same key, for another try"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid^="nav-"]'), "still only the enrolment"
    app.totp["irina"] = dpo_secret
    app.type("mfa-code", app.code("irina"))
    app.click("mfa-confirm")
    app.visible("mfa-recovery-codes")
    assert len(d.find_elements(By.CSS_SELECTOR, '[data-testid="mfa-recovery-code"]')) == 10
    app.click("mfa-done")
    app.click("nav-requests")
    app.visible("requests-screen")
    new_request("vladutescu stefan", "Ștefan", "access", "Carte de identitate prezentată la recepție")
    app.shot("20-request-new")
    app.click("request-submit")
    app.visible("request-detail")
    app.click("request-extend")
    Select(app.el("request-extend-months")).select_by_value("2")
    app.type("request-extend-reason", "dosarul cuprinde radiografii din arhiva veche")
    app.click("request-extend-submit")
    app.visible("request-letter-save")
    letter = home / "scrisoare-prelungire.pdf"
    app.save_in_dialog("request-letter-save", letter)
    app.visible("request-letter-saved", timeout=30)
    text = subprocess.run(["pdftotext", "-raw", str(letter), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Ștefan Vlăduțescu" in flat and "dosarul cuprinde radiografii din arhiva veche" in flat
    assert "Clinica Dentară Zâmbet Ștefănești" in flat and "ANSPDCP" in flat
    app.shot("21-request-extended")
    app.click("request-open-patient")
    app.visible("patient-card")
    Select(app.el("patient-restriction")).select_by_value("restricted")
    app.click("patient-restriction-apply")
    app.click("confirm-ok")
    assert app.visible("patient-restriction-banner").get_attribute("data-restriction") == "restricted"
    app.shot("22-patient-restricted")

    # 12. The receptionist sees the banner and no edit button on the restricted record.
    app.click("shell-logout")
    app.type("login-username", "ana")
    app.type("login-password", RECEP_PW)
    app.click("login-submit")
    app.type("patient-search", "1800101221144")
    app.click("patient-search-result")
    app.visible("patient-restriction-banner")
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="patient-edit"]'), "no editing while restricted"
    app.shot("23-restricted-for-reception")

    # While she is signed in, the administrator disables her account from the CLI: her
    # next action in the app ends her session, and the login screen says why. Re-enabled
    # with a new password (the administrator's own confirming it), she signs in with it.
    # Each run signs the administrator in: password and a fresh code of their own (a step
    # already used waits for the next one).
    def cli(*args, **env):
        return subprocess.run(
            [os.environ["CUSPID_CLI_BIN"], "--user", "admin", *args],
            env=dict(os.environ, CUSPID_PASSWORD=ADMIN_PW, CUSPID_TOTP=app.code("admin"), **env),
            stdin=subprocess.DEVNULL,
            check=True,
        )

    cli("staff", "disable", "ana")
    app.click("nav-patients")
    app.type("patient-search", "vladutescu")
    app.visible("login-form")
    ended = app.visible("login-ended")
    assert ended.get_attribute("data-kind") == "auth.disabled", ended.get_attribute("data-kind")
    assert "dezactivat" in ended.text or "disabled" in ended.text, ended.text
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid="patients-screen"]'), "nothing of hers left"
    app.shot("23b-disabled-session-ended")
    cli("staff", "passwd", "ana", CUSPID_NEW_PASSWORD=RECEP_PW2)
    app.type("login-username", "ana")
    app.type("login-password", RECEP_PW)
    app.click("login-submit")
    app.visible("login-error")
    app.type("login-password", RECEP_PW2)
    app.click("login-submit")
    app.visible("patients-screen")

    # 13. The DPO answers the access request with an encrypted export and its Art. 15
    # letter, erases the child's record on an erasure request (preview, typed
    # confirmation, report, Art. 17 letter), edits the Article 30 register and prints
    # it, records a breach and finds whom it touched from the audit log, writes the
    # notice to the authority and the letters, verifies the audit chain and exports
    # the receptionist's events, and checks the retention job.
    def pdf_text(path):
        out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
        return " ".join(out.stdout.split())

    # She signs in with her password and a code from her app: a wrong code first is
    # refused, the field emptied, the password kept for the right one.
    app.click("shell-logout")
    app.type("login-username", "irina")
    app.type("login-password", DPO_PW)
    app.click("login-submit")
    app.type("login-code", wrong_code(app.totp["irina"]))
    app.click("login-submit")
    assert app.visible("login-error").get_attribute("data-kind") == "auth.invalid_code"
    assert not d.find_elements(By.CSS_SELECTOR, '[data-testid^="nav-"]'), "a wrong code signs nobody in"
    app.shot("23c-dpo-wrong-code")
    app.type("login-code", app.code("irina"))
    app.click("login-submit")
    app.click("nav-requests")
    app.click("request-open")
    app.visible("export-section")
    # The folder is the home folder unless another is chosen in the system's folder
    # dialog: opened here, photographed, and cancelled, which changes nothing.
    app.save_in_dialog("export-dir", home, folder=True, shot="23d-native-folder-dialog", cancel=True)
    assert app.el("export-dir-shown").text.strip() == "~"
    app.click("export-encrypt")
    app.type("export-passphrase", "cal-verde-pe-perete-42")
    app.type("export-passphrase-again", "cal-verde-pe-perete-42")
    app.click("export-run")
    data_path = app.visible("export-data-path", timeout=40).text.strip()
    letter_path = app.visible("export-letter-path").text.strip()
    assert data_path.endswith(".zip.age") and pathlib.Path(data_path).is_file(), data_path
    letter = pdf_text(letter_path)
    for element in ["art. 15 GDPR", "Ștefan Vlăduțescu", "Scopul", "Temeiul legal", "ANSPDCP", "Copia este criptată"]:
        assert element in letter, element
    app.shot("24-access-export")
    app.click("request-detail-close")

    new_request("vladutescu ilinca", "Ilinca", "erasure", "Certificat de naștere și buletinul tatălui")
    app.click("request-submit")
    app.visible("erasure-section")
    app.click("erasure-preview")
    assert app.visible("erasure-plan-patients").get_attribute("data-fate") == "erase"
    assert app.visible("erasure-plan-requests").get_attribute("data-fate") == "keep"
    app.shot("25-erasure-preview")
    app.type("erasure-confirm-input", app.visible("erasure-confirm-word").text.strip())
    app.click("erasure-run")
    assert app.visible("erasure-report-patient", timeout=40).get_attribute("data-erased") == "1"
    erasure_letter = home / "raspuns-stergere.pdf"
    app.save_in_dialog("erasure-letter-save", erasure_letter)
    app.visible("erasure-letter-saved", timeout=30)
    text = pdf_text(erasure_letter)
    assert "Ce am șters" in text and "Ilinca" in text and "copii de siguranță proprii" in text, text
    app.shot("26-erasure-report")
    app.click("request-detail-close")

    app.click("nav-register")
    app.click("activity-edit-A01")
    recipients = app.visible("activity-recipients")
    recipients.send_keys(Keys.CONTROL, "a")
    recipients.send_keys("Casa de Asigurări de Sănătate Cluj; laboratorul de tehnică dentară Dentalab SRL")
    app.click("activity-save")
    app.wait_until(lambda: "Dentalab SRL" in app.visible("activity-recipients-A01").text)
    register_pdf = home / "registru-art30.pdf"
    app.save_in_dialog("register-pdf-save", register_pdf)
    app.visible("register-pdf-saved", timeout=30)
    assert "Dentalab SRL" in pdf_text(register_pdf)
    app.shot("27-article30-register")

    app.click("nav-breaches")
    app.click("breach-new")
    app.click("breach-nature-confidentiality")
    app.type("breach-description", "Laptopul recepției a fost lăsat deblocat în sala de așteptare.")
    app.type("breach-categories", "date de identificare și de contact ale pacienților")
    app.type("breach-consequences", "Un străin ar fi putut vedea numele și telefoanele pacienților.")
    app.type("breach-measures-taken", "Blocarea ecranului a fost redusă la un minut; parola schimbată.")
    app.type("breach-measures-proposed", "Instruirea personalului recepției.")
    app.click("breach-risk-high")
    app.click("breach-save")
    app.visible("breach-detail")
    Select(app.el("affected-scope")).select_by_value("staff")
    app.type("affected-username", "ana")
    app.click("affected-find")
    app.wait_until(lambda: re.search(r"[1-9]", app.visible("affected-count").text))
    assert "Vlăduțescu" in app.visible("affected-list").text
    app.shot("28-breach-affected")
    notice = home / "notificare-anspdcp.pdf"
    app.save_in_dialog("authority-save", notice)
    app.visible("authority-saved", timeout=30)
    text = pdf_text(notice)
    assert "a) Natura încălcării" in text and "Irina" in text and "lăsat deblocat" in text, text
    app.click("subjects-save")  # into the home folder, the default
    merged = app.visible("subjects-saved", timeout=40).get_attribute("data-path")
    assert merged.endswith("all-letters.pdf"), merged
    assert "Ce s-a întâmplat" in pdf_text(merged)
    app.shot("29-breach-notified")
    app.click("breach-detail-close")

    app.click("nav-audit")
    app.type("audit-staff", "ana")
    app.click("audit-apply")
    app.wait_until(lambda: len(d.find_elements(By.CSS_SELECTOR, '[data-testid^="audit-row-"]')) > 3)
    app.click("audit-verify")
    app.visible("audit-verify-ok", timeout=40)
    csv_file = home / "jurnal-ana.csv"
    app.save_in_dialog("audit-csv-save", csv_file)
    app.visible("audit-csv-saved", timeout=30)
    assert "patient.register" in csv_file.read_text(encoding="utf-8")
    app.shot("30-audit-log")

    app.click("nav-settings")
    app.click("retention-check")
    app.wait_until(lambda: d.find_elements(By.CSS_SELECTOR, '[data-testid="retention-nothing"], [data-testid="retention-due"]'))
    app.shot("31-retention-check")

    # 14. A rectification request: the DPO corrects the e-mail from the request itself
    # (no reason asked: the request is the reason), and the request lists the edit with
    # the value before and after.
    app.click("nav-requests")
    new_request("vladutescu stefan", "Ștefan", "rectification", "Buletin verificat la ghișeu")
    app.click("request-submit")
    app.click("rectify-open")
    app.visible("patient-edit-request-note")
    app.type("edit-email", "stefan.v@exemplu.ro")
    app.click("edit-submit")
    app.wait_until(lambda: "stefan.v@exemplu.ro" in app.visible("rectify-row-email").text)
    app.shot("32-rectification")
