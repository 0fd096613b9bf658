#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pvh-entry.py KERNEL: print the PVH entry (XEN_ELFNOTE_PHYS32_ENTRY) of
an ELF64 kernel, in hex; exit status 1 if it has none."""
import struct, sys
b = open(sys.argv[1], 'rb').read()
phoff, = struct.unpack_from('<Q', b, 32)
phentsize, phnum = struct.unpack_from('<HH', b, 54)
for i in range(phnum):
    t, _, off, _, _, filesz = struct.unpack_from('<IIQQQQ', b, phoff + i * phentsize)
    p = off
    while t == 4 and p + 12 <= off + filesz:
        namesz, descsz, ntype = struct.unpack_from('<III', b, p)
        name = b[p + 12:p + 12 + namesz].rstrip(b'\0')
        desc = p + 12 + (namesz + 3 & ~3)
        if name == b'Xen' and ntype == 18:
            print(hex(struct.unpack_from('<Q' if descsz == 8 else '<I', b, desc)[0]))
            sys.exit(0)
        p = desc + (descsz + 3 & ~3)
sys.exit('no PVH note')
