/*
 * Unit tests for the PVH layout: placement rules and golden bytes of
 * start_info, memmap and modlist.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh-abi.h"
#include "hw/i386/pvh/layout.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* A kernel like Debian's: 16 MiB, 40 MiB of segments */
static void linux_like(PVHElfImage *img)
{
    memset(img, 0, sizeof(*img));
    img->is64 = true;
    img->entry = 0x1000000 + 0x1234;
    img->nr_segments = 2;
    img->segments[0] = (PVHSegment) { 0x200000, 16 * MiB, 20 * MiB, 20 * MiB };
    img->segments[1] = (PVHSegment) { 0x1600000, 36 * MiB, 1 * MiB, 20 * MiB };
}

static PVHLayoutError layout(PVHLayout *lay, uint64_t ram, uint64_t cmdline,
                             uint64_t initrd)
{
    PVHRange e820[] = { { 0, MIN(ram, 3 * GiB), PVH_E820_RAM },
                        { 4 * GiB, ram > 3 * GiB ? ram - 3 * GiB : 0,
                          PVH_E820_RAM } };
    PVHElfImage img;

    linux_like(&img);
    g_assert_cmpint(pvh_layout_init(lay, e820, ram > 3 * GiB ? 2 : 1), ==,
                    PVH_LAYOUT_OK);
    return pvh_layout_place(lay, &img, cmdline, initrd);
}

static const uint8_t golden_start_info[PVH_SI_SIZE] = {
    0x78, 0xc5, 0x6e, 0x33,  0x01, 0, 0, 0,  0, 0, 0, 0,  0x01, 0, 0, 0,
    0x40, 0x60, 0, 0, 0, 0, 0, 0,           /* modlist 0x6040 */
    0x00, 0x00, 0x02, 0, 0, 0, 0, 0,        /* cmdline 0x20000 */
    0, 0, 0, 0, 0, 0, 0, 0,                 /* rsdp: none */
    0x00, 0x70, 0, 0, 0, 0, 0, 0,           /* memmap 0x7000 */
    0x03, 0, 0, 0,  0, 0, 0, 0,
};

static const uint8_t golden_memmap[3 * PVH_MEMMAP_ENTRY_SIZE] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0x06, 0, 0, 0, 0, 0,
    2, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x07, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0,
};

static void test_golden(void)
{
    uint8_t si[PVH_SI_SIZE], mod[PVH_MOD_ENTRY_SIZE];
    uint8_t mm[PVH_MEMMAP_MAX_ENTRIES * PVH_MEMMAP_ENTRY_SIZE];
    PVHLayout lay;

    g_assert_cmpint(layout(&lay, 128 * MiB, 20, 0x10000), ==, PVH_LAYOUT_OK);
    pvh_layout_write_start_info(&lay, si);
    g_assert_cmpmem(si, sizeof(si), golden_start_info,
                    sizeof(golden_start_info));
    g_assert_cmpuint(lay.nr_memmap, ==, 3);
    pvh_layout_write_memmap(&lay, mm);
    g_assert_cmpmem(mm, 3 * PVH_MEMMAP_ENTRY_SIZE, golden_memmap,
                    sizeof(golden_memmap));
    pvh_layout_write_modlist(&lay, mod);
    /* initrd: the highest free page-aligned place below 128 MiB */
    g_assert_cmphex(ldq_le_p(mod), ==, 128 * MiB - 0x10000);
    g_assert_cmphex(ldq_le_p(mod + 8), ==, 0x10000);
    g_assert_cmphex(ldq_le_p(mod + 16), ==, 0);
    g_assert_cmphex(ldq_le_p(mod + 24), ==, 0);
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* The rules of PVH-FACTS.md, checked on one layout */
static void check_rules(const PVHLayout *lay, const PVHElfImage *img)
{
    const uint64_t addr[] = { lay->start_info, lay->modlist, lay->memmap,
                              lay->cmdline, lay->initrd };
    const uint64_t size[] = { PVH_SI_SIZE, PVH_MOD_ENTRY_SIZE,
                              PVH_MEMMAP_MAX_ENTRIES * PVH_MEMMAP_ENTRY_SIZE,
                              lay->cmdline_size, lay->initrd_size };
    unsigned i, j;

    g_assert_cmphex(lay->start_info + PVH_SI_SIZE, <=, GiB);
    g_assert_cmphex(lay->memmap + size[2], <=, GiB);
    g_assert_cmphex(lay->cmdline + lay->cmdline_size, <=, 4 * GiB);
    g_assert_cmphex(lay->initrd + lay->initrd_size, <=, 4 * GiB);
    g_assert_cmpuint(lay->nr_memmap, <=, PVH_MEMMAP_MAX_ENTRIES);
    for (i = 0; i < G_N_ELEMENTS(addr); i++) {
        if (!size[i] || (i == 1 && !lay->initrd_size)) {
            continue;
        }
        g_assert_cmphex(addr[i], !=, 0);
        g_assert_false(overlaps(addr[i], size[i], 0xa0000, 0x60000));
        for (j = 0; j < img->nr_segments; j++) {
            g_assert_false(overlaps(addr[i], size[i], img->segments[j].paddr,
                                    img->segments[j].memsz));
        }
        for (j = i + 1; j < G_N_ELEMENTS(addr); j++) {
            if (size[j] && !(j == 1 && !lay->initrd_size)) {
                g_assert_false(overlaps(addr[i], size[i], addr[j], size[j]));
            }
        }
    }
}

static void test_cmdline_100000(void)
{
    PVHElfImage img;
    PVHLayout lay;

    linux_like(&img);
    g_assert_cmpint(layout(&lay, 512 * MiB, 100000, 30 * MiB), ==,
                    PVH_LAYOUT_OK);
    g_assert_cmpuint(lay.cmdline_size, ==, 100001);
    g_assert_cmphex(lay.cmdline, ==, 0x20000);
    check_rules(&lay, &img);
}

static void test_cmdline_moves_high(void)
{
    PVHElfImage img;
    PVHLayout lay;

    /* 2 MiB does not fit below 640 KiB: it goes above the kernel */
    linux_like(&img);
    g_assert_cmpint(layout(&lay, 512 * MiB, 2 * MiB, 0), ==, PVH_LAYOUT_OK);
    g_assert_cmphex(lay.cmdline, >=, 0x100000);
    check_rules(&lay, &img);
}

static void test_memory_above_4g(void)
{
    PVHElfImage img;
    PVHLayout lay;

    linux_like(&img);
    g_assert_cmpint(layout(&lay, 6 * GiB, 100, 64 * MiB), ==, PVH_LAYOUT_OK);
    check_rules(&lay, &img);
    g_assert_cmphex(lay.initrd + lay.initrd_size, ==, 3 * GiB);
    g_assert_cmpuint(lay.nr_memmap, ==, 4);
    g_assert_cmphex(lay.memmap_entries[3].addr, ==, 4 * GiB);
    g_assert_cmphex(lay.memmap_entries[3].size, ==, 3 * GiB);
}

static void test_initrd_too_big(void)
{
    PVHLayout lay;

    g_assert_cmpint(layout(&lay, 128 * MiB, 10, 100 * MiB), ==,
                    PVH_LAYOUT_NO_ROOM_INITRD);
}

static void test_segment_outside_ram(void)
{
    PVHLayout lay;

    /* The kernel's second segment ends at 56 MiB */
    g_assert_cmpint(layout(&lay, 48 * MiB, 10, 0), ==,
                    PVH_LAYOUT_SEGMENT_NOT_IN_RAM);
    g_assert_cmpint(lay.err_index, ==, 1);
}

static void test_segment_in_hole(void)
{
    PVHRange e820[] = { { 0, 128 * MiB, PVH_E820_RAM } };
    PVHElfImage img;
    PVHLayout lay;
    g_autofree char *msg = NULL;

    linux_like(&img);
    img.segments[0].paddr = 0xc0000;
    img.segments[0].memsz = 0x1000;
    pvh_layout_init(&lay, e820, 1);
    g_assert_cmpint(pvh_layout_check_kernel(&lay, &img), ==,
                    PVH_LAYOUT_SEGMENT_NOT_IN_RAM);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 1, 0), ==,
                    PVH_LAYOUT_SEGMENT_NOT_IN_RAM);
    msg = pvh_layout_describe(PVH_LAYOUT_SEGMENT_NOT_IN_RAM, &lay);
    g_assert_nonnull(strstr(msg, "segment 0 (address 0xc0000"));
}

/* A kernel sitting on 0x6000 pushes the structures elsewhere */
static void test_kernel_on_preferred(void)
{
    PVHRange e820[] = { { 0, 128 * MiB, PVH_E820_RAM } };
    PVHElfImage img;
    PVHLayout lay;

    linux_like(&img);
    img.segments[0] = (PVHSegment) { 0x1000, 0x1000, 0x30000, 0x30000 };
    img.entry = 0x1000;
    pvh_layout_init(&lay, e820, 1);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 64, 4096), ==,
                    PVH_LAYOUT_OK);
    g_assert_cmphex(lay.start_info, !=, 0x6000);
    check_rules(&lay, &img);
}

static void test_reserved_cut_out(void)
{
    PVHRange e820[] = { { 0, 128 * MiB, PVH_E820_RAM },
                        { 0xfeffc000, 0x4000, PVH_E820_RESERVED } };
    PVHElfImage img;
    PVHLayout lay;

    linux_like(&img);
    pvh_layout_init(&lay, e820, 2);
    g_assert_cmpint(pvh_layout_reserve(&lay, 127 * MiB, MiB, PVH_E820_ACPI),
                    ==, PVH_LAYOUT_OK);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, MiB), ==,
                    PVH_LAYOUT_OK);
    /* RAM 0-640K, hole, RAM 1M-127M, ACPI 127M-128M, reserved */
    g_assert_cmpuint(lay.nr_memmap, ==, 5);
    g_assert_cmphex(lay.memmap_entries[2].size, ==, 126 * MiB);
    g_assert_cmpuint(lay.memmap_entries[3].type, ==, PVH_E820_ACPI);
    g_assert_cmphex(lay.memmap_entries[3].addr, ==, 127 * MiB);
    g_assert_cmpuint(lay.memmap_entries[4].type, ==, PVH_E820_RESERVED);
    g_assert_cmphex(lay.initrd + lay.initrd_size, <=, 127 * MiB);
    check_rules(&lay, &img);
}

static void test_memmap_too_big(void)
{
    PVHRange e820[PVH_LAYOUT_MAX_INPUT];
    PVHElfImage img;
    PVHLayout lay;
    unsigned i;

    linux_like(&img);
    e820[0] = (PVHRange) { 0, 128 * MiB, PVH_E820_RAM };
    for (i = 1; i < PVH_LAYOUT_MAX_INPUT; i++) {
        e820[i] = (PVHRange) { 8 * GiB + i * 2 * MiB, MiB, PVH_E820_RAM };
    }
    pvh_layout_init(&lay, e820, PVH_LAYOUT_MAX_INPUT);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, 0), ==,
                    PVH_LAYOUT_MEMMAP_TOO_BIG);
    g_assert_cmpint(pvh_layout_init(&lay, e820, PVH_LAYOUT_MAX_INPUT + 1),
                    ==, PVH_LAYOUT_TOO_MANY_E820);
}

/* A kernel of one segment at @paddr, 0x10000 bytes, in 0x226000 of RAM */
static PVHLayoutError place_tables(PVHLayout *lay, PVHElfImage *img,
                                   uint64_t paddr, uint64_t memsz,
                                   uint64_t tables)
{
    PVHRange e820[] = { { 0, 0x226000, PVH_E820_RAM } };

    linux_like(img);
    img->nr_segments = 1;
    img->segments[0] = (PVHSegment) { 0x1000, paddr, 0x1000, memsz };
    img->entry = paddr;
    pvh_layout_init(lay, e820, 1);
    lay->tables_size = tables;
    lay->tables_pref = 0x226000 - tables;
    return pvh_layout_place(lay, img, 10, 0);
}

/*
 * The tables go where firmware put them, at the top of RAM below 4 GiB,
 * unless the kernel is there: then as high as they fit clear of it.
 */
static void test_tables_area(void)
{
    PVHElfImage img;
    PVHLayout lay;

    g_assert_cmpint(place_tables(&lay, &img, 0x100000, 0x10000, 0x28000),
                    ==, PVH_LAYOUT_OK);
    g_assert_cmphex(lay.tables, ==, 0x1fe000);
    check_rules(&lay, &img);

    /* -m 2200K, a kernel at 2 MiB: the preferred place is taken */
    g_assert_cmpint(place_tables(&lay, &img, 0x200000, 0x10000, 0x28000),
                    ==, PVH_LAYOUT_OK);
    g_assert_cmphex(lay.tables, ==, 0x200000 - 0x28000);
    g_assert_cmpuint(lay.memmap_entries[2].type, ==, PVH_E820_RAM);
    g_assert_cmphex(lay.memmap_entries[2].size, ==, 0x1d8000 - 0x100000);
    g_assert_cmpuint(lay.memmap_entries[3].type, ==, PVH_E820_ACPI);
    g_assert_cmphex(lay.memmap_entries[3].addr, ==, 0x1d8000);
    check_rules(&lay, &img);

    /*
     * No room anywhere: the kernel fills RAM above 1 MiB, and 640 KiB of
     * tables cannot fit below 640 KiB (the first page is never used)
     */
    g_assert_cmpint(place_tables(&lay, &img, 0x100000, 0x126000, 0xa0000),
                    ==, PVH_LAYOUT_NO_ROOM_TABLES);
}

/* Linux 6.12: 16 MiB, relocatable within 2 MiB alignment, below 1 GiB */
static void linux_reloc(PVHElfImage *img)
{
    linux_like(img);
    img->segments[0].paddr = 16 * MiB;
    img->segments[1].paddr = 36 * MiB;
    img->entry = 16 * MiB + 0x1234;
    img->reloc = true;
    img->reloc_align = 2 * MiB;
    img->reloc_min = 16 * MiB;
    img->reloc_max = GiB - 1;
}

static bool segments_clear(const PVHLayout *lay, const PVHElfImage *img)
{
    unsigned i, j;

    for (i = 0; i < img->nr_segments; i++) {
        uint64_t a = img->segments[i].paddr + lay->kernel_delta;

        for (j = 0; j < lay->nr_memmap; j++) {
            const PVHRange *m = &lay->memmap_entries[j];

            if (a < m->addr + m->size && m->addr < a + img->segments[i].memsz &&
                (m->type != PVH_E820_RAM || a < m->addr ||
                 a + img->segments[i].memsz > m->addr + m->size)) {
                return false;
            }
        }
    }
    return true;
}

/*
 * Where the kernel's own addresses are reserved, a relocatable kernel
 * goes to the lowest base of its range that fits; one without the note
 * gets the error.
 */
static void test_relocates_off_reserved(void)
{
    PVHRange e820[] = { { 0, 512 * MiB, PVH_E820_RAM } };
    PVHElfImage img;
    PVHLayout lay;

    linux_reloc(&img);
    pvh_layout_init(&lay, e820, 1);
    pvh_layout_reserve(&lay, 20 * MiB, MiB, PVH_E820_RESERVED);
    /* The firmware path never moves a kernel: refused there */
    g_assert_cmpint(pvh_layout_check_kernel(&lay, &img), ==,
                    PVH_LAYOUT_SEGMENT_ON_RESERVED);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, MiB), ==,
                    PVH_LAYOUT_OK);
    /* the image spans 16-56 MiB; the first base past 21 MiB is 22 MiB */
    g_assert_cmpint(lay.kernel_delta, ==, 6 * MiB);
    g_assert_true(segments_clear(&lay, &img));

    /* Nothing in its range fits: the whole range is reserved */
    pvh_layout_init(&lay, e820, 1);
    pvh_layout_reserve(&lay, 16 * MiB, 496 * MiB, PVH_E820_RESERVED);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, 0), ==,
                    PVH_LAYOUT_NO_ROOM_KERNEL);

    img.reloc = false;
    pvh_layout_init(&lay, e820, 1);
    pvh_layout_reserve(&lay, 20 * MiB, MiB, PVH_E820_RESERVED);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, 0), ==,
                    PVH_LAYOUT_SEGMENT_ON_RESERVED);
}

/*
 * KASLR, with fixed random inputs: aligned bases in the range, in RAM,
 * clear of everything, not all the same; a kernel without the note
 * stays where it was linked.
 */
static void test_kaslr(void)
{
    PVHRange e820[] = { { 0, 512 * MiB, PVH_E820_RAM } };
    uint64_t seen[16];
    unsigned i, distinct = 0, j;
    PVHElfImage img;
    PVHLayout lay;

    linux_reloc(&img);
    for (i = 0; i < ARRAY_SIZE(seen); i++) {
        pvh_layout_init(&lay, e820, 1);
        lay.kaslr = true;
        lay.kaslr_random = 0x9e3779b97f4a7c15ULL * (i + 1);
        lay.tables_size = 0x28000;
        lay.tables_pref = 512 * MiB - 0x28000;
        g_assert_cmpint(pvh_layout_place(&lay, &img, 64, MiB), ==,
                        PVH_LAYOUT_OK);
        seen[i] = 16 * MiB + lay.kernel_delta;
        g_assert_cmphex(seen[i] % (2 * MiB), ==, 0);
        g_assert_cmphex(seen[i], >=, 16 * MiB);
        g_assert_cmphex(seen[i] + pvh_elf_span(&img), <=, 512 * MiB);
        g_assert_true(segments_clear(&lay, &img));
        /* (512 - 16 - 40) / 2 + 1 bases, less what the rest took */
        g_assert_cmpuint(lay.kernel_slots, >, 200);
        g_assert_cmpuint(lay.kernel_slots, <=, 229);
        j = 0;
        while (j < i && seen[j] != seen[i]) {
            j++;
        }
        distinct += j == i;
    }
    g_assert_cmpuint(distinct, >=, 8);

    img.reloc = false;
    pvh_layout_init(&lay, e820, 1);
    lay.kaslr = true;
    lay.kaslr_random = 12345;
    g_assert_cmpint(pvh_layout_place(&lay, &img, 64, MiB), ==,
                    PVH_LAYOUT_OK);
    g_assert_cmpint(lay.kernel_delta, ==, 0);
}

/* A kernel on a range reserved before it is placed is refused */
static void test_segment_on_reserved(void)
{
    PVHRange e820[] = { { 0, 128 * MiB, PVH_E820_RAM } };
    g_autofree char *msg = NULL;
    PVHElfImage img;
    PVHLayout lay;

    linux_like(&img);
    pvh_layout_init(&lay, e820, 1);
    /* The firmware path's check: fits where linked, and claims nothing */
    g_assert_cmpint(pvh_layout_check_kernel(&lay, &img), ==, PVH_LAYOUT_OK);
    g_assert_cmpint(lay.nr_used, ==, 2);        /* page 0, the hole */
    pvh_layout_reserve(&lay, 40 * MiB, MiB, PVH_E820_ACPI);
    g_assert_cmpint(pvh_layout_check_kernel(&lay, &img), ==,
                    PVH_LAYOUT_SEGMENT_ON_RESERVED);
    g_assert_cmpint(pvh_layout_place(&lay, &img, 10, 0), ==,
                    PVH_LAYOUT_SEGMENT_ON_RESERVED);
    msg = pvh_layout_describe(PVH_LAYOUT_SEGMENT_ON_RESERVED, &lay);
    g_assert_cmpstr(msg, ==, "segment 1 overlaps memory reserved at "
                    "0x2800000 (0x100000 bytes)");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/layout/golden", test_golden);
    g_test_add_func("/layout/cmdline-100000", test_cmdline_100000);
    g_test_add_func("/layout/cmdline-moves-high", test_cmdline_moves_high);
    g_test_add_func("/layout/above-4g", test_memory_above_4g);
    g_test_add_func("/layout/initrd-too-big", test_initrd_too_big);
    g_test_add_func("/layout/segment-outside-ram",
                    test_segment_outside_ram);
    g_test_add_func("/layout/segment-in-hole", test_segment_in_hole);
    g_test_add_func("/layout/tables-area", test_tables_area);
    g_test_add_func("/layout/relocates-off-reserved",
                    test_relocates_off_reserved);
    g_test_add_func("/layout/kaslr", test_kaslr);
    g_test_add_func("/layout/segment-on-reserved",
                    test_segment_on_reserved);
    g_test_add_func("/layout/kernel-on-preferred",
                    test_kernel_on_preferred);
    g_test_add_func("/layout/reserved-cut-out", test_reserved_cut_out);
    g_test_add_func("/layout/memmap-too-big", test_memmap_too_big);
    return g_test_run();
}
