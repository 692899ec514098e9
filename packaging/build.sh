#!/usr/bin/env bash
# Build Branchwise as a desktop program (PyInstaller one-folder bundle).
#
#   packaging/build.sh [bundle]   build dist/branchwise/ and dist/branchwise-VERSION-linux-ARCH.tar.gz,
#                                 then start the built program offscreen with --screenshot
#   packaging/build.sh icons      re-render resources/icons/branchwise-N.png from branchwise.svg
#   packaging/build.sh install [PREFIX]
#                                 install the built bundle for this user (PREFIX default ~/.local):
#                                 program, menu entry, icons and the *.bwplan file type
#
# Uses $PYTHON (default: the checkout's .venv/bin/python), which must have
# Branchwise installed (pip install -e .) and PyInstaller (installed on demand).
# Timing and size are printed at the end. See packaging/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
py="${PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"
mode="${1:-bundle}"
sizes=(16 32 48 64 128 256)

version() {
  "$py" - <<'EOF'
import tomllib
with open("pyproject.toml", "rb") as handle:
    print(tomllib.load(handle)["project"]["version"])
EOF
}

render_icons() {
  # Qt's SVG renderer ships with PySide6-Essentials (PySide6.QtSvg).
  QT_QPA_PLATFORM=offscreen "$py" - "$here/resources/icons" "${sizes[@]}" <<'EOF'
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

app = QGuiApplication.instance() or QGuiApplication(["render-icons"])
folder = Path(sys.argv[1])
renderer = QSvgRenderer(str(folder / "branchwise.svg"))
if not renderer.isValid():
    sys.exit(f"cannot read {folder / 'branchwise.svg'}")
for size in map(int, sys.argv[2:]):
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    out = folder / f"branchwise-{size}.png"
    if not image.save(str(out), "PNG"):
        sys.exit(f"cannot write {out}")
    print(f"wrote {out}")
EOF
}

bundle() {
  if ! "$py" -c "import PyInstaller" 2>/dev/null; then
    echo "Installing PyInstaller into $("$py" -c 'import sys; print(sys.prefix)')"
    "$py" -m pip install -q "pyinstaller>=6.3"
  fi
  local start end ver arch tarball
  start=$(date +%s)
  "$py" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/branchwise.spec
  end=$(date +%s)
  ver="$(version)"
  arch="$(uname -m)"
  # The bundle carries its own installer (menu entry, icons, file type).
  write_installer dist/branchwise/install.sh
  tarball="dist/branchwise-$ver-linux-$arch.tar.gz"
  tar -C dist -czf "$tarball" branchwise
  echo "Built dist/branchwise/ in $((end - start)) s:" \
    "$(du -sh dist/branchwise | cut -f1) on disk, $(du -h "$tarball" | cut -f1) as $tarball"
  smoke_test dist/branchwise/branchwise
}

smoke_test() {
  # The built program, with no Python of ours on the path, renders a sample.
  local exe="$1" out sample
  out="$(mktemp -d)/screenshot.png"
  sample="$(find dist/branchwise -name product-launch.bwplan | head -n 1)"
  env -i HOME="$(mktemp -d)" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "$exe" evaluate "$sample" >/dev/null
  local start end
  start=$(date +%s.%N)
  env -i HOME="$(mktemp -d)" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "$exe" --screenshot "$out" "$sample"
  end=$(date +%s.%N)
  [ -s "$out" ] || { echo "smoke test: no screenshot from $exe" >&2; exit 1; }
  printf 'Smoke test: %s --screenshot took %.1f s, wrote %s (%s bytes)\n' \
    "$exe" "$(awk "BEGIN {print $end - $start}")" "$out" "$(stat -c %s "$out")"
}

write_installer() {
  cat >"$1" <<'EOF'
#!/usr/bin/env bash
# Install this Branchwise bundle for the current user:
#   ./install.sh [PREFIX]      (PREFIX default ~/.local; /usr/local as root for everyone)
#   ./install.sh --uninstall [PREFIX]
set -euo pipefail
bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
prefix="${1:-$HOME/.local}"
app_id=io.branchwise.Branchwise
target="$prefix/lib/branchwise"
share="$prefix/share"
if [ "$uninstall" = 1 ]; then
  rm -rf "$target" "$prefix/bin/branchwise" "$share/applications/$app_id.desktop" \
    "$share/metainfo/$app_id.metainfo.xml" "$share/mime/packages/branchwise-mime.xml"
  for size in 16 32 48 64 128 256; do
    rm -f "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  rm -f "$share/icons/hicolor/scalable/apps/$app_id.svg"
else
  res="$bundle/_internal/resources"
  mkdir -p "$target" "$prefix/bin" "$share/applications" "$share/metainfo" "$share/mime/packages"
  if [ "$bundle" != "$target" ]; then
    rm -rf "$target"
    cp -a "$bundle" "$target"
  fi
  ln -sf "$target/branchwise" "$prefix/bin/branchwise"
  # Menus do not always see ~/.local/bin on PATH: point at the program itself.
  sed -e "s|^Exec=branchwise|Exec=$target/branchwise|" -e "s|^TryExec=branchwise|TryExec=$target/branchwise|" \
    "$res/$app_id.desktop" >"$share/applications/$app_id.desktop"
  cp "$res/$app_id.metainfo.xml" "$share/metainfo/"
  cp "$res/branchwise-mime.xml" "$share/mime/packages/"
  for size in 16 32 48 64 128 256; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$res/icons/branchwise-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  mkdir -p "$share/icons/hicolor/scalable/apps"
  cp "$res/icons/branchwise.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"
fi
command -v update-mime-database >/dev/null && update-mime-database "$share/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
if [ "$uninstall" = 1 ]; then
  echo "Removed Branchwise from $prefix"
else
  command -v xdg-mime >/dev/null && [ "$prefix" = "$HOME/.local" ] \
    && xdg-mime default "$app_id.desktop" application/x-branchwise-plan || true
  echo "Installed Branchwise in $target; run 'branchwise' or pick it from the menu."
  echo "Double-clicking a .bwplan file now opens it in Branchwise."
fi
EOF
  chmod +x "$1"
}

case "$mode" in
  bundle) bundle ;;
  icons) render_icons ;;
  install)
    shift || true
    [ -x dist/branchwise/install.sh ] || bundle
    dist/branchwise/install.sh "$@"
    ;;
  *)
    echo "usage: packaging/build.sh [bundle | icons | install [PREFIX]]" >&2
    exit 2
    ;;
esac
