#!/usr/bin/env bash
# The README's "main job": builds the `cuspid` CLI, sets up a demo clinic in
# ./demo-data with a guided `cuspid init`, then runs a short tour of the patient
# registry and the audit log. Run from anywhere, as root on Debian 12.
#
#   bash scripts/demo.sh           refuses if ./demo-data already exists
#   bash scripts/demo.sh --fresh   deletes ./demo-data first
#
# The administrator password: on a terminal `cuspid init` asks for it (and the
# two admin steps ask again); without a terminal (CI, a pipe) the demo uses
# `demo-admin-2026` and says so; CUSPID_PASSWORD, when set, is used as given.
# CARGO_TARGET_DIR defaults to ~/.cache/cuspid-target (as in scripts/test.sh).
# CUSPID_BIN=/path/to/cuspid skips set-up and build and runs that binary instead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEMO="$ROOT/demo-data"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

fresh=
for arg in "$@"; do
  case $arg in
    --fresh) fresh=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'demo: unknown option %s (the only one is --fresh)\n' "$arg" >&2; exit 2 ;;
  esac
done

# Checked before the build, so a refusal costs nothing.
if [ -e "$DEMO" ] && [ -z "$fresh" ]; then
  die "./demo-data already exists (a demo clinic from an earlier run). Keep it and use it, or run
      'bash scripts/demo.sh --fresh' to delete it and start over."
fi

# ---- build ------------------------------------------------------------------
if [ -n "${CUSPID_BIN:-}" ]; then
  BIN=$CUSPID_BIN
  [ -x "$BIN" ] || die "CUSPID_BIN=$BIN is not an executable"
  say "Using the prebuilt CLI $BIN (CUSPID_BIN set: no set-up, no build)"
else
  say "Installing what the build needs (scripts/setup-debian.sh)"
  bash scripts/setup-debian.sh
  if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cuspid-target}"
  say "Building the cuspid CLI (cargo build --release -p cuspid-cli --bin cuspid, target dir $CARGO_TARGET_DIR)"
  cargo build --release -p cuspid-cli --bin cuspid
  BIN="$CARGO_TARGET_DIR/release/cuspid"
fi

# ---- the demo clinic --------------------------------------------------------
# Only what this script sets may steer the CLI: a stray database URL or user
# from the caller's shell would send the demo somewhere else.
unset CUSPID_DATABASE_URL CUSPID_DATA_DIR CUSPID_STATE_DIR CUSPID_USER CUSPID_WORKSTATION \
  CUSPID_NEW_PASSWORD CUSPID_RECOVERY_KEY
export CUSPID_DATA_DIR="$DEMO/clinic"        # cuspid.sqlite lives here
export CUSPID_STATE_DIR="$DEMO/workstation"  # this workstation's audit checkpoint

if [ -n "${CUSPID_PASSWORD:-}" ]; then
  admin_pw=$CUSPID_PASSWORD
  pw_note="the administrator password from CUSPID_PASSWORD"
elif [ -t 0 ]; then
  admin_pw=
  pw_note="you choose the administrator password (at least 10 characters) when asked"
else
  admin_pw=demo-admin-2026
  pw_note="no terminal, so the administrator password is the demo one: $admin_pw"
fi
unset CUSPID_PASSWORD

RECEPTION_PW=demo-reception-2026
DPO_PW=demo-dpo-2026

# Administrators and the DPO sign in with a second factor (TOTP). The demo plays their
# phones: it makes each one's authenticator secret and computes its first code with
# Python's standard library (RFC 6238), then signs them in with the one-time recovery
# codes enrolment prints, kept in ./demo-data (a real clinic keeps them on paper).
totp_now() {
  python3 -c 'import base64,hmac,struct,sys,time
k = base64.b32decode(sys.argv[1]); h = hmac.digest(k, struct.pack(">Q", int(time.time()) // 30), "sha1")
o = h[19] & 15; print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1"
}
new_secret() { python3 -c 'import base64,os; print(base64.b32encode(os.urandom(20)).decode())'; }
# Pops one unused recovery code of user $1.
next_code() {
  local file="$DEMO/$1-recovery-codes.txt" code
  code=$(head -n 1 "$file") && sed -i 1d "$file" && echo "$code"
}
# Enrols user $1 (password $2): the codes go to ./demo-data/$1-recovery-codes.txt.
enrol() {
  local secret
  secret=$(new_secret)
  CUSPID_PASSWORD=$2 CUSPID_TOTP_SECRET=$secret CUSPID_TOTP_NEW=$(totp_now "$secret") \
    "$BIN" --json --user "$1" --workstation it-office mfa enroll |
    python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["codes"]))' >"$DEMO/$1-recovery-codes.txt"
  echo "$1 enrolled in two-factor sign-in (10 recovery codes in demo-data/$1-recovery-codes.txt)"
}

# The administrator: the password from above, or the CLI's own prompt.
as_admin() {
  if [ -n "$admin_pw" ]; then
    CUSPID_PASSWORD=$admin_pw CUSPID_TOTP=$(next_code admin) "$BIN" --user admin --workstation it-office "$@"
  else
    CUSPID_TOTP=$(next_code admin) "$BIN" --user admin --workstation it-office "$@"
  fi
}
as_reception() { CUSPID_PASSWORD=$RECEPTION_PW "$BIN" --user reception --workstation front-desk "$@"; }
as_dpo() { CUSPID_PASSWORD=$DPO_PW CUSPID_TOTP=$(next_code dpo) "$BIN" --user dpo --workstation dpo-office "$@"; }

if [ -n "$fresh" ] && [ -e "$DEMO" ]; then
  say "Deleting the old ./demo-data (--fresh)"
  rm -rf "$DEMO"
fi
mkdir -p "$DEMO"

say "Setting up the clinic in ./demo-data with cuspid init ($pw_note)"
init=("$BIN" --workstation it-office init --clinic-name "Clinica Dentară Zâmbet" \
  --address "Str. Republicii 12, 400015 Cluj-Napoca, jud. Cluj" --fiscal-code RO14399840 \
  --registry-number J12/3456/2015 --dpo-name "Irina Matei" --dpo-email dpo@zambet.example \
  --admin-user admin)
if [ -n "$admin_pw" ]; then
  CUSPID_PASSWORD=$admin_pw "${init[@]}" || { rm -rf "$DEMO"; die "init failed; ./demo-data removed, nothing kept"; }
else
  "${init[@]}" || { rm -rf "$DEMO"; die "init failed (the two passwords must match and have at least 10 characters); ./demo-data removed: run again"; }
fi
echo "(A real clinic prints the recovery key above and locks it away; the demo does not need it.)"

if [ -z "$admin_pw" ]; then
  echo "(The next steps act as the administrator: type the password you just chose.)"
  read -r -s -p "Administrator password, once more for the two-factor enrolment: " admin_pw
  echo
fi
say "Enrolling the administrator in two-factor sign-in (mandatory for administrators and the DPO)"
enrol admin "$admin_pw"

say "Adding a receptionist, 'reception' (first password from CUSPID_NEW_PASSWORD)"
CUSPID_NEW_PASSWORD=$RECEPTION_PW as_admin staff add --username reception --role receptionist

say "Adding the data protection officer, 'dpo'"
CUSPID_NEW_PASSWORD=$DPO_PW as_admin staff add --username dpo --role dpo
enrol dpo "$DPO_PW"

# Prints the new patient's id (the last word of "registered patient ID").
register() {
  local out
  out=$(as_reception patient add "$@") || exit 1
  echo "$out" >&2
  echo "${out##* }"
}

say "Registering Andrei Popescu (CNP given: birth date and sex are read from it)"
andrei=$(register --first-name Andrei --last-name Popescu --cnp 1750614401233 \
  --phone "0722 123 456" --email andrei.popescu@example.ro --address "Strada Lipscani 10, București")

say "Registering Maria Ștefănescu (with an emergency contact)"
maria=$(register --first-name Maria --last-name "Ștefănescu" --cnp 2881123120451 \
  --phone "0745 987 654" --email Maria.Stefanescu@Example.ro \
  --address "Strada Memorandumului 21, Cluj-Napoca" --emergency-contact "Ion Ștefănescu, 0745 111 222")

say "Registering Radu Țurcanu (born 2003: CNP starting with 5)"
register --first-name Radu --last-name "Țurcanu" --cnp 5030209220317 \
  --phone "+40 731 555 010" --address "Bulevardul Carol I 5, Iași" >/dev/null

say "Registering Sophie Laurent, a tourist without a CNP (birth date and sex typed)"
register --first-name Sophie --last-name Laurent --birth-date 1990-04-12 --sex f \
  --phone "+33 6 12 34 56 78" --email sophie.laurent@example.fr --address "12 rue des Lilas, Lyon" >/dev/null

say "Finding 'stefanescu' by name, typed without diacritics"
as_reception patient find --name stefanescu

say "Finding by phone +40722123456 (registered as 0722 123 456)"
as_reception patient find --phone +40722123456

say "Opening Andrei Popescu's record (a read of personal data: audited)"
as_reception patient show "$andrei"

say "Updating Andrei Popescu's phone, with the reason kept in the rectification trail"
as_reception patient update "$andrei" --phone "0733 444 555" --reason "new phone number given at the front desk"

say "The receptionist asks for the rectification trail: refused (exit 3) and audited"
if as_reception patient history "$andrei"; then
  die "a receptionist read the rectification trail; the permission table says no"
fi

say "Reading the rectification trail as the DPO"
as_dpo patient history "$andrei"

say "Verifying the audit log's hash chain as the DPO"
as_dpo audit verify

say "The last 12 audit events (names never appear: patients are ids)"
as_dpo audit list | tail -n 12

say "Counting a few of the patients' names, a CNP, a phone and an e-mail in the database files (want 0)"
leaks=0
for needle in Popescu "Ștefănescu" Stefanescu "Țurcanu" Laurent 1750614401233 722123456 maria.stefanescu; do
  counts=
  while IFS= read -r hit; do
    counts+="${hit##*/}  "
    case $hit in *:0) ;; *) leaks=1 ;; esac
  done < <(grep -H -c -a -F -- "$needle" "$DEMO"/clinic/* || true)
  printf '  %s<- grep -c %s\n' "$counts" "'$needle'"
done
[ "$leaks" -eq 0 ] || die "personal data was found in clear in ./demo-data/clinic"

say "Done. The demo clinic stays in ./demo-data; try, for example:"
cat <<EOF
  export CUSPID_DATA_DIR=$DEMO/clinic CUSPID_STATE_DIR=$DEMO/workstation
  CUSPID_PASSWORD=$DPO_PW $BIN --user dpo patient find --name pop
  CUSPID_PASSWORD=$DPO_PW $BIN --user dpo --json audit list --patient $maria
  $BIN --help
EOF
