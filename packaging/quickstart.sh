#!/usr/bin/env bash
# Set up a .venv inside the checkout, then either open the app on the sample
# plan (`app`, the default) or run the whole test suite offscreen (`test`).
# One line per step; pip's output goes to .venv/pip.log and is shown only
# when pip fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-app}"
case "$mode" in
  app|test) ;;
  *)
    echo "usage: packaging/quickstart.sh [app [FILE] | test [PYTEST ARGS]]" >&2
    exit 2
    ;;
esac

step() { printf '[%s] %s\n' "$1" "$2"; }

# Qt's runtime libraries on a bare Debian/Ubuntu machine (Debian 12 names),
# with the xcb libraries Qt 6 needs under X11 (without them Qt stops with
# "could not load the Qt platform plugin xcb").
libs=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
      libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-shape0 libxcb-randr0 libxcb-render-util0
      libxcb-image0 libxcb-xinerama0)
# The tests render PDF pages and SVG files to check what they show.
if [ "$mode" = test ]; then
  libs+=(poppler-utils librsvg2-bin)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${libs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    step 1/3 "System libraries: all present"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step 1/3 "System libraries: installing ${missing[*]}"
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
        >/tmp/branchwise-apt.log 2>&1; then
      echo "warning: apt-get could not install them (see /tmp/branchwise-apt.log):" >&2
      tail -n 5 /tmp/branchwise-apt.log >&2
    fi
  else
    step 1/3 "System libraries: missing ${missing[*]}"
    echo "  Qt needs them; install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
  fi
else
  step 1/3 "System libraries: not a Debian/Ubuntu system, not checked (see README, Quick start)"
fi

py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  step 2/3 "Python environment: creating .venv with $("$py" --version 2>&1)"
  "$py" -m venv .venv
else
  step 2/3 "Python environment: .venv exists"
fi
stamp=.venv/.branchwise-installed
log=.venv/pip.log
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  step 3/3 "Installing Branchwise and its dependencies into .venv (pip, log in $log)"
  .venv/bin/python -m pip install --upgrade pip >"$log" 2>&1 || true
  if ! .venv/bin/python -m pip install -e ".[test]" >>"$log" 2>&1; then
    echo "error: pip could not install Branchwise; the end of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  touch "$stamp"
else
  step 3/3 "Branchwise is installed in .venv"
fi

case "$mode" in
  app)
    shift || true
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
      cat >&2 <<'EOF'
branchwise: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).
  Run this from a desktop session, or over `ssh -X` with an X server on your side.
  Without a display, the set-up is done and the command line works:
    .venv/bin/branchwise evaluate resources/samples/peace-process.bwplan
    .venv/bin/branchwise --screenshot window.png resources/samples/peace-process.bwplan
  or run the tests: bash packaging/quickstart.sh test
EOF
      exit 2
    fi
    echo "Opening ${1:-resources/samples/peace-process.bwplan}"
    exec .venv/bin/branchwise "${@:-resources/samples/peace-process.bwplan}"
    ;;
  test)
    shift || true
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
    ;;
esac
