#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# without-kvm.sh CMD [ARG...]: run CMD where /dev/kvm does not exist, so
# that everything it starts runs under TCG, as on a machine without KVM.
#
# QEMU's own qtests pick KVM wherever /dev/kvm is there (libqtest's
# qtest_has_accel() only checks access("/dev/kvm")), and then depend on
# the host: bios-tables-test, for one, fails where KVM has no SMM (the
# FADT's SMI fields differ).  In a private mount namespace /dev becomes
# a tmpfs that holds every entry of the real /dev but kvm, each bound to
# the original.  Nothing outside the namespace changes.
#
# Where there is no /dev/kvm, CMD runs as it is.  Where a namespace
# cannot be made (no root, no user namespaces), it says so on stderr and
# fails rather than let CMD run under KVM unnoticed.
set -euo pipefail

if [ "${1:-}" != --inside ]; then
    [ $# -gt 0 ] || { echo "usage: ${0##*/} CMD [ARG...]" >&2; exit 2; }
    [ -e /dev/kvm ] || exec "$@"
    userns=()
    [ "$(id -u)" = 0 ] || userns=(--map-root-user)
    exec unshare "${userns[@]}" --mount --propagation private \
        "$0" --inside "$@"
fi
shift

old=$(mktemp -d)
mount --rbind /dev "$old"
mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
for e in "$old"/* "$old"/.[!.]*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    n=${e##*/}
    if [ "$n" = kvm ]; then
        continue
    elif [ -L "$e" ]; then
        cp -P "$e" "/dev/$n"
    elif [ -d "$e" ]; then
        mkdir "/dev/$n"
        mount --rbind "$e" "/dev/$n"
    else
        : >"/dev/$n"
        mount --bind "$e" "/dev/$n"
    fi
done
[ ! -e /dev/kvm ] || { echo "${0##*/}: /dev/kvm still there" >&2; exit 1; }
exec "$@"
