#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh [OUTDIR]: the benchmark in one command.  Builds what is
# missing, installs stock QEMU 10.0 (qemu-system-x86 from
# bookworm-backports) and gnuplot, then writes OUTDIR/results.md and
# OUTDIR/phases.png (default build/bench), and OUTDIR/microvm.md
# (bench/microvm.py).  About 15 minutes here.
# PVH_BENCH_REPS sets the repetitions (default 11).
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"
cd "$PVH_ROOT"
out=${1:-$PVH_OUT/bench}
bash scripts/build-qemu.sh
bash scripts/fetch-kernels.sh
initrd=$PVH_OUT/linux-6.1-initramfs.cpio.gz
[ "$initrd" -nt tests/boot/init ] ||
    bash tests/boot/make-initramfs.sh "$initrd" "$PVH_CACHE/kernels/linux-6.1.modules"
if ! dpkg --compare-versions "$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || echo 0)" ge 1:10.0 ||
   ! command -v gnuplot >/dev/null; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends \
        -t bookworm-backports qemu-system-x86 gnuplot-nox >/dev/null
fi
python3 bench/bench.py "$out"
python3 bench/microvm.py "$out"
log "results in $out/results.md and $out/phases.png"
