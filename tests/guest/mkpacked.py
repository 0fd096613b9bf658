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
pm = payload + b'\0' * (-len(payload) % 16)
setup = bytearray(5 * 512)
setup[0x1f1] = 4                                    # setup_sects
struct.pack_into('<I', setup, 0x1f4, len(pm) // 16)     # syssize
setup[0x1fe:0x200] = b'\x55\xaa'
setup[0x200:0x202] = b'\xeb\x6a'                    # header ends at 0x26c
setup[0x202:0x206] = b'HdrS'
struct.pack_into('<H', setup, 0x206, 0x20f)
setup[0x211] = 0x01                                 # LOADED_HIGH
struct.pack_into('<I', setup, 0x214, 0x100000)      # code32_start
struct.pack_into('<I', setup, 0x22c, 0x7fffffff)    # initrd_addr_max
struct.pack_into('<I', setup, 0x230, 0x1000)        # kernel_alignment
struct.pack_into('<I', setup, 0x238, 2047)          # cmdline_size
struct.pack_into('<II', setup, 0x248, 0, len(payload))  # payload_*
struct.pack_into('<Q', setup, 0x258, 0x100000)      # pref_address
struct.pack_into('<I', setup, 0x260, len(pm))       # init_size
open(sys.argv[3], 'wb').write(bytes(setup) + pm)
