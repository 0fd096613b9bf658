/*
 * Direct kernel boot: PCI resources as firmware assigns them
 *
 * The BARs and bridge windows of a PCI bus tree placed in the root
 * bus's ranges, as PC firmware places them (see pci-resources.h): the
 * sizes are worked out from the leaves up, the addresses from the root
 * down.  An entry is a BAR or a bridge's window; on each bus, the
 * entries of one kind are packed in decreasing alignment (every BAR's
 * alignment is its size, a power of two), so none needs padding but
 * the windows, which are rounded up to their granularity.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "pci-resources.h"

typedef struct Entry {
    uint64_t size, align;
    uint8_t kind;
    int bar;        /* index in the BAR array, or -1 */
    int bus;        /* the bus behind the window, or -1 */
    unsigned order; /* among equal alignments, the first found first */
} Entry;

typedef struct Tree {
    PVHPciBus *buses;
    unsigned nr_buses;
    PVHPciBar *bars;
    unsigned nr_bars;
} Tree;

static uint64_t window_granularity(unsigned kind)
{
    return kind == PVH_PCI_IO ? PVH_PCI_IO_WINDOW_MIN : PVH_PCI_MEM_WINDOW_MIN;
}

/* The BARs of @kind on bus @b and the windows of @kind of its bridges */
static GArray *entries_of(const Tree *t, unsigned b, unsigned kind)
{
    GArray *a = g_array_new(false, false, sizeof(Entry));
    unsigned i;

    for (i = 0; i < t->nr_bars; i++) {
        if (t->bars[i].bus == b && t->bars[i].kind == kind) {
            Entry e = { t->bars[i].size, t->bars[i].size, kind, i, -1, a->len };
            g_array_append_val(a, e);
        }
    }
    for (i = b + 1; i < t->nr_buses; i++) {
        if (t->buses[i].parent == (int)b && t->buses[i].size[kind]) {
            Entry e = { t->buses[i].size[kind], t->buses[i].align[kind],
                        kind, -1, i, a->len };
            g_array_append_val(a, e);
        }
    }
    return a;
}

static gint by_alignment(gconstpointer pa, gconstpointer pb)
{
    const Entry *a = pa, *b = pb;

    if (a->align != b->align) {
        return a->align > b->align ? -1 : 1;
    }
    if (a->size != b->size) {
        return a->size > b->size ? -1 : 1;
    }
    if ((a->bus < 0) != (b->bus < 0)) {
        return a->bus < 0 ? 1 : -1;     /* windows first */
    }
    if (a->bus >= 0) {                  /* windows: the last bridge first */
        return a->order > b->order ? -1 : a->order < b->order;
    }
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Bytes the entries take packed from an address aligned for them all */
static uint64_t packed_size(GArray *a, uint64_t *align)
{
    uint64_t end = 0;
    unsigned i;

    g_array_sort(a, by_alignment);
    *align = 1;
    for (i = 0; i < a->len; i++) {
        const Entry *e = &g_array_index(a, Entry, i);

        end = QEMU_ALIGN_UP(end, e->align) + e->size;
        *align = MAX(*align, e->align);
    }
    return end;
}

/* A 64-bit BAR, or a bridge's window that holds nothing else */
static bool entry_above_4g_ok(const Tree *t, const Entry *e)
{
    if (e->bar >= 0) {
        return t->bars[e->bar].is64;
    }
    return e->kind == PVH_PCI_PREF && t->buses[e->bus].above_4g;
}

/* From the leaves up: each bridge's windows, which its parent places */
static void size_windows(const Tree *t)
{
    unsigned b, kind, i;

    for (b = t->nr_buses - 1; b > 0; b--) {
        PVHPciBus *bus = &t->buses[b];

        for (kind = 0; kind < PVH_PCI_KINDS; kind++) {
            g_autoptr(GArray) a = entries_of(t, b, kind);
            uint64_t gran = window_granularity(kind);
            uint64_t align, size = packed_size(a, &align);

            align = MAX(align, gran);
            if (bus->reserve[kind] > size) {
                size = bus->reserve[kind];
            } else if (!size && bus->hotplug &&
                       (kind != PVH_PCI_IO || bus->hotplug_io)) {
                size = gran;
            }
            /* (a multiple of its largest entry's alignment, as firmware's) */
            bus->size[kind] = QEMU_ALIGN_UP(size, align);
            bus->align[kind] = align;
            if (kind == PVH_PCI_PREF) {
                bus->above_4g = bus->pref64 && !bus->pref32 &&
                    bus->size[kind];
                for (i = 0; i < a->len; i++) {
                    bus->above_4g &=
                        entry_above_4g_ok(t, &g_array_index(a, Entry, i));
                }
            }
        }
    }
}

static void place_bus(const Tree *t, unsigned b, unsigned kind,
                      uint64_t base);

/* The entries packed from @base, and what is behind each window */
static void place_entries(const Tree *t, GArray *a, uint64_t base)
{
    uint64_t addr = base;
    unsigned i;

    g_array_sort(a, by_alignment);
    for (i = 0; i < a->len; i++) {
        const Entry *e = &g_array_index(a, Entry, i);

        addr = QEMU_ALIGN_UP(addr, e->align);
        if (e->bar >= 0) {
            t->bars[e->bar].addr = addr;
        } else {
            t->buses[e->bus].base[e->kind] = addr;
            place_bus(t, e->bus, e->kind, addr);
        }
        addr += e->size;
    }
}

static void place_bus(const Tree *t, unsigned b, unsigned kind,
                      uint64_t base)
{
    g_autoptr(GArray) a = entries_of(t, b, kind);

    place_entries(t, a, base);
}

/* Leave every BAR and window of @kind unassigned and closed */
static void leave_unassigned(const Tree *t, unsigned kind)
{
    unsigned i;

    for (i = 0; i < t->nr_bars; i++) {
        if (t->bars[i].kind == kind) {
            t->bars[i].addr = PVH_PCI_UNASSIGNED;
        }
    }
    for (i = 1; i < t->nr_buses; i++) {
        t->buses[i].base[kind] = 0;
        t->buses[i].size[kind] = 0;
    }
}

static bool place_root_io(const Tree *t, const PVHPciSpace *sp)
{
    g_autoptr(GArray) a = entries_of(t, 0, PVH_PCI_IO);
    uint64_t align, size = packed_size(a, &align);
    uint64_t base = PVH_PCI_IO_HIGH;

    if (!size) {
        return true;
    }
    if (PVH_PCI_IO_HIGH_END - base < size) {
        base = QEMU_ALIGN_UP(sp->io_start, align);
        if (base >= sp->io_end || sp->io_end - base < size) {
            return false;
        }
    }
    place_entries(t, a, base);
    return true;
}

/* Move the entries that may live above 4 GiB from @a to @high */
static void take_64bit(const Tree *t, GArray *a, GArray *high)
{
    unsigned i = 0;

    while (i < a->len) {
        const Entry *e = &g_array_index(a, Entry, i);

        if (entry_above_4g_ok(t, e)) {
            g_array_append_val(high, *e);
            g_array_remove_index(a, i);
        } else {
            i++;
        }
    }
}

/*
 * The root bus's memory: both ranges at the top of the 32-bit hole, or,
 * with @use_high, what can go above 4 GiB in the 64-bit hole
 */
static bool place_root_memory(const Tree *t, const PVHPciSpace *sp,
                              bool use_high)
{
    g_autoptr(GArray) mem = entries_of(t, 0, PVH_PCI_MEM);
    g_autoptr(GArray) pref = entries_of(t, 0, PVH_PCI_PREF);
    g_autoptr(GArray) high = g_array_new(false, false, sizeof(Entry));
    GArray *first, *second;
    uint64_t a1, a2, ah, s1, s2, sh, b1, b2, bh = 0;

    if (use_high) {
        take_64bit(t, mem, high);
        take_64bit(t, pref, high);
    }
    /*
     * At the top, the range that wastes the least aligned down: the one
     * with the smaller alignment, the prefetchable one if neither
     */
    first = pref;
    second = mem;
    s1 = packed_size(first, &a1);
    s2 = packed_size(second, &a2);
    if (a2 < a1) {
        first = mem;
        second = pref;
        s1 = packed_size(first, &a1);
        s2 = packed_size(second, &a2);
    }
    sh = packed_size(high, &ah);
    if (sp->mem_end < sp->mem_start || sp->mem_end - sp->mem_start < s1) {
        return false;
    }
    b1 = QEMU_ALIGN_DOWN(sp->mem_end - s1, a1);
    if (b1 < sp->mem_start || b1 - sp->mem_start < s2) {
        return false;
    }
    b2 = QEMU_ALIGN_DOWN(b1 - s2, a2);
    if (b2 < sp->mem_start) {
        return false;
    }
    if (sh) {
        bh = QEMU_ALIGN_UP(sp->mem64_start, ah);
        if (sp->mem64_start >= sp->mem64_end || bh < sp->mem64_start ||
            bh >= sp->mem64_end || sp->mem64_end - bh < sh) {
            return false;
        }
    }
    place_entries(t, first, b1);
    place_entries(t, second, b2);
    place_entries(t, high, bh);
    return true;
}

bool pvh_pci_resources_assign(PVHPciBus *buses, unsigned nr_buses,
                              PVHPciBar *bars, unsigned nr_bars,
                              const PVHPciSpace *space)
{
    const Tree t = { buses, nr_buses, bars, nr_bars };
    bool ok = true;
    unsigned i, kind;

    for (i = 0; i < nr_bars; i++) {
        bars[i].addr = PVH_PCI_UNASSIGNED;
    }
    for (i = 0; i < nr_buses; i++) {
        for (kind = 0; kind < PVH_PCI_KINDS; kind++) {
            buses[i].base[kind] = buses[i].size[kind] = 0;
        }
        buses[i].above_4g = false;
    }
    if (!nr_buses) {
        return true;
    }
    size_windows(&t);
    if (!place_root_io(&t, space)) {
        leave_unassigned(&t, PVH_PCI_IO);
        ok = false;
    }
    if (!place_root_memory(&t, space, false) &&
        !place_root_memory(&t, space, true)) {
        leave_unassigned(&t, PVH_PCI_MEM);
        leave_unassigned(&t, PVH_PCI_PREF);
        ok = false;
    }
    return ok;
}
