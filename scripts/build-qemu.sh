#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the patched qemu-system-x86_64 from Debian's QEMU source of the
# base PVH_QEMU picks (default 10.0.x): our new files overlaid, that
# base's hunks applied, x86_64-softmmu, the base's own ccache.  The tree and its build directory live under
# $PVH_CACHE/qemu-<version>; a key (QEMU version + hash of our sources,
# patches and this script) decides whether the tree must be refreshed.
# Refreshing copies only files whose content changed, so ninja rebuilds
# only what depends on them.  build/qemu in the checkout links there.
set -euo pipefail
. "$(dirname "$0")/common.sh"

bash "$PVH_ROOT/scripts/setup-apt.sh"
pristine=$(bash "$PVH_ROOT/scripts/fetch-qemu.sh")
ver=${pristine##*/qemu-}
work=$PVH_CACHE/qemu-$ver
# One build at a time per tree: a second caller waits here
mkdir -p "$PVH_CACHE"
exec 9>"$PVH_CACHE/qemu-$ver.lock"
flock 9
stage=$(mktemp -d "$PVH_CACHE/stage-$ver.XXXXXX")
trap 'rm -rf "$stage"' EXIT
export CCACHE_DIR=$PVH_CCACHE_DIR
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}

# The configuration, PVH_QEMU_CONFIG:
#   debian   (default) as Debian builds qemu-system-x86: debian/rules'
#            options and the features debian/control lists for
#            linux-amd64 (debian/extract-config-opts, from the fetched
#            source), for the x86_64-softmmu target only.  So the binary
#            has what libvirt, virt-install and virtme-ng ask of one: VNC,
#            SPICE, user networking, virtio-gpu, virtfs, vhost-user.
#            Unlike Debian's: no modules (an uninstalled binary carries
#            its devices itself), and without what bookworm lacks
#            (libblkio: --enable-blkio).
#   minimal  the fewest features the tests need (faster to build)
debian_flags() {
    (cd "$pristine" && sh debian/extract-config-opts linux-amd64 debian/control) |
        tr ' ' '\n' | grep -v -x -e '--enable-blkio'
    printf '%s\n' --sysconfdir=/etc --libexecdir=/usr/lib/qemu \
        --localstatedir=/var --disable-strip --disable-download \
        --disable-containers --disable-relocatable --disable-docs \
        --disable-xkbcommon --disable-user --disable-linux-user \
        --disable-xen --enable-tools --disable-modules \
        --firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
}
# Each configuration has its own build directory in the one tree
bdir=$work/build
[ "${PVH_QEMU_CONFIG:=debian}" = debian ] || bdir=$work/build-$PVH_QEMU_CONFIG
case $PVH_QEMU_CONFIG in
debian)  mapfile -t feature_flags < <(debian_flags) ;;
minimal) feature_flags=(--without-default-features --enable-tcg --enable-kvm
                        --enable-fdt=system --enable-pixman --enable-zstd
                        --enable-lzma) ;;
*)       die "PVH_QEMU_CONFIG=$PVH_QEMU_CONFIG: debian or minimal" ;;
esac
CONFIGURE_FLAGS=(--python=/usr/bin/python3 --target-list=x86_64-softmmu
    --disable-install-blobs --prefix=/usr "${feature_flags[@]}"
    "--cc=ccache gcc"
    ${PVH_QEMU_EXTRA_CONFIGURE:-})

source_key() {
    {
        echo "$ver"
        cd "$PVH_ROOT"
        for f in $(overlay_files) patches/series $(base_patches) \
                 scripts/build-qemu.sh; do
            echo "${f#"$PVH_ROOT"/}"
            cat "$f"
        done
    } | sha256sum | cut -c1-16
}

refresh_tree() {
    local f
    log "refreshing $work (key $1)"
    rm -rf "$stage"
    cp -a "$pristine" "$stage"
    for f in $(overlay_files); do
        mkdir -p "$stage/$(dirname "$f")"
        cp "$PVH_ROOT/$f" "$stage/$f"
    done
    apply_base_patches "$stage"
    mkdir -p "$work"
    # Content comparison, no timestamps kept: changed files look new.
    # Build directories (build, build-asan, ...) are left alone.
    rsync -rlc --delete --exclude='/build*/' "$stage/" "$work/"
    rm -rf "$stage"
}

# Debian's seabios, qemu-system-data and ipxe-qemu blobs (the places of
# Debian's own --firmwarepath), where an uninstalled QEMU looks for them:
# qemu-bundle/<datadir>.
link_firmware() {
    local bundle=$bdir/qemu-bundle/usr/share/qemu f
    mkdir -p "$bundle"
    for f in /usr/share/seabios/* /usr/share/qemu/* /usr/lib/ipxe/qemu/*; do
        [ -e "$f" ] && [ ! -e "$bundle/${f##*/}" ] &&
            ln -sfn "$f" "$bundle/${f##*/}"
    done
    return 0
}

key=$(source_key)
if [ "$(cat "$work/.pvh-key" 2>/dev/null)" != "$key" ]; then
    refresh_tree "$key"
fi
mkdir -p "$bdir"
flags="${CONFIGURE_FLAGS[*]}"
if [ ! -f "$bdir/build.ninja" ] ||
   [ "$(cat "$bdir/.pvh-flags" 2>/dev/null)" != "$flags" ]; then
    log "configuring QEMU $ver"
    (cd "$bdir" && ../configure "${CONFIGURE_FLAGS[@]}" >configure.log 2>&1) ||
        { tail -n 30 "$bdir/configure.log" >&2; die "configure failed"; }
    echo "$flags" > "$bdir/.pvh-flags"
fi
log "building QEMU $ver in $bdir"
# The unit tests of the pure core, as QEMU's tree builds them
unit_tests=$(cd "$PVH_ROOT" && ls tests/unit/test-pvh-*.c | sed 's/\.c$//')
ninja -C "$bdir" qemu-system-x86_64 tests/qtest/pvh-test $unit_tests \
    ${PVH_NINJA_TARGETS:-} >"$bdir/ninja.log" 2>&1 ||
    { grep -A12 -m3 'FAILED:' "$bdir/ninja.log" >&2 ||
      tail -n 40 "$bdir/ninja.log" >&2; die "QEMU build failed"; }
link_firmware
echo "$key" > "$work/.pvh-key"
mkdir -p "$PVH_OUT"
ln -sfn "$work" "$PVH_QEMU_OUT"
log "built $PVH_QEMU_OUT/${bdir##*/}/qemu-system-x86_64"
