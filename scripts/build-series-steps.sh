#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-series-steps.sh [LOG]: does every patch of the exported series
# build?  Exports the series (scripts/export-series.sh), applies it with
# git am, patch by patch, to a git copy of the pristine Debian tree, and
# after each patch builds qemu-system-x86_64 (and, once it exists,
# tests/qtest/pvh-test, and the unit tests tests/unit/test-pvh-*)
# incrementally, with the minimal configuration
# and ccache.  Prints one line per patch, "ok N/M subject (S s)" or
# "FAIL ...", and the totals; LOG (default build/series-steps.log) keeps
# the build output.  Too slow for CI (a cold first build, then hundreds
# of files again after the patches that touch common headers): run it
# whenever the series changes, and put its result in the note.
set -euo pipefail
. "$(dirname "$0")/common.sh"

log_file=${1:-$PVH_OUT/series-steps.log}
pristine=$(bash "$PVH_ROOT/scripts/fetch-qemu.sh")
ver=${pristine##*/qemu-}
work=$PVH_CACHE/series-steps-$ver
series=$(mktemp -d)
trap 'rm -rf "$series"' EXIT
export CCACHE_DIR=$PVH_CCACHE_DIR
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-2G}
export CCACHE_BASEDIR=$work

bash "$PVH_ROOT/scripts/export-series.sh" "$series" >/dev/null 2>&1 ||
    die "the series does not export cleanly: scripts/export-series.sh"
mkdir -p "$(dirname "$log_file")"
: >"$log_file"

# The pristine tree as one commit (its build directory is kept between
# runs, so that the first step is incremental too).  Configured with
# pristine QEMU's options: liblzma is found by the series' own option,
# "auto", once the patch that adds it is in.
mkdir -p "$work/src"
rsync -a --delete --exclude=/.git --exclude=/build "$pristine/" "$work/src/"
git -C "$work/src" init -q 2>/dev/null || true
git_() { git -C "$work/src" -c user.name=steps -c user.email=steps@invalid "$@"; }
git_ add -A >/dev/null
git_ commit -q --allow-empty -m "QEMU $ver (Debian source)"
base=$(git_ rev-parse HEAD)
if [ ! -f "$work/src/build/build.ninja" ]; then
    mkdir -p "$work/src/build"
    (cd "$work/src/build" &&
     ../configure --python=/usr/bin/python3 --target-list=x86_64-softmmu \
         --disable-install-blobs --prefix=/usr --without-default-features \
         --enable-tcg --enable-kvm --enable-fdt=system --enable-pixman \
         --enable-zstd "--cc=ccache gcc") >>"$log_file" 2>&1 ||
        die "configure failed: $log_file"
fi

patches=("$series"/0*.patch)
total=$((${#patches[@]} - 1))   # less the cover letter
n=0 failed=0
for p in "${patches[@]}"; do
    case $p in */0000-*) continue ;; esac
    n=$((n + 1))
    # (format-patch folds a long Subject: over lines that start blank)
    subject=$(awk '/^Subject: / { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l
                                   print s; exit }' "$p" |
              sed 's/^Subject: \[PATCH[^]]*\] //')
    start=$SECONDS
    if ! git_ am -q "$p" >>"$log_file" 2>&1; then
        git_ am --abort >/dev/null 2>&1 || true
        echo "FAIL $n/$total $subject: git am"
        failed=$((failed + 1))
        break
    fi
    targets=(qemu-system-x86_64)
    [ ! -e "$work/src/tests/qtest/pvh-test.c" ] || targets+=(tests/qtest/pvh-test)
    for t in "$work"/src/tests/unit/test-pvh-*.c; do
        [ -e "$t" ] && targets+=("tests/unit/$(basename "$t" .c)")
    done
    echo "== $n/$total $subject" >>"$log_file"
    if ninja -C "$work/src/build" "${targets[@]}" >>"$log_file" 2>&1; then
        echo "ok $n/$total $subject ($((SECONDS - start)) s)"
    else
        echo "FAIL $n/$total $subject: build ($((SECONDS - start)) s)"
        failed=$((failed + 1))
    fi
done
git_ reset -q --hard "$base"
echo "$((n - failed)) of $total patches built, $failed failed (log: $log_file)"
[ "$failed" = 0 ]
