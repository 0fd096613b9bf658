#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch Debian's QEMU source package of the base PVH_QEMU picks (default
# 10.0.x) and unpack it, Debian's own patches applied, into
# $PVH_CACHE/src/qemu-<version>.  Prints that path.
# Idempotent: an unpacked tree is reused.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# (|| true: under set -e and pipefail a version apt does not know ended
# this script with status 1 and no word)
versions=$(qemu_deb_versions || true)
if [ -z "$versions" ]; then
    known=$(apt-cache showsrc qemu 2>/dev/null | awk '/^Version:/ { print $2 }' |
            sort -uV | paste -sd ' ')
    die "apt knows no Debian source of QEMU $QEMU_SERIES.x (PVH_QEMU=$QEMU_SERIES; it knows: ${known:-none}; supported bases: $PVH_BASES; scripts/setup-apt.sh sets the sources up)"
fi
src=$PVH_CACHE/src
mkdir -p "$src"
cd "$src"
# The newest version whose files the mirror serves: apt may list a source
# package whose .dsc and tarballs answer 404 (11.1.x in 2026-12)
debver= why=
for v in $versions; do
    tree=$src/qemu-$(qemu_upstream_version "$v")
    if [ -f "$tree/.pvh-unpacked" ]; then
        echo "$tree"
        exit 0
    fi
    if apt-get source -q --download-only "qemu=$v" >"$src/fetch.log" 2>&1; then
        debver=$v
        break
    fi
    # "404  Not Found", or apt's last word
    why=$(sed -n 's/^E: Failed to fetch [^ ]*  *//p' "$src/fetch.log" | head -n 1)
    why=${why% \[IP*}
    [ -n "$why" ] || why=$(tail -n 1 "$src/fetch.log")
done
[ -n "$debver" ] ||
    die "Debian lists QEMU $QEMU_SERIES.x's source but its files cannot be downloaded (${why:-no answer}; PVH_QEMU=$QEMU_SERIES; tried $(echo $versions | sed 's/ /, /g'); supported bases: $PVH_BASES; log: $src/fetch.log)"
log "fetched Debian qemu $debver source"
ver=$(qemu_upstream_version "$debver")
tree=$src/qemu-$ver
dsc=$(ls -1 qemu_"${debver#*:}".dsc)
rm -rf "$tree"
dpkg-source -x "$dsc" "$tree" >&2
touch "$tree/.pvh-unpacked"
echo "$tree"
