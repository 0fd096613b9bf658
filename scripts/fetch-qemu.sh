#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch Debian's QEMU 10.0.x source package and unpack it, Debian's own
# patches applied, into $PVH_CACHE/src/qemu-<version>.  Prints that path.
# Idempotent: an unpacked tree is reused.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# (|| true: under set -e and pipefail a version apt does not know ended
# this script with status 1 and no word)
debver=$(qemu_deb_version || true)
if [ -z "$debver" ]; then
    known=$(apt-cache showsrc qemu 2>/dev/null | awk '/^Version:/ { print $2 }' |
            sort -uV | paste -sd ' ')
    die "apt knows no Debian source of QEMU $QEMU_SERIES.x (PVH_QEMU=$QEMU_SERIES; it knows: ${known:-none}; supported base: 10.0; scripts/setup-apt.sh sets the sources up)"
fi
ver=$(qemu_upstream_version "$debver")
src=$PVH_CACHE/src
tree=$src/qemu-$ver
if [ -f "$tree/.pvh-unpacked" ]; then
    echo "$tree"
    exit 0
fi
mkdir -p "$src"
cd "$src"
log "fetching Debian qemu $debver source"
apt-get source -q --download-only "qemu=$debver" >&2
dsc=$(ls -1 qemu_"${debver#*:}".dsc)
rm -rf "$tree"
dpkg-source -x "$dsc" "$tree" >&2
touch "$tree/.pvh-unpacked"
echo "$tree"
