/*
 * libFuzzer target: the bzImage setup header parser, the layout of what
 * it accepted (as boot-linux.c asks for it), and boot_params written
 * from that layout.  The input is the file's first bytes; its size is
 * taken from the input's last 8 bytes, so that lies about the file's
 * length are fuzzed too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "linux-header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const PVHRange e820[] = {
        { 0, 512 << 20, PVH_E820_RAM },
        { 0xfeffc000, 0x4000, PVH_E820_RESERVED },
        { 1ULL << 32, 1ULL << 30, PVH_E820_RAM },
    };
    static PVHLinuxImage li;
    static PVHLayout lay;
    static const uint8_t dtb[] = { 0xd0, 0x0d, 0xfe, 0xed };
    uint64_t file_size, info_size;
    g_autofree uint8_t *info = NULL;
    PVHLinuxError err;
    PVHLinuxPlace p;
    const PVHSegment *s;

    if (size < 8) {
        return 0;
    }
    file_size = ldq_le_p(data + size - 8) & ((1ULL << 40) - 1);
    size -= 8;
    file_size = MAX(file_size, size);
    err = pvh_linux_parse(data, MIN(size, PVH_LINUX_HEADER_BYTES), file_size,
                          &li);
    g_free(pvh_linux_describe(err, &li));
    if (err) {
        return 0;
    }
    /* The parser's promises */
    s = &li.img.segments[0];
    assert(li.img.nr_segments == 1);
    assert(li.protocol >= 0x202);
    assert(li.header_end >= PVH_BP_HDR && li.header_end <= PVH_LINUX_HEADER_BYTES);
    assert(li.setup_size <= file_size);
    assert(s->offset == li.setup_size && s->filesz <= file_size - s->offset);
    assert(s->filesz > 0 && s->filesz <= s->memsz);
    assert(s->paddr >= 0x100000 && s->paddr + s->memsz <= (1ULL << 32));
    assert(li.img.entry == s->paddr);
    assert(!li.img.reloc || (li.img.reloc_align >= 0x1000 &&
                             !(li.img.reloc_align & (li.img.reloc_align - 1))));

    /* The layout, as boot-linux.c prepares it */
    pvh_layout_init(&lay, e820, ARRAY_SIZE(e820));
    info_size = pvh_linux_info_size(PVH_MEMMAP_MAX_ENTRIES, sizeof(dtb));
    lay.info_size = info_size;
    lay.info_pref = 0x10000;
    lay.initrd_limit = MIN(li.initrd_limit, PVH_4G);
    lay.initrd_anywhere = li.initrd_above_4g;
    if (pvh_layout_place(&lay, &li.img, li.cmdline_max, 0x100000)) {
        return 0;
    }
    assert(lay.info && lay.info + info_size <= PVH_LOW_LIMIT);
    assert(lay.initrd + lay.initrd_size <= lay.initrd_limit ||
           li.initrd_above_4g);
    info = g_malloc(pvh_linux_info_size(lay.nr_memmap, sizeof(dtb)));
    p = (PVHLinuxPlace) {
        .info = lay.info, .base = s->paddr + lay.kernel_delta,
        .cmdline = lay.cmdline, .initrd = lay.initrd,
        .initrd_size = lay.initrd_size, .rsdp = 0xe0000,
    };
    pvh_linux_write_info(&li, &p, lay.memmap_entries, lay.nr_memmap, dtb,
                         sizeof(dtb), info);
    assert(ldl_le_p(info + PVH_HDR_MAGIC) == PVH_LINUX_MAGIC);
    assert(info[PVH_BP_E820_ENTRIES] == MIN(lay.nr_memmap, 128));
    return 0;
}
