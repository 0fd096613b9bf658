/*
 * PVH direct boot: guest memory layout of the boot structures
 *
 * Rules (Xen's PVH ABI plus what Linux and FreeBSD need):
 *  - nothing at address 0 (0 means "absent" in start_info);
 *  - start_info, modlist and memmap in RAM below 1 GiB, low and
 *    together; start_info writable (Linux 6.12 uses it as its stack);
 *  - cmdline and initrd in RAM below 4 GiB;
 *  - nothing overlaps the kernel's [p_paddr, p_paddr + p_memsz), the
 *    640 KiB - 1 MiB hole or another structure, and the kernel overlaps
 *    no reserved range;
 *  - the host's tables (ACPI, SMBIOS) go where firmware put them, at the
 *    top of RAM below 4 GiB, unless the kernel is there: then as high
 *    as they fit below it;
 *  - the memmap describes the hole and has at most 127 entries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "layout.h"

#define PAGE        0x1000ULL
#define HOLE_START  0xa0000ULL
#define HOLE_END    0x100000ULL

static PVHLayoutError fail(PVHLayout *lay, PVHLayoutError err, int index,
                           uint64_t a, uint64_t b)
{
    lay->err_index = index;
    lay->err_a = a;
    lay->err_b = b;
    return err;
}

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static PVHLayoutError claim(PVHLayout *lay, uint64_t addr, uint64_t size)
{
    if (lay->nr_used == PVH_LAYOUT_MAX_USED) {
        return fail(lay, PVH_LAYOUT_TOO_MANY_RESERVED, -1, addr, size);
    }
    lay->used[lay->nr_used++] = (PVHRange) { addr, size, 0 };
    return PVH_LAYOUT_OK;
}

/* The used range that [addr, addr + size) hits, or NULL */
static const PVHRange *collision(const PVHLayout *lay, uint64_t addr,
                                 uint64_t size)
{
    unsigned i;

    for (i = 0; i < lay->nr_used; i++) {
        if (overlaps(addr, size, lay->used[i].addr, lay->used[i].size)) {
            return &lay->used[i];
        }
    }
    return NULL;
}

/* Is [addr, addr + size) inside one RAM entry of the e820 table? */
static bool in_ram(const PVHLayout *lay, uint64_t addr, uint64_t size)
{
    unsigned i;

    for (i = 0; i < lay->nr_e820; i++) {
        const PVHRange *r = &lay->e820[i];

        if (r->type == PVH_E820_RAM && addr >= r->addr &&
            addr - r->addr <= r->size && size <= r->size - (addr - r->addr)) {
            return true;
        }
    }
    return false;
}

static bool is_free(const PVHLayout *lay, uint64_t addr, uint64_t size)
{
    return in_ram(lay, addr, size) && !collision(lay, addr, size);
}

/* Lowest free, @align-aligned range of @size in RAM below @limit */
static uint64_t find_low(const PVHLayout *lay, uint64_t size, uint64_t align,
                         uint64_t limit)
{
    unsigned i;

    for (i = 0; i < lay->nr_e820; i++) {
        const PVHRange *r = &lay->e820[i];
        uint64_t end = MIN(r->addr + r->size, limit);
        uint64_t a = QEMU_ALIGN_UP(MAX(r->addr, PAGE), align);
        const PVHRange *c;

        if (r->type != PVH_E820_RAM) {
            continue;
        }
        while (a < end && size <= end - a) {
            c = collision(lay, a, size);
            if (!c) {
                return a;
            }
            a = QEMU_ALIGN_UP(c->addr + c->size, align);
        }
    }
    return 0;
}

/* Highest free, @align-aligned range of @size in RAM below @limit */
static uint64_t find_high(const PVHLayout *lay, uint64_t size,
                          uint64_t align, uint64_t limit)
{
    uint64_t best = 0;
    unsigned i;

    for (i = 0; i < lay->nr_e820; i++) {
        const PVHRange *r = &lay->e820[i];
        uint64_t end = MIN(r->addr + r->size, limit);
        uint64_t lo = MAX(r->addr, PAGE);
        const PVHRange *c;
        uint64_t a;

        if (r->type != PVH_E820_RAM || end < lo || end - lo < size) {
            continue;
        }
        a = QEMU_ALIGN_DOWN(end - size, align);
        while (a >= lo && a > best) {
            c = collision(lay, a, size);
            if (!c) {
                best = a;
                break;
            }
            if (c->addr < lo + size) {
                break;
            }
            a = QEMU_ALIGN_DOWN(c->addr - size, align);
        }
    }
    return best;
}

/* @pref if it is free, else the lowest free place below @limit */
static uint64_t place(PVHLayout *lay, uint64_t pref, uint64_t size,
                      uint64_t align, uint64_t limit)
{
    uint64_t a = pref;

    if (!(pref + size <= limit && is_free(lay, pref, size))) {
        a = find_low(lay, size, align, limit);
    }
    if (a && claim(lay, a, size) != PVH_LAYOUT_OK) {
        return 0;
    }
    return a;
}

PVHLayoutError pvh_layout_init(PVHLayout *lay, const PVHRange *e820,
                               unsigned nr)
{
    unsigned i;

    memset(lay, 0, sizeof(*lay));
    lay->err_index = -1;
    if (nr > PVH_LAYOUT_MAX_INPUT) {
        return fail(lay, PVH_LAYOUT_TOO_MANY_E820, -1, nr,
                    PVH_LAYOUT_MAX_INPUT);
    }
    for (i = 0; i < nr; i++) {
        lay->e820[i] = e820[i];
    }
    lay->nr_e820 = nr;
    /* Page 0 and the legacy hole are never ours to use. */
    claim(lay, 0, PAGE);
    claim(lay, HOLE_START, HOLE_END - HOLE_START);
    return PVH_LAYOUT_OK;
}

PVHLayoutError pvh_layout_reserve(PVHLayout *lay, uint64_t addr,
                                  uint64_t size, uint32_t type)
{
    if (lay->nr_e820 == PVH_LAYOUT_MAX_INPUT) {
        return fail(lay, PVH_LAYOUT_TOO_MANY_E820, -1, lay->nr_e820 + 1,
                    PVH_LAYOUT_MAX_INPUT);
    }
    lay->e820[lay->nr_e820++] = (PVHRange) { addr, size, type };
    return claim(lay, addr, size);
}

/*
 * Can the kernel's segments, moved by @delta, go there?  Returns the
 * index of the first that cannot, with why in @err, or -1 if all can.
 */
static int kernel_misfit(const PVHLayout *lay, const PVHElfImage *img,
                         int64_t delta, PVHLayoutError *err)
{
    unsigned i;

    for (i = 0; i < img->nr_segments; i++) {
        const PVHSegment *s = &img->segments[i];
        uint64_t a = s->paddr + delta;

        if (!in_ram(lay, a, s->memsz) ||
            overlaps(a, s->memsz, HOLE_START, HOLE_END - HOLE_START)) {
            *err = PVH_LAYOUT_SEGMENT_NOT_IN_RAM;
            return i;
        }
        if (collision(lay, a, s->memsz)) {
            *err = PVH_LAYOUT_SEGMENT_ON_RESERVED;
            return i;
        }
    }
    return -1;
}

/*
 * A relocatable kernel's candidate bases: first + k * align, k < *n.
 * The parser vouches for the note's values; they are checked again, so
 * that the layout stands on its own.
 */
static uint64_t reloc_first(const PVHElfImage *img, uint64_t *n)
{
    uint64_t align = img->reloc_align, span = pvh_elf_span(img);
    uint64_t first, last;

    *n = 0;
    if (align < 0x1000 || (align & (align - 1))) {
        return 0;
    }
    first = QEMU_ALIGN_UP((uint64_t)img->reloc_min, align);
    if (!span || first > img->reloc_max ||
        span > (uint64_t)img->reloc_max - first + 1) {
        return 0;
    }
    last = (uint64_t)img->reloc_max + 1 - span;
    *n = (QEMU_ALIGN_DOWN(last, align) - first) / align + 1;
    return first;
}

/*
 * Does the relocatable kernel fit at @base?  If not, *next is the next
 * base worth trying: past the obstacle that the first misfit hit.
 */
static bool reloc_fits(const PVHLayout *lay, const PVHElfImage *img,
                       uint64_t base, uint64_t *next)
{
    uint64_t img_base = pvh_elf_base(img), off, a, skip;
    PVHLayoutError err;
    int bad = kernel_misfit(lay, img, base - img_base, &err);
    const PVHRange *c;
    unsigned j;

    if (bad < 0 || !next) {
        return bad < 0;
    }
    off = img->segments[bad].paddr - img_base;
    a = base + off;
    c = collision(lay, a, img->segments[bad].memsz);
    if (overlaps(a, img->segments[bad].memsz, HOLE_START,
                 HOLE_END - HOLE_START)) {
        skip = HOLE_END - MIN(off, HOLE_END);
    } else if (err == PVH_LAYOUT_SEGMENT_NOT_IN_RAM) {
        /* On to the next RAM entry that starts above @a */
        skip = UINT64_MAX;
        for (j = 0; j < lay->nr_e820; j++) {
            const PVHRange *r = &lay->e820[j];

            if (r->type == PVH_E820_RAM && r->addr > a &&
                r->addr - MIN(off, r->addr) < skip) {
                skip = r->addr - MIN(off, r->addr);
            }
        }
    } else {
        skip = c->addr + c->size - MIN(off, c->addr + c->size);
    }
    *next = skip == UINT64_MAX ? UINT64_MAX :
            MAX(QEMU_ALIGN_UP(skip, img->reloc_align),
                base + img->reloc_align);
    return false;
}

/*
 * The base of a relocatable kernel.  Without KASLR, the lowest that
 * fits.  With it, one drawn uniformly from those that fit among at most
 * PVH_KASLR_SLOTS candidates spread evenly over the range (every
 * aligned base when there are no more): log2 of the count is the
 * entropy, lay->kernel_slots.  0 when none fits.
 */
#define PVH_KASLR_SLOTS 4096

static uint64_t reloc_base(PVHLayout *lay, const PVHElfImage *img)
{
    uint64_t fitmap[PVH_KASLR_SLOTS / 64] = { 0 };
    uint64_t n, k, fit = 0, want, next, step;
    uint64_t first = reloc_first(img, &n), last;

    if (!n) {
        return 0;
    }
    last = first + (n - 1) * img->reloc_align;
    if (!lay->kaslr) {
        for (k = first; k <= last; k = next) {
            if (reloc_fits(lay, img, k, &next)) {
                return k;
            }
        }
        return 0;
    }
    step = img->reloc_align * ((n + PVH_KASLR_SLOTS - 1) / PVH_KASLR_SLOTS);
    n = (last - first) / step + 1;
    for (k = 0; k < n; k++) {
        if (reloc_fits(lay, img, first + k * step, NULL)) {
            fitmap[k / 64] |= 1ULL << (k % 64);
            fit++;
        }
    }
    lay->kernel_slots = fit;
    want = fit ? lay->kaslr_random % fit : 0;
    for (k = 0; k < n && fit; k++) {
        if ((fitmap[k / 64] >> (k % 64) & 1) && !want--) {
            return first + k * step;
        }
    }
    return 0;
}

PVHLayoutError pvh_layout_check_kernel(PVHLayout *lay, const PVHElfImage *img)
{
    PVHLayoutError err = PVH_LAYOUT_OK;
    int bad = kernel_misfit(lay, img, 0, &err);
    const PVHSegment *s;
    const PVHRange *c;

    if (bad < 0) {
        return PVH_LAYOUT_OK;
    }
    s = &img->segments[bad];
    if (err == PVH_LAYOUT_SEGMENT_NOT_IN_RAM) {
        return fail(lay, err, bad, s->paddr, s->memsz);
    }
    c = collision(lay, s->paddr, s->memsz);
    return fail(lay, err, bad, c->addr, c->size);
}

static PVHLayoutError place_kernel(PVHLayout *lay, const PVHElfImage *img)
{
    PVHLayoutError err = PVH_LAYOUT_OK;
    int bad = kernel_misfit(lay, img, 0, &err);
    unsigned i;

    lay->kernel_delta = 0;
    if (img->reloc && (bad >= 0 || lay->kaslr)) {
        uint64_t base = reloc_base(lay, img);

        if (!base) {
            return fail(lay, PVH_LAYOUT_NO_ROOM_KERNEL, -1,
                        pvh_elf_span(img), img->reloc_max);
        }
        lay->kernel_delta = base - pvh_elf_base(img);
    } else if (bad >= 0) {
        return pvh_layout_check_kernel(lay, img);
    }
    for (i = 0; i < img->nr_segments; i++) {
        const PVHSegment *s = &img->segments[i];

        if (claim(lay, s->paddr + lay->kernel_delta, s->memsz) !=
            PVH_LAYOUT_OK) {
            return PVH_LAYOUT_TOO_MANY_RESERVED;
        }
    }
    return PVH_LAYOUT_OK;
}

static PVHLayoutError place_tables(PVHLayout *lay)
{
    uint64_t a = lay->tables_pref, size = lay->tables_size;

    if (!size) {
        return PVH_LAYOUT_OK;
    }
    if (!(a && a <= PVH_4G && size <= PVH_4G - a && is_free(lay, a, size))) {
        a = find_high(lay, size, PAGE, PVH_4G);
    }
    if (!a) {
        return fail(lay, PVH_LAYOUT_NO_ROOM_TABLES, -1, size, 0);
    }
    lay->tables = a;
    return pvh_layout_reserve(lay, a, size, PVH_E820_ACPI);
}

static PVHLayoutError place_structures(PVHLayout *lay, bool modules)
{
    if (lay->info_size) {
        lay->info = place(lay, lay->info_pref, lay->info_size, 16,
                          PVH_LOW_LIMIT);
        return lay->info ? PVH_LAYOUT_OK :
               fail(lay, PVH_LAYOUT_NO_ROOM_START_INFO, -1, 0, 0);
    }
    lay->start_info = place(lay, PVH_PREF_START_INFO, PVH_SI_SIZE, 8,
                            PVH_LOW_LIMIT);
    if (modules) {
        lay->modlist = place(lay, PVH_PREF_MODLIST, PVH_MOD_ENTRY_SIZE, 8,
                             PVH_LOW_LIMIT);
    }
    lay->memmap = place(lay, PVH_PREF_MEMMAP,
                        PVH_MEMMAP_MAX_ENTRIES * PVH_MEMMAP_ENTRY_SIZE, 8,
                        PVH_LOW_LIMIT);
    if (!lay->start_info || !lay->memmap || (modules && !lay->modlist)) {
        return fail(lay, PVH_LAYOUT_NO_ROOM_START_INFO, -1, 0, 0);
    }
    return PVH_LAYOUT_OK;
}

static PVHLayoutError place_initrd(PVHLayout *lay, uint64_t size)
{
    uint64_t limit = lay->initrd_limit ? lay->initrd_limit : PVH_4G;
    uint64_t a = find_high(lay, size, PAGE, limit);

    if (!a && lay->initrd_anywhere) {
        a = find_high(lay, size, PAGE, UINT64_MAX);
    }
    if (!a) {
        return fail(lay, PVH_LAYOUT_NO_ROOM_INITRD, -1, size, limit);
    }
    lay->initrd = a;
    lay->initrd_size = size;
    return claim(lay, a, size);
}

static PVHLayoutError add_memmap(PVHLayout *lay, uint64_t addr,
                                 uint64_t size, uint32_t type)
{
    if (size == 0) {
        return PVH_LAYOUT_OK;
    }
    if (lay->nr_memmap == PVH_MEMMAP_MAX_ENTRIES) {
        return fail(lay, PVH_LAYOUT_MEMMAP_TOO_BIG, -1,
                    PVH_MEMMAP_MAX_ENTRIES + 1, PVH_MEMMAP_MAX_ENTRIES);
    }
    lay->memmap_entries[lay->nr_memmap++] = (PVHRange) { addr, size, type };
    return PVH_LAYOUT_OK;
}

/*
 * QEMU's e820 table lists [0, below_4g) as one RAM entry; firmware used
 * to carve the legacy hole out of it.  Do the same, say so with a
 * reserved entry (FreeBSD does not add the hole itself), and sort.
 * A reserved range added by pvh_layout_reserve() is cut out of RAM.
 */
/*
 * The RAM of @r, less the legacy hole and the non-RAM entries that fall
 * inside it, as RAM entries of the memory map
 */
static PVHLayoutError add_ram(PVHLayout *lay, PVHRange r)
{
    PVHLayoutError err = PVH_LAYOUT_OK;
    uint64_t cut = r.addr, end = r.addr + r.size;
    unsigned j;

    while (!err && cut < end) {
        uint64_t next = end, resume = end;

        if (overlaps(cut, next - cut, HOLE_START, HOLE_END - HOLE_START)) {
            next = MAX(cut, HOLE_START);
            resume = MIN(HOLE_END, end);
        }
        for (j = 0; j < lay->nr_e820; j++) {
            const PVHRange *o = &lay->e820[j];

            if (o->type != PVH_E820_RAM && o->addr < next &&
                o->addr + o->size > cut) {
                next = MAX(cut, o->addr);
                resume = MIN(o->addr + o->size, end);
            }
        }
        err = add_memmap(lay, cut, next - cut, PVH_E820_RAM);
        cut = MAX(resume, next);
    }
    return err;
}

/* Insertion sort of the memory map by address: the table is small */
static void sort_memmap(PVHLayout *lay)
{
    unsigned i, j;

    for (i = 1; i < lay->nr_memmap; i++) {
        PVHRange t = lay->memmap_entries[i];

        for (j = i; j > 0 && lay->memmap_entries[j - 1].addr > t.addr; j--) {
            lay->memmap_entries[j] = lay->memmap_entries[j - 1];
        }
        lay->memmap_entries[j] = t;
    }
}

PVHLayoutError pvh_layout_update_memmap(PVHLayout *lay)
{
    PVHLayoutError err;
    unsigned i;

    lay->nr_memmap = 0;
    err = add_memmap(lay, HOLE_START, HOLE_END - HOLE_START,
                     PVH_E820_RESERVED);
    for (i = 0; i < lay->nr_e820 && !err; i++) {
        const PVHRange *r = &lay->e820[i];

        err = r->type == PVH_E820_RAM ? add_ram(lay, *r) :
              add_memmap(lay, r->addr, r->size, r->type);
    }
    sort_memmap(lay);
    return err;
}

PVHLayoutError pvh_layout_place(PVHLayout *lay, const PVHElfImage *img,
                                uint64_t cmdline_len, uint64_t initrd_size)
{
    PVHLayoutError err;

    err = place_kernel(lay, img);
    if (!err) {
        err = place_tables(lay);
    }
    if (!err) {
        err = place_structures(lay, initrd_size != 0);
    }
    if (!err) {
        /* A command line of any length that fits in RAM, NUL included */
        lay->cmdline_size = cmdline_len + 1;
        lay->cmdline = place(lay, PVH_PREF_CMDLINE, lay->cmdline_size, 16,
                             PVH_4G);
        if (!lay->cmdline) {
            err = fail(lay, PVH_LAYOUT_NO_ROOM_CMDLINE, -1, cmdline_len, 0);
        }
    }
    if (!err && initrd_size) {
        err = place_initrd(lay, initrd_size);
    }
    if (!err) {
        err = pvh_layout_update_memmap(lay);
    }
    return err;
}

/*
 * A message table, one case per error with its details: longer than
 * the 40 lines a pure function gets, on purpose (one place to read
 * every message).
 */
char *pvh_layout_describe(PVHLayoutError err, const PVHLayout *lay)
{
    switch (err) {
    case PVH_LAYOUT_OK:
        return g_strdup("no error");
    case PVH_LAYOUT_TOO_MANY_E820:
        return g_strdup_printf("memory map has %" PRIu64 " entries "
                               "(at most %" PRIu64 ")", lay->err_a,
                               lay->err_b);
    case PVH_LAYOUT_SEGMENT_NOT_IN_RAM:
        return g_strdup_printf("segment %d (address 0x%" PRIx64 ", 0x%" PRIx64
                               " bytes) is not in guest RAM",
                               lay->err_index, lay->err_a, lay->err_b);
    case PVH_LAYOUT_NO_ROOM_START_INFO:
        return g_strdup("no free RAM below 1 GiB for the boot information "
                        "(start_info and the memory map, or boot_params)");
    case PVH_LAYOUT_NO_ROOM_CMDLINE:
        return g_strdup_printf("no free RAM below 4 GiB for a command line "
                               "of %" PRIu64 " bytes", lay->err_a);
    case PVH_LAYOUT_NO_ROOM_INITRD:
        if (lay->err_b != PVH_4G) {
            return g_strdup_printf("initrd of %" PRIu64 " bytes does not fit "
                                   "in free RAM below 0x%" PRIx64 " (the "
                                   "kernel's initrd_addr_max)", lay->err_a,
                                   lay->err_b);
        }
        return g_strdup_printf("initrd of %" PRIu64 " bytes does not fit in "
                               "free RAM below 4 GiB", lay->err_a);
    case PVH_LAYOUT_TOO_MANY_RESERVED:
        return g_strdup("too many reserved ranges");
    case PVH_LAYOUT_MEMMAP_TOO_BIG:
        return g_strdup_printf("memory map needs more than %" PRIu64
                               " entries", lay->err_b);
    case PVH_LAYOUT_SEGMENT_ON_RESERVED:
        return g_strdup_printf("segment %d overlaps memory reserved at 0x%"
                               PRIx64 " (0x%" PRIx64 " bytes)",
                               lay->err_index, lay->err_a, lay->err_b);
    case PVH_LAYOUT_NO_ROOM_KERNEL:
        return g_strdup_printf("no free RAM for the relocatable kernel "
                               "(0x%" PRIx64 " bytes) in its range, up to "
                               "0x%" PRIx64, lay->err_a, lay->err_b);
    case PVH_LAYOUT_NO_ROOM_TABLES:
        return g_strdup_printf("no free RAM below 4 GiB for the %" PRIu64
                               " bytes of ACPI and SMBIOS tables", lay->err_a);
    }
    return g_strdup_printf("unknown error %d", err);
}

void pvh_layout_write_start_info(const PVHLayout *lay, uint8_t out[PVH_SI_SIZE])
{
    memset(out, 0, PVH_SI_SIZE);
    stl_le_p(out + PVH_SI_MAGIC, PVH_START_MAGIC);
    stl_le_p(out + PVH_SI_VERSION, PVH_START_VERSION);
    stl_le_p(out + PVH_SI_NR_MODULES, lay->initrd_size ? 1 : 0);
    stq_le_p(out + PVH_SI_MODLIST_PADDR, lay->initrd_size ? lay->modlist : 0);
    stq_le_p(out + PVH_SI_CMDLINE_PADDR, lay->cmdline);
    stq_le_p(out + PVH_SI_RSDP_PADDR, lay->rsdp);
    stq_le_p(out + PVH_SI_MEMMAP_PADDR, lay->memmap);
    stl_le_p(out + PVH_SI_MEMMAP_ENTRIES, lay->nr_memmap);
}

void pvh_layout_write_modlist(const PVHLayout *lay,
                              uint8_t out[PVH_MOD_ENTRY_SIZE])
{
    memset(out, 0, PVH_MOD_ENTRY_SIZE);
    stq_le_p(out + PVH_MOD_PADDR, lay->initrd);
    stq_le_p(out + PVH_MOD_SIZE, lay->initrd_size);
}

void pvh_layout_write_memmap(const PVHLayout *lay, uint8_t *out)
{
    unsigned i;

    for (i = 0; i < lay->nr_memmap; i++) {
        uint8_t *e = out + i * PVH_MEMMAP_ENTRY_SIZE;

        stq_le_p(e + PVH_MEMMAP_ADDR, lay->memmap_entries[i].addr);
        stq_le_p(e + PVH_MEMMAP_SIZE, lay->memmap_entries[i].size);
        stl_le_p(e + PVH_MEMMAP_TYPE, lay->memmap_entries[i].type);
        stl_le_p(e + PVH_MEMMAP_RESERVED, 0);
    }
}
