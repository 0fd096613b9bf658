#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""PVH Direct benchmark: bench.py OUTDIR

Measures, in one run with alternating repetitions (these shared 2-core
TCG machines drift, so only ratios within a run mean much):
  1. time to the PVH entry of a guest whose first instruction exits:
     (a) direct path, (b) our binary's firmware path, (c) stock QEMU,
     (d) the floor: our binary, -bios a 64 KiB image whose reset vector
     exits at once, (e) -M microvm (qboot), (f) and (g): (a) and (d)
     without transparent huge pages (bench/nothp.c), (h) (d) with a
     BIOS of 256 KiB, the size of the bios-256k.bin area that (a) maps;
  2. guest blocks executed before the kernel's entry (-d exec,nochain);
  3. Debian 6.1 to init and to poweroff: the vmlinux through (a), (b),
     (c); the bzImage through our direct path (the Linux 32-bit entry),
     our firmware path and stock QEMU; the bzImage direct path less the
     vmlinux direct path is what the in-guest decompressor costs; the
     bzImage with pvh-unpack=on (QEMU unpacks the XZ payload, PVH entry);
  4. host cost of our loader (first reset, trace points) against a
     plain memcpy and a pread of the same PT_LOAD bytes into fresh
     memory, alternated, with their spread;
  5. peak RSS growth for a 64 MiB PT_LOAD payload over a tiny one.
Writes OUTDIR/results.md and OUTDIR/phases.png (gnuplot): time to
entry with min-max whiskers, and the Linux boot by phase (QEMU init,
firmware or loader, kernel to init and poweroff).
"""
import os
import re
import statistics
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OURS = os.environ.get('PVH_BENCH_QEMU', os.path.join(
    ROOT, 'build/qemu/build/qemu-system-x86_64'))
STOCK = '/usr/bin/qemu-system-x86_64'
CACHE = os.environ.get('PVH_CACHE', os.path.expanduser('~/.cache/pvh-direct'))
KDIR = os.path.join(CACHE, 'kernels')
REPS = int(os.environ.get('PVH_BENCH_REPS', '11'))
# The starts take some 20-100 ms each: many more of them, as their
# ratios differ by a few percent and a run here moves by as much
ENTRY_REPS = int(os.environ.get('PVH_BENCH_ENTRY_REPS', str(4 * REPS)))
MiB = 1 << 20
EXIT = b'\xb0\x00\xe6\xf4\xf4'      # mov $0,%al; out %al,$0xf4; hlt
ENTRY = MiB + 0x10


def exit_kernel(path, payload=0x100):
    """ELF64 PVH kernel at 1 MiB whose entry exits; payload bytes of
    PT_LOAD (filled with a pattern) to measure loading"""
    hdr = bytearray(0x1000)
    hdr[0:4] = b'\x7fELF'
    hdr[4:7] = b'\x02\x01\x01'
    struct.pack_into('<HHIQQQIHHHHHH', hdr, 16, 2, 62, 1, ENTRY, 64, 0, 0,
                     64, 56, 2, 0, 0, 0)
    struct.pack_into('<IIQQQQQQ', hdr, 64, 1, 7, 0x1000, MiB, MiB, payload,
                     payload, 0x1000)
    note = struct.pack('<III', 4, 8, 18) + b'Xen\0' + struct.pack('<Q', ENTRY)
    struct.pack_into('<IIQQQQQQ', hdr, 120, 4, 4, 0x800, 0, 0, len(note),
                     len(note), 4)
    hdr[0x800:0x800 + len(note)] = note
    with open(path, 'wb') as f:
        f.write(hdr)
        body = bytearray(payload)
        body[0x10:0x10 + len(EXIT)] = EXIT
        for i in range(0x100, payload, 4096):
            body[i] = i >> 12 & 0xff
        f.write(body)


def floor_bios(path, size=65536):
    """BIOS of @size bytes whose reset vector (0xffff0) exits at once"""
    img = bytearray(b'\xf4' * size)
    img[size - 16:size - 16 + len(EXIT)] = EXIT
    with open(path, 'wb') as f:
        f.write(img)


EXITDEV = ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
COMMON = ['-display', 'none', '-no-user-config', '-m', '128M']


def configs(out):
    k = os.path.join(out, 'exit.elf')
    nothp = [os.path.join(out, 'nothp')]
    return [
        ('a direct', [OURS, '-M', 'pc', '-kernel', k] + COMMON + EXITDEV),
        ('b firmware', [OURS, '-M', 'pc,pvh-direct=off', '-kernel', k]
         + COMMON + EXITDEV),
        ('c stock 10.0.2', [STOCK, '-M', 'pc', '-kernel', k] + COMMON
         + EXITDEV),
        ('d floor', [OURS, '-M', 'pc', '-bios', os.path.join(out, 'floor.bin')]
         + COMMON + EXITDEV),
        ('e microvm', [OURS, '-M', 'microvm', '-kernel', k] + COMMON + EXITDEV),
        # First touches of fresh guest and video RAM, the direct path's
        # that the floor never makes, cost a 2 MiB huge page each; the
        # same pair without transparent huge pages shows the rest
        ('f direct, no THP', nothp + [OURS, '-M', 'pc', '-kernel', k]
         + COMMON + EXITDEV),
        ('g floor, no THP', nothp + [OURS, '-M', 'pc', '-bios',
                                     os.path.join(out, 'floor.bin')]
         + COMMON + EXITDEV),
        # The direct path maps the default BIOS area (SeaBIOS, 256 KiB)
        # but reads the file only for a migration; the floor's is 64 KiB
        ('h floor, 256 KiB BIOS', [OURS, '-M', 'pc', '-bios',
                                   os.path.join(out, 'floor256.bin')]
         + COMMON + EXITDEV),
    ]


def timed(cmd, ok=(1,), timeout=120):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=timeout)
    dt = time.perf_counter() - t
    if r.returncode not in ok:
        raise SystemExit(f'{cmd[0]} failed ({r.returncode}): '
                         f'{r.stderr.decode()[:300]}')
    return dt


def alternate(cfgs, reps, ok=(1,)):
    res = {name: [] for name, _ in cfgs}
    for _ in range(reps):
        for name, cmd in cfgs:
            res[name].append(timed(cmd, ok))
    return res


def timed_boot(cmd, timeout=180):
    """Seconds to init's first line on the serial console, and to exit"""
    t = time.perf_counter()
    p = subprocess.Popen(cmd + ['-serial', 'stdio'], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    t_init = None
    for line in p.stdout:
        if t_init is None and b'PVH-INIT: reached init' in line:
            t_init = time.perf_counter() - t
    rc = p.wait(timeout=timeout)
    total = time.perf_counter() - t
    if rc != 0 or t_init is None:
        raise SystemExit(f'{cmd[0]} {" ".join(cmd[1:4])}: status {rc}, '
                         f'init {"seen" if t_init else "not seen"}')
    return t_init, total


def blocks_before_entry(cmd, entry):
    """TCG blocks executed before the first one at @entry"""
    p = subprocess.Popen(cmd + ['-d', 'exec,nochain', '-D', '/dev/stdout'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    n = 0
    key = f'/{entry:016x}/'
    for line in p.stdout:
        if line.startswith(b'Trace'):
            if key.encode() in line:
                break
            n += 1
    p.kill()
    p.wait()
    return n


def linux_boot(out):
    v = os.path.join(KDIR, 'linux-6.1.vmlinux')
    bz = os.path.join(KDIR, 'linux-6.1.bzImage')
    initrd = os.path.join(ROOT, 'build/linux-6.1-initramfs.cpio.gz')
    app = ['-append', 'console=ttyS0 quiet pvh.action=poweroff',
           '-initrd', initrd, '-m', '512M', '-display', 'none',
           '-no-user-config']
    cfgs = [('a direct', [OURS, '-M', 'pc', '-kernel', v] + app),
            ('b firmware', [OURS, '-M', 'pc,direct-boot=off', '-kernel', v]
             + app),
            ('c stock PVH', [STOCK, '-M', 'pc', '-kernel', v] + app),
            ('d direct bzImage', [OURS, '-M', 'pc', '-kernel', bz] + app),
            ('e firmware bzImage', [OURS, '-M', 'pc,direct-boot=off',
                                    '-kernel', bz] + app),
            ('f stock bzImage', [STOCK, '-M', 'pc', '-kernel', bz] + app),
            ('g direct bzImage, pvh-unpack', [OURS, '-M', 'pc,pvh-unpack=on',
                                              '-kernel', bz] + app)]
    init = {name: [] for name, _ in cfgs}
    total = {name: [] for name, _ in cfgs}
    for _ in range(max(3, REPS // 2)):
        for name, cmd in cfgs:
            ti, tt = timed_boot(cmd)
            init[name].append(ti)
            total[name].append(tt)
    return init, total


def loader_once(v):
    """Our first reset of the 6.1 vmlinux (trace point), and its bytes"""
    p = subprocess.Popen([OURS, '-M', 'pc', '-m', '512M', '-accel', 'qtest',
                          '-qtest', 'null', '-display', 'none', '-kernel', v,
                          '-trace', 'pvh_direct_*', '-no-user-config'],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    loader, filesz = None, 0
    for raw in p.stderr:
        line = raw.decode(errors='replace')
        m = re.search(r'filesz 0x([0-9a-f]+)', line)
        if m:
            filesz += int(m.group(1), 16)
        m = re.search(r'pvh_direct_reset_end .* in (\d+) us', line)
        if m:
            loader = int(m.group(1)) / 1e6
            break
    p.kill()
    p.wait()
    if loader is None:
        raise SystemExit('no pvh_direct_reset_end trace from QEMU')
    return loader, filesz


def loader_cost(out):
    """First-reset time of our loader against a memcpy and a pread of the
    same bytes into fresh memory, alternated in this run (the machines
    drift; fresh memory costs vary with huge page availability)"""
    v = os.path.join(KDIR, 'linux-6.1.vmlinux')
    tool = os.path.join(out, 'memcpy-baseline')
    subprocess.run(['gcc', '-O2', '-o', tool,
                    os.path.join(ROOT, 'bench/memcpy-baseline.c')], check=True)
    res = {'loader': [], 'memcpy': [], 'pread': []}
    filesz = 0
    for _ in range(REPS):
        t, filesz = loader_once(v)
        res['loader'].append(t)
        for mode in ('memcpy', 'pread'):
            r = subprocess.run([tool, v, str(filesz)] +
                               (['pread'] if mode == 'pread' else []),
                               check=False, capture_output=True)
            res[mode].append(float(r.stdout) / 1e3)
    return res, filesz


def peak_rss(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    time.sleep(3)
    if p.poll() is not None:
        raise SystemExit(f'{cmd[0]} exited: {p.stderr.read().decode()[:300]}')
    hwm = 0
    with open(f'/proc/{p.pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                hwm = int(line.split()[1])
    p.kill()
    p.wait()
    return hwm


def memory(out):
    big, tiny = os.path.join(out, 'big.elf'), os.path.join(out, 'tiny.elf')
    exit_kernel(big, 64 * MiB)
    exit_kernel(tiny, 0x100)
    res = {}
    for name, binary, extra in (('a direct', OURS, []),
                                ('b firmware', OURS, []),
                                ('c stock 10.0.2', STOCK, [])):
        m = 'pc' if name != 'b firmware' else 'pc,pvh-direct=off'
        # -S: the machine is built and reset, no guest instruction runs
        args = ['-M', m, '-m', '256M', '-display', 'none', '-no-user-config',
                '-accel', 'tcg', '-S']
        res[name] = (peak_rss([binary] + args + ['-kernel', big] + extra) -
                     peak_rss([binary] + args + ['-kernel', tiny] + extra))
    return res


def write_md(out, name, lines):
    """Write @lines as OUTDIR/@name and print them"""
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(out, name), 'w') as fh:
        fh.write(text)
    print(text, end='')


def stats(xs):
    return min(xs), statistics.median(xs), max(xs)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'build/bench')
    os.makedirs(out, exist_ok=True)
    exit_kernel(os.path.join(out, 'exit.elf'))
    floor_bios(os.path.join(out, 'floor.bin'))
    floor_bios(os.path.join(out, 'floor256.bin'), 256 * 1024)
    subprocess.run(['gcc', '-O2', '-o', os.path.join(out, 'nothp'),
                    os.path.join(ROOT, 'bench/nothp.c')], check=True)
    cfgs = configs(out)
    print('1. time to PVH entry', flush=True)
    entry = alternate(cfgs, ENTRY_REPS)
    print('2. blocks before entry', flush=True)
    blocks = {n: blocks_before_entry(c, ENTRY) for n, c in cfgs
              if n[0] in 'abce'}
    print('3. Linux 6.1 boot', flush=True)
    linux_init, linux = linux_boot(out)
    print('4. loader cost', flush=True)
    cost, filesz = loader_cost(out)
    print('5. memory', flush=True)
    mem = memory(out)
    floor = statistics.median(entry['d floor'])
    stock_pvh = statistics.median(linux['c stock PVH'])
    md = [f'# PVH Direct benchmark ({time.strftime("%Y-%m-%d")}, '
          f'{os.uname().nodename}, {os.cpu_count()} CPUs, TCG, {REPS} reps)',
          '', '## 1-2. Process start to PVH entry (guest exits at its first '
          f'instruction), {ENTRY_REPS} alternated reps', '',
          '| config | min ms | median ms | max ms | / floor | TBs before entry |',
          '|---|---|---|---|---|---|']
    for name, _ in cfgs:
        lo, med, hi = stats(entry[name])
        md.append(f'| {name} | {lo*1e3:.1f} | {med*1e3:.1f} | {hi*1e3:.1f} | '
                  f'{med/floor:.3f} | {blocks.get(name, "-")} |')
    nothp = statistics.median(entry['f direct, no THP']) / \
        statistics.median(entry['g floor, no THP'])
    bios256 = statistics.median(entry['a direct']) / \
        statistics.median(entry['h floor, 256 KiB BIOS'])
    md += ['', f'Without transparent huge pages (both under prctl '
           f'PR_SET_THP_DISABLE): direct / floor {nothp:.3f}.  Against a '
           f'floor with a BIOS of the size the direct path maps (256 KiB): '
           f'{bios256:.3f}.']
    stock_bz = statistics.median(linux['f stock bzImage'])
    md += ['', '## 3. Debian 6.1 to init and to poweroff', '',
           '| config | to init, median s | to poweroff: min s | median s | '
           'max s | / stock PVH | / stock bzImage |',
           '|---|---|---|---|---|---|---|']
    for name, xs in linux.items():
        lo, med, hi = stats(xs)
        md.append(f'| {name} | {statistics.median(linux_init[name]):.3f} | '
                  f'{lo:.3f} | {med:.3f} | {hi:.3f} | {med/stock_pvh:.3f} | '
                  f'{med/stock_bz:.3f} |')
    dec = statistics.median(linux_init['d direct bzImage']) - \
        statistics.median(linux_init['a direct'])
    md += ['', f'In-guest decompressor (bzImage direct less vmlinux direct, '
           f'to init): {dec:.3f} s, '
           f'{dec / statistics.median(linux_init["d direct bzImage"]) * 100:.0f} % '
           f'of the bzImage boot to init.']
    unp = statistics.median(linux_init['g direct bzImage, pvh-unpack'])
    md += ['', f'Unpacked in QEMU instead (pvh-unpack=on: host-side XZ, then '
           f'the PVH entry), to init: {unp:.3f} s, '
           f'{statistics.median(linux_init["d direct bzImage"]) / unp:.2f} x '
           f'faster than the bzImage direct path, '
           f'{unp - statistics.median(linux_init["a direct"]):.3f} s more '
           f'than the vmlinux direct path.']
    md += ['', '## 4. Host cost of the loader (6.1 vmlinux, first reset)', '',
           f'PT_LOAD bytes: {filesz / MiB:.1f} MiB.  The three alternate, '
           f'{REPS} times each.', '',
           '| what | min ms | median ms | max ms | loader / this (medians) |',
           '|---|---|---|---|---|']
    loader_med = statistics.median(cost['loader'])
    for name, label in (('loader', 'our reset (segments, bss, ACPI, '
                         'start_info, CPU)'),
                        ('memcpy', 'memcpy from memory into fresh memory'),
                        ('pread', 'pread from the page cache into fresh '
                         'memory')):
        lo, med, hi = stats(cost[name])
        md.append(f'| {label} | {lo*1e3:.1f} | {med*1e3:.1f} | {hi*1e3:.1f} '
                  f'| {loader_med/med:.2f} |')
    md += ['',
           '## 5. Peak RSS growth, 64 MiB PT_LOAD over a tiny kernel', '',
           '| config | growth MiB | / payload |', '|---|---|---|']
    for name, kb in mem.items():
        md.append(f'| {name} | {kb/1024:.1f} | {kb/1024/64:.2f} |')
    with open(os.path.join(out, 'results.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    # Phases: QEMU init (the floor's start to its reset vector), then the
    # firmware (or our loader) up to the kernel's entry, then the kernel to
    # init and poweroff; whiskers: min-max of the whole boot
    floor_med = statistics.median(entry['d floor'])
    with open(os.path.join(out, 'phases.dat'), 'w') as f:
        # bzImage rows: the time to entry is the tiny PVH guest's on the
        # same path (the bzImage's own setup code is in "kernel")
        for name, boot in (('a direct', 'a direct'),
                           ('b firmware', 'b firmware'),
                           ('c stock 10.0.2', 'c stock PVH'),
                           ('a direct', 'd direct bzImage'),
                           ('b firmware', 'e firmware bzImage'),
                           ('c stock 10.0.2', 'f stock bzImage'),
                           ('a direct', 'g direct bzImage, pvh-unpack')):
            e = statistics.median(entry[name])
            k = statistics.median(linux[boot]) - e
            fw, ld = (0, e - floor_med) if name == 'a direct' else \
                (e - floor_med, 0)
            lo, _, hi = stats(linux[boot])
            label = boot if 'bzImage' in boot else name
            f.write(f'"{label}" {floor_med:.4f} {fw:.4f} {ld:.4f} '
                    f'{k:.4f} {lo:.4f} {hi:.4f}\n')
    with open(os.path.join(out, 'entry.dat'), 'w') as f:
        for i, (name, _) in enumerate(cfgs):
            lo, med, hi = stats(entry[name])
            f.write(f'{i} "{name}" {med*1e3:.2f} {lo*1e3:.2f} {hi*1e3:.2f}\n')
    subprocess.run(['gnuplot', '-e', f'''
set terminal pngcairo size 1300,500; set output "{out}/phases.png";
set multiplot layout 1,2; set style fill solid 0.6 border -1;
set yrange [0:*]; set xtics rotate by -30;
set title "process start to PVH entry, ms (median, min-max)";
set boxwidth 0.6;
plot "{out}/entry.dat" using 1:3:xtic(2) with boxes notitle,
     "" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 notitle;
set title "Debian 6.1 boot to poweroff by phase, s (whiskers: min-max)";
set style data histograms; set style histogram rowstacked;
set boxwidth 0.6; set key below;
plot "{out}/phases.dat" using 2:xtic(1) title "QEMU init",
     "" using 3 title "firmware", "" using 4 title "loader",
     "" using 5 title "kernel to init and poweroff",
     "" using 0:(($6+$7)/2):6:7 with yerrorbars lc rgb "black" pt 0 notitle;
unset multiplot'''], check=False)
    print('\n'.join(md))


if __name__ == '__main__':
    main()
