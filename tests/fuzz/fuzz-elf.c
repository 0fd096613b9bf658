/*
 * libFuzzer target: the PVH ELF parser, then the layout of what it
 * accepted.  Checks the parser's promises on every accepted input, and
 * that parsing a snapshot of the input (what QEMU does) gives the same.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/i386/pvh-abi.h"
#include "pvh-elf.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_image(const PVHElfImage *img, size_t size)
{
    unsigned i, j;
    bool entry_inside = false;

    assert(img->entry != 0 && img->nr_segments > 0);
    for (i = 0; i < img->nr_segments; i++) {
        const PVHSegment *s = &img->segments[i];

        assert(s->offset <= size && s->filesz <= size - s->offset);
        assert(s->filesz <= s->memsz && s->memsz > 0);
        assert(s->paddr + s->memsz <= (1ULL << 32));
        entry_inside |= img->entry >= s->paddr &&
                        img->entry - s->paddr < s->memsz;
        for (j = 0; j < i; j++) {
            const PVHSegment *o = &img->segments[j];

            assert(s->paddr >= o->paddr + o->memsz ||
                   o->paddr >= s->paddr + s->memsz);
        }
    }
    assert(entry_inside);
}

static bool read_input(void *opaque, uint64_t off, void *dst, uint64_t len)
{
    const uint8_t *data = opaque;

    memcpy(dst, data + off, len);
    return true;
}

/*
 * What QEMU parses is a snapshot of the file (pvh_elf_snapshot()): it
 * must read only inside the file and judge the file as a parse of the
 * whole file does.
 */
static void check_snapshot(const uint8_t *data, size_t size, PVHElfError err,
                           const PVHElfImage *img)
{
    g_autofree uint8_t *snap = g_malloc0(size);
    PVHElfImage got;

    assert(pvh_elf_snapshot(snap, size, read_input, (void *)data));
    assert(pvh_elf_parse(snap, size, &got) == err);
    assert(!memcmp(&got, img, sizeof(got)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const PVHRange e820[] = {
        { 0, 256 << 20, PVH_E820_RAM },
        { 0xfeffc000, 0x4000, PVH_E820_RESERVED },
    };
    static PVHElfImage img;
    static PVHLayout lay;
    uint8_t si[PVH_SI_SIZE], mod[PVH_MOD_ENTRY_SIZE];
    uint8_t mm[PVH_MEMMAP_MAX_ENTRIES * PVH_MEMMAP_ENTRY_SIZE];
    PVHElfError err = pvh_elf_parse(data, size, &img);
    PVHLayoutError lerr;

    g_free(pvh_elf_describe(err, &img));
    check_snapshot(data, size, err, &img);
    if (err) {
        return 0;
    }
    check_image(&img, size);
    pvh_layout_init(&lay, e820, 2);
    lay.tables_size = size % 7 ? 0x28000 : 0;
    lay.tables_pref = (256 << 20) - 0x28000;
    lerr = pvh_layout_place(&lay, &img, size % 5000, size % 3 ? size : 0);
    g_free(pvh_layout_describe(lerr, &lay));
    if (!lerr) {
        assert(lay.nr_memmap <= PVH_MEMMAP_MAX_ENTRIES);
        pvh_layout_write_start_info(&lay, si);
        pvh_layout_write_modlist(&lay, mod);
        pvh_layout_write_memmap(&lay, mm);
    }
    return 0;
}
