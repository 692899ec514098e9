#!/usr/bin/env bash
# Set up a .venv inside the checkout, then either open the app on the sample
# plan (`app`, the default) or run the whole test suite offscreen (`test`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-app}"

# Qt's runtime libraries on a bare Debian/Ubuntu machine (Debian 12 names).
libs=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${libs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing Qt runtime libraries: ${missing[*]}"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null \
        || echo "warning: apt-get could not install ${missing[*]}" >&2
    else
      echo "Qt needs these system libraries; install them with:" >&2
      echo "  sudo apt-get install ${missing[*]}" >&2
    fi
  fi
fi

py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=.venv/.branchwise-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi

case "$mode" in
  app)
    shift || true
    exec .venv/bin/branchwise "${@:-resources/samples/peace-process.bwplan}"
    ;;
  test)
    shift || true
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: packaging/quickstart.sh [app [FILE] | test [PYTEST ARGS]]" >&2
    exit 2
    ;;
esac
