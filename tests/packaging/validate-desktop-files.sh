#!/usr/bin/env bash
# Installs the build into a throwaway prefix and validates the desktop entry,
# the AppStream metainfo and the icons that `cmake --install` put there.
# Fails (never skips) when the validators are missing.
# Usage: validate-desktop-files.sh <cmake> <build folder>
set -euo pipefail
cmake=$1
build=$2
for tool in desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null || {
        echo "validate-desktop-files: $tool is missing (apt install desktop-file-utils appstream)" >&2
        exit 1
    }
done

prefix=$(mktemp -d "${TMPDIR:-/tmp}/tandem-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

share=$prefix/share
[[ -x $prefix/bin/tandem ]] || { echo "validate-desktop-files: bin/tandem was not installed" >&2; exit 1; }
desktop-file-validate "$share/applications/org.tandem.Tandem.desktop"
appstreamcli validate --no-net "$share/metainfo/org.tandem.Tandem.metainfo.xml"
for icon in "$share"/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/org.tandem.Tandem.png \
    "$share/icons/hicolor/scalable/apps/org.tandem.Tandem.svg"; do
    [[ -s $icon ]] || { echo "validate-desktop-files: missing $icon" >&2; exit 1; }
done
echo "validate-desktop-files: the installed desktop entry, metainfo and icons are valid"
