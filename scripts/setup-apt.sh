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
# piix4/dimmpxm case fails and q35/memhp hangs); trixie's and sid's
# deb-src give QEMU 10.0.x's and 10.2.x's source packages.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PKGS_MAIN="ninja-build flex bison libglib2.0-dev libpixman-1-dev libfdt-dev
 libzstd-dev liblzma-dev python3-venv ccache gcc make dpkg-dev xz-utils zstd cpio busybox-static
 ipxe-qemu clang libclang-rt-14-dev llvm lld binutils file rsync patch
 git"
# qemu-system-x86: Debian's own QEMU of the same version, unpatched, for
# the tests that migrate between it and ours, and for the benchmark
PKGS_BPO="meson python3-pycotap seabios qemu-system-x86"
# The libraries of the features Debian builds qemu-system-x86 with (its
# debian/control's Build-Depends-Arch for amd64; build-qemu.sh's "debian"
# configuration), from bookworm-backports where it has newer ones, as
# Debian's qemu-system-x86 there needs (libbrlapi).  libblkio is not in
# bookworm.
PKGS_FEATURES="libcapstone-dev libaio-dev libjack-dev libpulse-dev
 libasound2-dev libpipewire-0.3-dev libbpf-dev libbrlapi-dev libcap-ng-dev
 libcurl4-gnutls-dev libfuse3-dev libgnutls28-dev libgtk-3-dev
 libvte-2.91-dev libiscsi-dev libncurses-dev libvirglrenderer-dev
 libepoxy-dev libdrm-dev libgbm-dev libnfs-dev libnuma-dev libcacard-dev
 librbd-dev libglusterfs-dev libsasl2-dev libsdl2-dev libseccomp-dev
 libslirp-dev libspice-server-dev librdmacm-dev libibverbs-dev
 libibumad-dev liburing-dev libusb-1.0-0-dev libusbredirparser-dev
 libssh-dev libvdeplug-dev nettle-dev libudev-dev libjpeg-dev libpng-dev
 libpmem-dev libattr1-dev"
# The clients the tests drive our QEMU with: libvirt (started by hand),
# and what virtme-ng (sid's, unpacked by tests/clients/vng-test.sh)
# needs; udev from bookworm-backports, as libudev-dev above
PKGS_CLIENTS="libvirt-daemon-system libvirt-clients python3-requests
 python3-argcomplete kmod udev iproute2 kbd util-linux-extra"
LIST=/etc/apt/sources.list.d/pvh-direct.sources
# QEMU's source packages: 10.0.x from trixie, 10.2.x from sid, and what
# trixie-backports lists (11.1.x, whose files are not served yet)
SRC_SUITES="trixie trixie-backports sid"
STAMP=${XDG_CACHE_HOME:-$HOME/.cache}/pvh-direct/apt.stamp

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have_all() {
    grep -qx "Suites: $SRC_SUITES" "$LIST" 2>/dev/null || return 1
    for p in $PKGS_MAIN $PKGS_BPO $PKGS_FEATURES $PKGS_CLIENTS; do
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

m=$(debian_mirror)
kr=/usr/share/keyrings/debian-archive-keyring.gpg
cat <<SRC | as_root tee "$LIST" >/dev/null
Types: deb
URIs: $m
Suites: bookworm-backports
Components: main
Signed-By: $kr

Types: deb-src
URIs: $m
Suites: $SRC_SUITES
Components: main
Signed-By: $kr
SRC

export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
# shellcheck disable=SC2086
as_root apt-get install -y -q --no-install-recommends $PKGS_MAIN
# shellcheck disable=SC2086
as_root apt-get install -y -q --no-install-recommends -t bookworm-backports \
    $PKGS_BPO qemu-system-data $PKGS_FEATURES $PKGS_CLIENTS
mkdir -p "$(dirname "$STAMP")" && touch "$STAMP"
