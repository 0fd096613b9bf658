#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch Debian's QEMU 10.0.x source package and unpack it, Debian's own
# patches applied, into $PVH_CACHE/src/qemu-<version>.  Prints that path.
# Idempotent: an unpacked tree is reused.
set -euo pipefail
. "$(dirname "$0")/common.sh"

debver=$(qemu_deb_version)
[ -n "$debver" ] || die "apt knows no qemu $QEMU_SERIES.x source (run scripts/setup-apt.sh)"
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
