#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkpacked.py ELF FORMAT OUT: wrap a PVH ELF kernel in a bzImage the way
Linux's build wraps vmlinux: the ELF compressed (FORMAT gzip, xz or
zstd), its size appended as 4 little-endian bytes, at payload_offset 0 of
the protected-mode part (protocol 2.15).  The protected-mode part is
only the payload: with pvh-unpack=on QEMU unpacks it and boots the ELF
through PVH, and nothing runs at the 32-bit entry."""
import gzip
import lzma
import struct
import subprocess
import sys

from mkbzimage import bzimage

elf = open(sys.argv[1], 'rb').read()
fmt = sys.argv[2]
if fmt == 'gzip':
    packed = gzip.compress(elf, 9)
elif fmt == 'xz':
    packed = lzma.compress(elf, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32)
elif fmt == 'zstd':
    packed = subprocess.run(['zstd', '-q', '-19', '-c'], input=elf,
                            stdout=subprocess.PIPE, check=True).stdout
else:
    sys.exit('mkpacked.py: unknown format ' + fmt)
payload = packed + struct.pack('<I', len(elf))
open(sys.argv[3], 'wb').write(bzimage(payload, 0, len(payload)))
