#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""change-test.py QEMU GUESTDIR: files that change under a running guest.

The direct path keeps no copy of the kernel or initrd: each reset loads
the files as they are then.  The test guest halts after each boot; the
test changes a file, then resets through QMP, and checks what came of
it:
 - a kernel rebuilt (renamed over) or overwritten in place with another
   kernel boots that kernel (its first instruction exits QEMU with a
   status of its own), whatever its layout;
 - a kernel removed keeps booting the image QEMU holds open;
 - an initrd grown in place is loaded whole (the guest checks it);
 - a file truncated, turned to garbage or replaced by a FIFO stops QEMU
   with one line naming the file and exit status 1, at once.
Prints one "ok" or "FAIL" line per case.
"""
import os
import shutil
import sys
import tempfile

from qmpguest import (EXIT_KERNEL_STATUS, MiB, Guest, exit_kernel,
                      initrd_bytes, report)


def boots(g, k, timeout=30):
    """True once k boots reported PASS; False at a FAIL or QEMU's exit"""
    return g.wait(lambda g: 'FAIL' not in g.text() and
                  g.text().count('result: PASS') >= k, timeout) and \
        'FAIL' not in g.text()


def main():
    qemu, gdir = sys.argv[1:3]
    tmp = tempfile.mkdtemp()
    failed = 0
    k, i = os.path.join(tmp, 'kernel.elf'), os.path.join(tmp, 'initrd.img')

    def in_place(path, data):
        with open(path, 'r+b') as f:
            f.truncate(0)
            f.write(data)

    def renamed_over(path, data):
        with open(path + '.new', 'wb') as f:
            f.write(data)
        os.replace(path + '.new', path)

    def fifo_over(path, data):
        os.mkfifo(path + '.fifo')
        os.replace(path + '.fifo', path)

    def grow(path, data):
        with open(path, 'ab') as f:
            f.write(data)

    # name, file, change, data, what must follow the reset
    cases = [
        ('kernel overwritten in place by another kernel (at 16 MiB)', k,
         in_place, exit_kernel(16 * MiB), 'new'),
        ('kernel renamed over by another kernel (at 2 MiB)', k,
         renamed_over, exit_kernel(2 * MiB), 'new'),
        ('kernel rewritten in place with the same bytes', k, in_place,
         None, 'same'),
        ('kernel removed', k, lambda p, d: os.unlink(p), None, 'same'),
        ('kernel truncated to 0 bytes', k, in_place, b'',
         "kernel '%s': file is empty" % k),
        ('kernel truncated to 100 bytes', k, in_place, None,
         "kernel '%s': program headers" % k),
        ('kernel overwritten with garbage', k, in_place, b'\xcc' * 65536,
         "kernel '%s': not an ELF image" % k),
        ('kernel replaced by a FIFO', k, fifo_over, None,
         "kernel '%s': a FIFO, not a regular file" % k),
        ('initrd grown in place to 8 KiB', i, grow, initrd_bytes(8192)[4096:],
         'grown'),
        ('initrd renamed over by an 8 KiB one', i, renamed_over,
         initrd_bytes(8192), 'grown'),
        ('initrd truncated to 0 bytes', i, in_place, b'',
         'error reading initrd %s: file is empty' % i),
        ('initrd replaced by a FIFO', i, fifo_over, None,
         'error reading initrd %s: a FIFO, not a regular file' % i),
    ]
    for name, path, change, data, want in cases:
        shutil.copy(os.path.join(gdir, 'guest64.elf'), k)
        with open(i, 'wb') as f:
            f.write(initrd_bytes(4096))
        if data is None and 'same bytes' in name:
            data = open(k, 'rb').read()
        if data is None and '100 bytes' in name:
            data = open(k, 'rb').read()[:100]
        g = Guest(qemu, tmp, 'change', 'pc', k, i, 'change halt',
                  ('-device', 'isa-debug-exit,iobase=0xf4,iosize=4'))
        why = None
        try:
            if not boots(g, 1):
                why = 'first boot did not pass: ' + g.text()[-300:]
            else:
                change(path, data)
                g.cmd('system_reset')
                if want == 'new':
                    st = g.status()
                    if st != EXIT_KERNEL_STATUS or g.stderr():
                        why = (f'exit status {st} (want {EXIT_KERNEL_STATUS}, '
                               f'the new kernel), stderr {g.stderr()!r}')
                elif want in ('same', 'grown'):
                    if not boots(g, 2):
                        why = 'second boot did not pass: ' + g.text()[-300:]
                    elif want == 'grown' and \
                            'ok initrd size = 0x2000' not in g.text():
                        why = 'the grown initrd was not loaded whole'
                else:
                    st, err = g.status(), g.stderr()
                    if st != 1:
                        why = f'exit status {st} (want 1); stderr {err!r}'
                    elif len(err.splitlines()) != 1 or want not in err:
                        why = f'stderr {err!r} lacks {want!r} on one line'
        finally:
            g.close()
            for f in (k, i):
                if os.path.lexists(f):
                    os.unlink(f)
        failed += report(f'change/{name}', why, None)
    shutil.rmtree(tmp)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
