#!/usr/bin/env bash
# Every string the app shows is translated into every language it ships: the
# sources are scanned again with lupdate into copies of the .ts files (the
# same options as the update_translations target), and any entry left
# unfinished fails the test with its text. Run
# `cmake --build <build> --target update_translations` and translate them.
# Usage: check-translations.sh <lupdate> <source folder>
set -euo pipefail
lupdate=$1
source=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tandem-translations.XXXXXX")
trap 'rm -rf "$work"' EXIT

status=0
for ts in "$source"/translations/*.ts; do
    copy=$work/$(basename "$ts")
    cp "$ts" "$copy"
    "$lupdate" -silent -no-obsolete -locations none -I "$source" \
        "$source/app" "$source/ui" "$source/core/chat" -ts "$copy" >/dev/null
    unfinished=$(grep -c 'type="unfinished"' "$copy" || true)
    if ((unfinished > 0)); then
        echo "check-translations: $(basename "$ts") lacks $unfinished translation(s):" >&2
        grep -B1 'type="unfinished"' "$copy" | grep '<source>' | sed 's/^ */    /' >&2
        status=1
    else
        echo "check-translations: $(basename "$ts") is complete"
    fi
done
exit $status
