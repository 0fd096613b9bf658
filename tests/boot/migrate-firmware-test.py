#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""migrate-firmware-test.py QEMU KERNEL INITRD [STOCK]: a guest migrated
between the direct path and the firmware path reboots cleanly.

A Linux guest boots on the source and halts in init; the source
migrates to a file; a destination with the same machine type takes it
in (-incoming), and a QMP system_reset there boots Linux again on the
destination's own path.  Checked on the destination:
 - before the reset, when it boots through firmware: the BIOS area it
   received (0xfffc0000, 256 KiB) is the BIOS file, byte for byte, as
   after a fresh start (the direct path's copies of the RSDP and the
   SMBIOS entry point at 0xf0000 used to travel with it);
 - after the reset: Linux reaches init again, finds its RSDP where the
   destination's path puts it (never the direct path's stale 0xf0040
   after a firmware boot), and reports no ACPI or DMI error.
Directions: direct -> firmware (pc and q35), firmware -> direct, and,
when STOCK (an unpatched qemu-system-x86_64 of the same QEMU version,
e.g. Debian's) is given, direct -> stock and stock -> direct.
Prints one line per case; exit status 1 if any failed.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'guest'))
from qmpguest import qmp_cmd, qmp_open  # noqa: E402

BIOS = '/usr/share/seabios/bios-256k.bin'
BIOS_BASE = 0xfffc0000
RSDP_RE = re.compile(r'ACPI: RSDP 0x([0-9A-Fa-f]+)')
ERRORS = ('AE_NO_ACPI_TABLES', 'Corrupted DMI', 'A valid RSDP was not found')


class Qemu:
    """One QEMU with its serial console in a file and QMP on a socket"""

    def __init__(self, binary, tmp, tag, machine, kernel, initrd, extra=()):
        self.serial = os.path.join(tmp, tag + '.serial')
        self.errf = os.path.join(tmp, tag + '.err')
        sock = os.path.join(tmp, tag + '.qmp')
        for f in (self.serial, sock):
            if os.path.exists(f):
                os.unlink(f)
        args = [binary, '-M', machine, '-m', '512M', '-display', 'none',
                '-no-user-config', '-nodefaults', '-kernel', kernel,
                '-initrd', initrd,
                '-append', 'console=ttyS0 panic=-1 pvh.action=halt',
                '-serial', 'file:' + self.serial,
                '-qmp', f'unix:{sock},server=on,wait=off', *extra]
        with open(self.errf, 'w') as err:
            self.p = subprocess.Popen(args, stderr=err,
                                      stdin=subprocess.DEVNULL)
        self.s, self.f = qmp_open(sock, self.p)

    def cmd(self, name, **args):
        return (qmp_cmd(self.f, name, args) or
                {'error': {'desc': 'QEMU closed QMP: ' + self.stderr()}})

    def console(self):
        if not os.path.exists(self.serial):
            return ''
        with open(self.serial, 'rb') as f:
            return f.read().decode('latin-1').replace('\r', '')

    def wait(self, what, timeout=150):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if what():
                return True
            if self.p.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def halts(self, n):
        return self.wait(lambda: self.console().count('PVH-HALT') >= n)

    def status(self):
        return self.cmd('query-status').get('return', {}).get('status')

    def stderr(self):
        with open(self.errf) as f:
            return f.read().strip()

    def close(self):
        self.p.kill()
        self.p.wait()


def bios_check(q, tmp):
    """None if the destination's BIOS area is the BIOS file"""
    path = os.path.join(tmp, 'bios-area')
    r = q.cmd('pmemsave', val=BIOS_BASE, size=0x40000, filename=path)
    if 'error' in r:
        return 'pmemsave: ' + r['error']['desc']
    with open(path, 'rb') as a, open(BIOS, 'rb') as b:
        got, want = a.read(), b.read()
    if got != want:
        diff = [i for i in range(len(want)) if got[i] != want[i]]
        return ('its BIOS area differs from %s in %d bytes, from 0x%x'
                % (BIOS, len(diff), BIOS_BASE + diff[0]))
    return None


def case(tmp, src_bin, src_m, dst_bin, dst_m, dst_direct, kernel, initrd):
    state = os.path.join(tmp, 'state')
    src = Qemu(src_bin, tmp, 'src', src_m, kernel, initrd)
    dst = None
    try:
        if not src.halts(1):
            return 'the source did not reach init: ' + src.console()[-300:]
        for c, a in (('stop', {}), ('migrate', {'uri': 'file:' + state})):
            r = src.cmd(c, **a)
            if 'error' in r:
                return c + ': ' + r['error']['desc']
        if not src.wait(lambda: src.cmd('query-migrate')['return']
                        .get('status') in ('completed', 'failed')):
            return 'the migration did not finish'
        if src.cmd('query-migrate')['return']['status'] != 'completed':
            return 'the migration failed'
        src.close()
        dst = Qemu(dst_bin, tmp, 'dst', dst_m, kernel, initrd,
                   ('-incoming', 'file:' + state, '-S'))
        if not dst.wait(lambda: dst.status() in ('paused', 'prelaunch') and
                        dst.cmd('query-migrate')['return'].get('status') ==
                        'completed', timeout=60):
            return 'the destination took nothing in: ' + dst.stderr()
        why = None if dst_direct else bios_check(dst, tmp)
        if why:
            return why
        # The console file is new: the guest's first boot is not in it
        dst.cmd('system_reset')
        dst.cmd('cont')
        if not dst.halts(1):
            return ('the destination did not reach init after its reset: '
                    + dst.console()[-300:])
        boot = dst.console()
        for e in ERRORS:
            if e in boot:
                return 'the reset boot logged "%s"' % e
        m = RSDP_RE.search(boot)
        if not m:
            return 'the reset boot logged no RSDP'
        rsdp = int(m.group(1), 16)
        if not dst_direct and rsdp == 0xf0040:
            return 'the firmware boot took the direct path\'s stale RSDP'
        return 'ok RSDP 0x%x' % rsdp
    finally:
        for q in (src, dst):
            if q and q.p.poll() is None:
                q.close()


def main():
    qemu, kernel, initrd = sys.argv[1:4]
    stock = sys.argv[4] if len(sys.argv) > 4 else None
    name = os.path.basename(kernel)
    # The newest machine types of this QEMU, which boot directly on auto
    out = subprocess.run([qemu, '--version'], capture_output=True,
                         text=True).stdout
    ver = re.search(r'version (\d+\.\d+)', out).group(1)
    pc, q35 = 'pc-i440fx-' + ver, 'pc-q35-' + ver
    cases = [
        ('direct -> firmware', qemu, pc, qemu, pc + ',direct-boot=off',
         False),
        ('direct -> firmware', qemu, q35, qemu, q35 + ',direct-boot=off',
         False),
        ('firmware -> direct', qemu, q35 + ',direct-boot=off', qemu, q35,
         True),
    ]
    if stock:
        cases += [
            ('direct -> stock', qemu, q35, stock, q35, False),
            ('stock -> direct', stock, q35, qemu, q35, True),
        ]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for what, sb, sm, db, dm, dd in cases:
            label = 'migrate %s %s %s' % (name, sm.split(',')[0], what)
            r = case(tmp, sb, sm, db, dm, dd, kernel, initrd)
            if r.startswith('ok '):
                print('ok %s: %s' % (label, r[3:]))
            else:
                print('FAIL %s: %s' % (label, r))
                failed += 1
    if not stock:
        print('migrate: no stock QEMU given, its two directions not run')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
