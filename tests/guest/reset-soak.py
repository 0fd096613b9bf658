#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""reset-soak.py QEMU GUEST INITRD [N]: N QMP system_resets in a row.

The test guest checks its registers, start_info, memmap, initrd, data
and bss at every boot, spoils data, bss and start_info, and halts; QMP
system_reset must bring each back.  Every boot must report PASS, and
QEMU's resident memory must stay flat: from reset 30 on it may grow by
at most 1 MiB.  Every reset rewrites the guest's code pages, so TCG
translates it anew each time and fills its code buffer; the buffer is
kept at 1 MiB (tb-size=1) so that it is full by reset 30 and whatever
grows after that is a leak.  QEMU runs without transparent huge pages
(PR_SET_THP_DISABLE): khugepaged may collapse a partly touched 2 MiB
range of guest RAM at any moment, up to 2 MiB more RSS that is not a
leak (seen once in CI: 1,700 kB between resets 30 and 100, while the
same binary shrank by 3-5 MB in runs by hand).  Prints one line.
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile
import time

from qmpguest import qmp_cmd, qmp_open


def rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def no_thp():
    """In the child before exec: no transparent huge pages (kept by exec)"""
    PR_SET_THP_DISABLE = 41
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)


def main():
    qemu, guest, initrd = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    tmp = tempfile.mkdtemp()
    out, sock = os.path.join(tmp, 'out'), os.path.join(tmp, 'qmp')
    machine = os.environ.get('PVH_SOAK_MACHINE', 'pc')
    accel = os.environ.get('PVH_SOAK_ACCEL', 'tcg,tb-size=1')
    p = subprocess.Popen([qemu, '-M', machine, '-accel', accel, '-m', '64M', '-display', 'none',
                          '-no-user-config', '-kernel', guest,
                          '-initrd', initrd, '-append', 'soak halt',
                          '-chardev', f'file,id=dc,path={out}',
                          '-device', 'isa-debugcon,iobase=0xe9,chardev=dc',
                          '-qmp', f'unix:{sock},server=on,wait=off'],
                         preexec_fn=no_thp)
    try:
        _, f = qmp_open(sock, p)

        def cmd(name):
            qmp_cmd(f, name)

        def wait_boots(k):
            deadline = time.time() + 20
            while time.time() < deadline:
                text = open(out).read() if os.path.exists(out) else ''
                if 'FAIL' in text:
                    bad = [l for l in text.splitlines() if 'FAIL' in l]
                    raise SystemExit(f'FAIL reset-soak: {bad[0]}')
                if text.count('result: PASS') >= k:
                    return
                time.sleep(0.01)
            raise SystemExit(f'FAIL reset-soak: boot {k} did not report')

        wait_boots(1)
        rss = []
        for i in range(1, n + 1):
            cmd('system_reset')
            wait_boots(i + 1)
            rss.append(rss_kb(p.pid))
        if os.environ.get('PVH_SOAK_TRACE'):
            print(' '.join(str(rss[i]) for i in range(0, n, max(1, n // 10))))
        base = rss[min(29, len(rss) - 1)]
        growth = rss[-1] - base
        if growth > 1024 and not os.environ.get('PVH_SOAK_NO_RSS'):
            raise SystemExit(f'FAIL reset-soak: RSS grew {growth} kB over '
                             f'resets 30..{n} ({base} -> {rss[-1]} kB)')
        print(f'ok reset-soak: {n} resets, each boot restored; RSS '
              f'{rss[0]} kB after the first, {rss[-1]} kB after the last')
        # A clean exit, so that a sanitizer build reports leaks
        f.write(json.dumps({'execute': 'quit'}) + '\n')
        f.flush()
        p.wait(timeout=30)
        if p.returncode != 0:
            raise SystemExit(f'FAIL reset-soak: QEMU exit status '
                             f'{p.returncode} after quit')
    finally:
        p.kill()
        p.wait()


if __name__ == '__main__':
    main()
