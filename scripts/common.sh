# SPDX-License-Identifier: GPL-2.0-or-later
# Shared settings for the PVH Direct scripts (sourced, not run).

PVH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PVH_CACHE=${PVH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pvh-direct}
# The QEMU series with patches for them (the supported bases), and the
# default one
PVH_BASES="10.0 10.2"
PVH_DEFAULT_BASE=10.0
# QEMU series we build on: Debian's source package of this upstream series.
# PVH_QEMU picks another of PVH_BASES (fetch-qemu.sh fetches it).
QEMU_SERIES=${PVH_QEMU:-$PVH_DEFAULT_BASE}
# The patched build lives under the cache; build/ in the checkout links to it:
# build/qemu for the default base, build/qemu-<series> for another.
# PVH_BASE_SUFFIX names the other per-base outputs the same way: "" for
# the default base, "-<series>" for another.
PVH_OUT=$PVH_ROOT/build
PVH_BASE_SUFFIX=
[ "$QEMU_SERIES" = "$PVH_DEFAULT_BASE" ] || PVH_BASE_SUFFIX=-$QEMU_SERIES
PVH_QEMU_OUT=$PVH_OUT/qemu$PVH_BASE_SUFFIX
# Each base has its own ccache (for QEMU and for its tests' builds)
PVH_CCACHE_DIR=$PVH_CACHE/ccache-$QEMU_SERIES

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# A hunk of patches/series for this base: patches/<series>/NAME where the
# base needs its own version of it, else patches/NAME; nothing where
# patches/<series>/NAME is empty (the base does not need that change: it
# has it already)
patch_file() {
    if [ -s "$PVH_ROOT/patches/$QEMU_SERIES/$1" ]; then
        echo "$PVH_ROOT/patches/$QEMU_SERIES/$1"
    elif [ ! -e "$PVH_ROOT/patches/$QEMU_SERIES/$1" ]; then
        echo "$PVH_ROOT/patches/$1"
    fi
}

# Every hunk file this base applies, in patches/series' order
base_patches() {
    local p
    grep -v '^#' "$PVH_ROOT/patches/series" | while read -r p; do
        [ -n "$p" ] && patch_file "$p"
    done
}

# The existing QEMU files those hunks change
base_patched_files() {
    sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' $(base_patches) | sort -u
}

# apply_base_patches DIR: this base's hunks, in order, to the tree in DIR
apply_base_patches() {
    local p
    for p in $(base_patches); do
        patch -d "$1" -p1 -s --no-backup-if-mismatch < "$p" ||
            die "${p#"$PVH_ROOT"/} does not apply to QEMU $QEMU_SERIES"
    done
}

# Every file of ours that lands in QEMU's tree, by its path there
overlay_files() {
    (cd "$PVH_ROOT" && git ls-files --cached --others --exclude-standard \
        hw/i386/pvh include/hw/i386 tests/qtest docs/system \
        'tests/unit/test-pvh-*.c' tests/unit/pvh-elf-builder.h)
}

# Debian source versions of QEMU $QEMU_SERIES.x that apt knows, newest first
qemu_deb_versions() {
    apt-cache showsrc qemu 2>/dev/null |
        awk '/^Version:/ { print $2 }' |
        grep -E "^(1:)?${QEMU_SERIES//./\\.}\\.[0-9]+" |
        sort -uVr
}

# Upstream part of a Debian version: 1:10.0.13+ds-0+deb13u1 -> 10.0.13
qemu_upstream_version() {
    local v=${1#*:}
    v=${v%%+*}
    echo "${v%%-*}"
}

# The Debian mirror this system's apt sources use for bookworm: no host
# name is written in the scripts
debian_mirror() {
    local m=""
    if [ -r /etc/apt/sources.list.d/debian.sources ]; then
        m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
        m=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
            /etc/apt/sources.list)
    fi
    [ -n "$m" ] || die "no bookworm mirror in the apt sources"
    echo "$m"
}
