#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vng-test.sh QEMU BZIMAGE MODULES_DIR: virtme-ng, the tool kernel
# developers boot a kernel with, runs a command in Debian's kernel on our
# QEMU: vng --qemu QEMU --run BZIMAGE -- uname -r, under TCG.  vng shares
# the host's root with the guest over virtio-9p and reads the kernel's
# modules from /lib/modules/VERSION on the host, so the modules of the
# fetched kernel (MODULES_DIR/VERSION) are bound there, in a private
# mount namespace.
#
# virtme-ng is sid's package (pure Python), fetched once through apt
# with a private list of sid's main (the mirror of this system's apt
# sources) and unpacked into the cache; it runs with Debian's
# /usr/bin/python3 and bookworm's python3-requests, kmod and udev
# (scripts/setup-apt.sh).  Prints one line, "ok ..." or "FAIL ...".
set -uo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

if [ "${1:-}" != --inside ]; then
    [ "$(id -u)" = 0 ] || { echo "FAIL vng: needs root (mount namespace)"; exit 1; }
    vng=$PVH_CACHE/virtme-ng
    if [ ! -x "$vng/usr/bin/vng" ]; then
        apt=$(mktemp -d)
        mkdir -p "$apt/parts" "$apt/lists/partial"
        printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: %s\n' \
            "$(debian_mirror)" /usr/share/keyrings/debian-archive-keyring.gpg \
            >"$apt/parts/sid.sources"
        o=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/parts"
           -o "Dir::State::Lists=$apt/lists" -o APT::Architectures=amd64)
        if ! (apt-get "${o[@]}" update -q && cd "$apt" &&
              apt-get "${o[@]}" download virtme-ng) >"$apt/log" 2>&1; then
            echo "FAIL vng: cannot fetch sid's virtme-ng: $(tail -n 2 "$apt/log" | tr '\n' ' ')"
            rm -rf "$apt"
            exit 1
        fi
        rm -rf "$vng"
        dpkg -x "$apt"/virtme-ng_*_all.deb "$vng"
        # Debian's python3, whatever python3 is first in PATH
        sed -i '1s|^#!.*python3.*|#! /usr/bin/python3|' "$vng"/usr/bin/*
        basename "$apt"/virtme-ng_*_all.deb >"$vng/package"
        rm -rf "$apt"
    fi
    made=
    [ -d /lib/modules ] || { mkdir /lib/modules && made=1; }
    unshare --mount --propagation private "$0" --inside "$@"
    rc=$?
    [ -z "$made" ] || rmdir /lib/modules
    exit $rc
fi
shift
qemu=$(realpath "$1") bz=$(realpath "$2") mods=$3
vng=$PVH_CACHE/virtme-ng
kdir=$(ls -d "$mods"/*/ | head -n 1)
kver=$(basename "$kdir")
mount -t tmpfs tmpfs /lib/modules
mkdir "/lib/modules/$kver"
mount --bind "$kdir" "/lib/modules/$kver"
[ -f "/lib/modules/$kver/modules.dep" ] || depmod "$kver"
export PYTHONPATH=$vng/usr/lib/python3/dist-packages PATH=$vng/usr/bin:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
start=$(date +%s.%N)
timeout 300 vng --disable-kvm --verbose --qemu "$qemu" --run "$bz" -- uname -r \
    >"$tmp/out" 2>"$tmp/console" </dev/null
rc=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
ver=$("$qemu" --version | sed -n 's/.*version \([0-9.]*\).*/\1/p')
if [ "$rc" != 0 ]; then
    echo "FAIL vng: exit status $rc: $(tail -n 3 "$tmp/console" | tr -d '\r' | tr '\n' ' ')"
elif [ "$(tr -d '\r' <"$tmp/out")" != "$kver" ]; then
    echo "FAIL vng: printed '$(head -c 200 "$tmp/out")', not $kver"
elif ! tr -d '\r' <"$tmp/console" | grep -q "DMI: .*, BIOS $ver "; then
    # The BIOS information the direct path gives (SMBIOS type 0)
    echo "FAIL vng: the kernel did not boot directly (no 'BIOS $ver' in its DMI)"
else
    echo "ok vng $(cat "$vng/package") --run $(basename "$bz") -- uname -r: $kver, booted directly, in ${took%.*} s"
fi
