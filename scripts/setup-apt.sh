#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install the Debian packages PVH Direct builds and tests with.
# Idempotent: a second run with everything present returns in a second.
#
# The mirror is derived from the system's own apt sources; no host name
# is written here.  bookworm-backports gives meson >= 1.5 (QEMU 10 needs
# it) and SeaBIOS 1.16.3, the one QEMU 10.0 is built and tested with
# (bios-tables-test's expected tables; with bookworm's 1.16.2 its
# piix4/dimmpxm case fails and q35/memhp hangs); trixie's deb-src gives
# QEMU 10.0.x's source package.
set -euo pipefail

PKGS_MAIN="ninja-build flex bison libglib2.0-dev libpixman-1-dev libfdt-dev
 libzstd-dev liblzma-dev python3-venv ccache gcc make dpkg-dev xz-utils zstd cpio busybox-static
 ipxe-qemu clang libclang-rt-14-dev llvm lld binutils file rsync patch
 git"
# qemu-system-x86: Debian's own QEMU of the same version, unpatched, for
# the tests that migrate between it and ours, and for the benchmark
PKGS_BPO="meson python3-pycotap seabios qemu-system-x86"
LIST=/etc/apt/sources.list.d/pvh-direct.sources
STAMP=${XDG_CACHE_HOME:-$HOME/.cache}/pvh-direct/apt.stamp

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

mirror() {
    local m=""
    if [ -r /etc/apt/sources.list.d/debian.sources ]; then
        m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
            /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
        m=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
            /etc/apt/sources.list)
    fi
    [ -n "$m" ] || { echo "setup-apt: no bookworm mirror in the apt sources" >&2; exit 1; }
    echo "$m"
}

have_all() {
    [ -f "$LIST" ] || return 1
    for p in $PKGS_MAIN $PKGS_BPO; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || return 1
    done
    meson_ver=$(meson --version 2>/dev/null || echo 0)
    dpkg --compare-versions "$meson_ver" ge 1.5 || return 1
    seabios_ver=$(dpkg-query -W -f='${Version}' seabios 2>/dev/null || echo 0)
    dpkg --compare-versions "$seabios_ver" ge 1.16.3 || return 1
}

if have_all; then
    exit 0
fi

m=$(mirror)
kr=/usr/share/keyrings/debian-archive-keyring.gpg
cat <<SRC | as_root tee "$LIST" >/dev/null
Types: deb
URIs: $m
Suites: bookworm-backports
Components: main
Signed-By: $kr

Types: deb-src
URIs: $m
Suites: trixie
Components: main
Signed-By: $kr
SRC

export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
# shellcheck disable=SC2086
as_root apt-get install -y -q --no-install-recommends $PKGS_MAIN
# shellcheck disable=SC2086
as_root apt-get install -y -q --no-install-recommends -t bookworm-backports \
    $PKGS_BPO qemu-system-data
mkdir -p "$(dirname "$STAMP")" && touch "$STAMP"
