/*
 * libFuzzer target: the layout rules, from an arbitrary e820 table,
 * kernel segments, command line and initrd size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh-abi.h"
#include "pvh-elf.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return as && bs && a < b + bs && b < a + as;
}

/* Input: n_e820, n_seg, cmdline(u32), initrd(u32), then 20-byte records */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* one more than the layout accepts, to exercise its refusal */
    static PVHRange e820[PVH_LAYOUT_MAX_INPUT + 1];
    static PVHElfImage img;
    static PVHLayout lay;
    static PVHLayout chk;
    PVHLayoutError fixed;
    unsigned ne, ns, i;
    uint64_t cmdline, initrd;

    if (size < 10) {
        return 0;
    }
    ne = data[0] % (PVH_LAYOUT_MAX_INPUT + 2);
    ns = data[1] % (PVH_ELF_MAX_SEGMENTS + 1);
    cmdline = (uint32_t)ldl_le_p(data + 2) % (1 << 22);
    initrd = (uint32_t)ldl_le_p(data + 6);
    data += 10;
    size -= 10;
    if (size < (ne + ns) * 20) {
        return 0;
    }
    for (i = 0; i < ne; i++, data += 20) {
        e820[i] = (PVHRange) { (uint64_t)(uint32_t)ldl_le_p(data) << 8,
                               ldq_le_p(data + 4) >> 24,
                               1 + data[12] % 4 };
    }
    memset(&img, 0, sizeof(img));
    for (i = 0; i < ns; i++, data += 20) {
        img.segments[i].paddr = (uint32_t)ldl_le_p(data);
        img.segments[i].memsz = (uint32_t)ldl_le_p(data + 4) >> 4;
    }
    img.nr_segments = ns;
    /* A PHYS32_RELOC note, and KASLR, from the initrd word's low bits */
    img.reloc = initrd & 1;
    img.reloc_align = 0x1000u << ((initrd >> 1) % 20);
    img.reloc_min = (uint32_t)ldl_le_p(data - 4) & 0xfff00000;
    img.reloc_max = img.reloc_min | ((initrd >> 6) * 0x10001u);
    if (pvh_layout_init(&lay, e820, ne)) {
        return 0;
    }
    lay.kaslr = initrd & 2;
    lay.kaslr_random = (uint64_t)initrd * 0x9e3779b97f4a7c15ULL;
    /* A tables area from the cmdline word's top bits, preferred top */
    lay.tables_size = (cmdline >> 12) << 12;
    lay.tables_pref = (uint64_t)(uint32_t)~initrd & ~0xfffULL;
    /* The firmware path's check, on a copy: it must not claim anything */
    chk = lay;
    fixed = pvh_layout_check_kernel(&chk, &img);
    g_free(pvh_layout_describe(fixed, &chk));
    assert(chk.nr_used == lay.nr_used);
    if (pvh_layout_place(&lay, &img, cmdline, initrd)) {
        g_free(pvh_layout_describe(PVH_LAYOUT_OK, &lay));
        return 0;
    }
    /* A kernel that fits where it is linked stays there without KASLR */
    assert(fixed || lay.kaslr || !lay.kernel_delta);
    /* The rules: nothing at 0, limits, no overlap with the kernel */
    assert(lay.start_info && lay.memmap && lay.cmdline);
    assert(lay.start_info + PVH_SI_SIZE <= PVH_LOW_LIMIT);
    assert(lay.cmdline + lay.cmdline_size <= PVH_4G);
    assert(!initrd || lay.initrd + lay.initrd_size <= PVH_4G);
    assert(lay.nr_memmap <= PVH_MEMMAP_MAX_ENTRIES);
    /* Segments moved together, within the note's range, aligned */
    if (lay.kernel_delta) {
        uint64_t base = pvh_elf_base(&img) + lay.kernel_delta;

        assert(img.reloc && base % img.reloc_align == 0);
        assert(base >= img.reloc_min);
        assert(base + pvh_elf_span(&img) - 1 <= img.reloc_max);
        pvh_elf_relocate(&img, lay.kernel_delta);
    }
    for (i = 0; i < ns; i++) {
        const PVHSegment *s = &img.segments[i];

        assert(!overlaps(lay.start_info, PVH_SI_SIZE, s->paddr, s->memsz));
        assert(!overlaps(lay.cmdline, lay.cmdline_size, s->paddr, s->memsz));
        assert(!overlaps(lay.initrd, lay.initrd_size, s->paddr, s->memsz));
    }
    assert(!overlaps(lay.cmdline, lay.cmdline_size, lay.initrd,
                     lay.initrd_size));
    if (lay.tables_size) {
        assert(lay.tables && lay.tables + lay.tables_size <= PVH_4G);
        assert(!overlaps(lay.tables, lay.tables_size, lay.start_info,
                         PVH_SI_SIZE));
        assert(!overlaps(lay.tables, lay.tables_size, lay.cmdline,
                         lay.cmdline_size));
        assert(!overlaps(lay.tables, lay.tables_size, lay.initrd,
                         lay.initrd_size));
        for (i = 0; i < ns; i++) {
            assert(!overlaps(lay.tables, lay.tables_size,
                             img.segments[i].paddr, img.segments[i].memsz));
        }
    }
    return 0;
}
