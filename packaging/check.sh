#!/usr/bin/env bash
# Check that Branchwise installs and runs like a user gets it, and that its
# desktop files are valid. For CI and before a release:
#
#   packaging/check.sh            wheel + clean venv + desktop files
#   packaging/check.sh desktop    only validate the desktop files
#   packaging/check.sh translations         the .ts catalogue lists every translatable string
#   packaging/check.sh update-translations  regenerate it (after changing user-visible text)
#
# 1. builds the wheel (`pip wheel . --no-deps`) into a temporary folder and
#    lists what it must hold (samples, schema, icons, desktop files);
# 2. installs it into a fresh virtual environment (no system site packages;
#    pip may reuse its cache) and, from there, runs `branchwise evaluate` on a
#    bundled sample and `branchwise --screenshot` offscreen;
# 3. validates the .desktop file (desktop-file-validate), the AppStream
#    metainfo (appstreamcli validate --no-net) and the MIME type
#    (update-mime-database). Missing tools are installed with apt-get when
#    run as root, else those checks are skipped with a message.
# Uses $PYTHON (default: the checkout's .venv/bin/python, else python3) to
# build the wheel and make the venv. Exits non-zero on the first failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
py="${PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
mode="${1:-all}"
app_id=io.branchwise.Branchwise
work="$(mktemp -d "${TMPDIR:-/tmp}/branchwise-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "check.sh: FAIL: $*" >&2; exit 1; }

ensure_tool() {  # ensure_tool COMMAND APT-PACKAGE: 0 if the command is there now
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $2 for $1"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1; } || true
  fi
  command -v "$1" >/dev/null 2>&1
}

check_desktop_files() {
  step "desktop files"
  if ensure_tool desktop-file-validate desktop-file-utils; then
    desktop-file-validate "resources/$app_id.desktop" || fail "desktop-file-validate"
    echo "ok: resources/$app_id.desktop"
  else
    echo "SKIP: desktop-file-validate not found (apt-get install desktop-file-utils)"
  fi
  if ensure_tool appstreamcli appstream; then
    appstreamcli validate --no-net "resources/$app_id.metainfo.xml" || fail "appstreamcli validate"
    echo "ok: resources/$app_id.metainfo.xml"
  else
    echo "SKIP: appstreamcli not found (apt-get install appstream)"
  fi
  if command -v update-mime-database >/dev/null 2>&1; then
    mkdir -p "$work/mime/packages"
    cp resources/branchwise-mime.xml "$work/mime/packages/"
    update-mime-database "$work/mime" 2>/dev/null || fail "update-mime-database rejects branchwise-mime.xml"
    grep -q '^[0-9]*:application/x-branchwise-plan:\*\.bwplan$' "$work/mime/globs2" \
      || fail "the MIME database does not map *.bwplan to application/x-branchwise-plan"
    echo "ok: resources/branchwise-mime.xml (*.bwplan -> application/x-branchwise-plan)"
  else
    echo "SKIP: update-mime-database not found (apt-get install shared-mime-info)"
  fi
  grep -q '^MimeType=application/x-branchwise-plan;$' "resources/$app_id.desktop" \
    || fail "the .desktop file does not claim application/x-branchwise-plan"
}

check_wheel() {
  step "wheel"
  local start=$SECONDS
  "$py" -m pip wheel . --no-deps -q -w "$work/wheel" >"$work/wheel.log" 2>&1 \
    || { cat "$work/wheel.log" >&2; fail "pip wheel"; }
  local wheel
  wheel="$(ls "$work"/wheel/branchwise-*.whl)"
  echo "built $(basename "$wheel") in $((SECONDS - start)) s"
  "$py" - "$wheel" <<'EOF' || fail "the wheel lacks resources"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["resources/plan.schema.json", "resources/samples/peace-process.bwplan",
        "resources/samples/product-launch.bwplan", "resources/icons/branchwise.svg",
        "resources/io.branchwise.Branchwise.desktop",
        "resources/io.branchwise.Branchwise.metainfo.xml", "resources/branchwise-mime.xml"]
need += [f"resources/icons/branchwise-{n}.png" for n in (16, 32, 48, 64, 128, 256)]
missing = [n for n in need if n not in names]
if missing:
    sys.exit("missing from the wheel: " + ", ".join(missing))
print(f"ok: the wheel holds all {len(need)} resource files")
EOF

  step "clean virtual environment"
  start=$SECONDS
  "$py" -m venv "$work/venv"  # no --system-site-packages: only what the wheel pulls in
  "$work/venv/bin/python" -m pip install -q "$wheel" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; fail "pip install of the wheel"; }
  echo "installed with its dependencies in $((SECONDS - start)) s"
  local bin="$work/venv/bin/branchwise"
  # Run from an empty folder so that nothing of the checkout can be imported.
  mkdir -p "$work/run" "$work/home"
  (
    cd "$work/run"
    export HOME="$work/home" BRANCHWISE_CONFIG_DIR="$work/home/config" \
      BRANCHWISE_STATE_DIR="$work/home/state" QT_QPA_PLATFORM=offscreen
    unset PYTHONPATH
    sample="$("$work/venv/bin/python" -c \
      'from importlib import resources; print(resources.files("resources.samples") / "product-launch.bwplan")')"
    case "$sample" in "$work"/venv/*) ;; *) fail "sample not from the venv: $sample" ;; esac
    "$bin" evaluate "$sample" --json >"$work/evaluate.json" || fail "branchwise evaluate"
    "$work/venv/bin/python" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["tracks"] and "ev" in d["tracks"][0]' \
      "$work/evaluate.json" || fail "branchwise evaluate --json output"
    echo "ok: branchwise evaluate $(basename "$sample")"
    "$bin" --screenshot "$work/shot.png" --size 1280x800 "$sample" 2>"$work/shot.log" \
      || { cat "$work/shot.log" >&2; fail "branchwise --screenshot"; }
    "$work/venv/bin/python" - "$work/shot.png" <<'EOF' || fail "the screenshot is not a 1280x800 PNG"
import struct, sys
data = open(sys.argv[1], "rb").read(32)
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1280, 800), (width, height)
EOF
    echo "ok: branchwise --screenshot wrote a 1280x800 PNG"
  )
}

# The catalogue resources/translations/branchwise_en.ts is what pyside6-lupdate
# finds in app/ and widgets/ (translate(), self.tr(), QT_TRANSLATE_NOOP), without
# line numbers, so that it changes only when a user-visible string does.
translation_sources() { find app widgets -name '*.py' | LC_ALL=C sort; }

lupdate_into() {  # lupdate_into FILE.ts: merge the strings of the sources into FILE.ts
  local lupdate
  lupdate="$(dirname "$py")/pyside6-lupdate"
  [ -x "$lupdate" ] || lupdate="$(command -v pyside6-lupdate || true)"
  [ -n "$lupdate" ] || fail "pyside6-lupdate not found (it comes with PySide6)"
  # shellcheck disable=SC2046
  "$lupdate" $(translation_sources) -locations none -no-obsolete -source-language en \
    -target-language en -ts "$1" >"$work/lupdate.log" 2>&1 || { cat "$work/lupdate.log" >&2; fail "pyside6-lupdate"; }
}

check_translations() {
  step "translations"
  local catalogue=resources/translations/branchwise_en.ts
  [ -f "$catalogue" ] || fail "$catalogue is missing: run packaging/check.sh update-translations"
  cp "$catalogue" "$work/current.ts"
  lupdate_into "$work/current.ts"
  if ! diff -u "$catalogue" "$work/current.ts" >"$work/translations.diff"; then
    head -40 "$work/translations.diff" >&2
    fail "$catalogue is not current: run packaging/check.sh update-translations and commit it"
  fi
  echo "ok: $catalogue lists all $(grep -c '<message' "$catalogue") translatable strings"
}

update_translations() {
  step "update translations"
  mkdir -p resources/translations
  lupdate_into resources/translations/branchwise_en.ts
  echo "wrote resources/translations/branchwise_en.ts ($(grep -c '<message' resources/translations/branchwise_en.ts) strings)"
}

case "$mode" in
  all) check_wheel; check_desktop_files; check_translations ;;
  translations) check_translations ;;
  update-translations) update_translations ;;
  wheel) check_wheel ;;
  desktop) check_desktop_files ;;
  *) echo "usage: packaging/check.sh [all | wheel | desktop | translations | update-translations]" >&2; exit 2 ;;
esac
step "all checks passed"
