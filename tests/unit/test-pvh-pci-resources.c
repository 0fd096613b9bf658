/*
 * PCI resources as firmware assigns them: pvh_pci_resources_assign()
 * on small bus trees, and on random ones against the rules every
 * assignment must keep
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/i386/pvh/pci-resources.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define BAR(b, k, w, s) { .bus = (b), .kind = (k), .is64 = (w), .size = (s) }

/* -M pc with 128 MiB: the 32-bit hole up to the IOAPIC, 32 GiB above */
static const PVHPciSpace pc_space = {
    .io_start = 0x1000, .io_end = 0xa000,
    .mem_start = 128 * MiB, .mem_end = 0xfec00000,
    .mem64_start = 4 * GiB, .mem64_end = 36 * GiB,
};

static bool inside(uint64_t a, uint64_t s, uint64_t base, uint64_t size)
{
    return a >= base && s <= size && a - base <= size - s;
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* Where an entry must be: its parent bus's window, or the root's ranges */
static bool in_parent(const PVHPciBus *buses, unsigned b, unsigned kind,
                      uint64_t addr, uint64_t size, const PVHPciSpace *sp)
{
    if (b) {
        return inside(addr, size, buses[b].base[kind], buses[b].size[kind]);
    }
    if (kind == PVH_PCI_IO) {
        return inside(addr, size, sp->io_start, sp->io_end - sp->io_start) ||
            inside(addr, size, PVH_PCI_IO_HIGH,
                   PVH_PCI_IO_HIGH_END - PVH_PCI_IO_HIGH);
    }
    return inside(addr, size, sp->mem_start, sp->mem_end - sp->mem_start) ||
        inside(addr, size, sp->mem64_start, sp->mem64_end - sp->mem64_start);
}

/*
 * Every placed BAR aligned, inside its bus's window of its kind, apart
 * from every other BAR; every open window inside its parent's, apart
 * from its siblings'; 32-bit BARs and windows below 4 GiB
 */
static void check_rules(const PVHPciBus *buses, unsigned nr_buses,
                        const PVHPciBar *bars, unsigned nr_bars,
                        const PVHPciSpace *sp)
{
    unsigned i, j, k;

    for (i = 0; i < nr_bars; i++) {
        const PVHPciBar *r = &bars[i];

        if (r->addr == PVH_PCI_UNASSIGNED) {
            continue;
        }
        g_assert_cmphex(r->addr % r->size, ==, 0);
        g_assert_true(in_parent(buses, r->bus, r->kind, r->addr, r->size,
                                sp));
        if (!r->is64) {
            g_assert_cmphex(r->addr + r->size, <=, 4 * GiB);
        }
        for (j = 0; j < i; j++) {
            if (bars[j].addr != PVH_PCI_UNASSIGNED &&
                (bars[j].kind == PVH_PCI_IO) == (r->kind == PVH_PCI_IO)) {
                g_assert_false(overlap(r->addr, r->size, bars[j].addr,
                                       bars[j].size));
            }
        }
    }
    for (i = 1; i < nr_buses; i++) {
        for (k = 0; k < PVH_PCI_KINDS; k++) {
            if (!buses[i].size[k]) {
                continue;
            }
            g_assert_true(in_parent(buses, buses[i].parent, k,
                                    buses[i].base[k], buses[i].size[k], sp));
            g_assert_cmphex(buses[i].base[k] %
                            (k == PVH_PCI_IO ? 0x1000 : 2 * MiB), ==, 0);
            if (k != PVH_PCI_PREF || !buses[i].pref64 || buses[i].pref32) {
                g_assert_cmphex(buses[i].base[k] + buses[i].size[k], <=,
                                4 * GiB);
            }
            for (j = 1; j < i; j++) {
                if (buses[j].parent == buses[i].parent && buses[j].size[k]) {
                    g_assert_false(overlap(buses[i].base[k], buses[i].size[k],
                                           buses[j].base[k],
                                           buses[j].size[k]));
                }
            }
            /* A window apart from the BARs on its own parent bus */
            for (j = 0; j < nr_bars; j++) {
                if ((int)bars[j].bus == buses[i].parent && bars[j].kind == k &&
                    bars[j].addr != PVH_PCI_UNASSIGNED) {
                    g_assert_false(overlap(buses[i].base[k], buses[i].size[k],
                                           bars[j].addr, bars[j].size));
                }
            }
        }
    }
}

/*
 * -M pc's default devices: the addresses PC firmware gives them (IDE
 * bus master ports, e1000, VGA framebuffer, registers and ROMs)
 */
static void test_pc_defaults(void)
{
    PVHPciBus buses[1] = { { .parent = -1 } };
    PVHPciBar bars[] = {
        BAR(0, PVH_PCI_IO, false, 16),           /* PIIX IDE BAR4 */
        BAR(0, PVH_PCI_PREF, false, 16 * MiB),   /* VGA framebuffer */
        BAR(0, PVH_PCI_MEM, false, 4096),        /* VGA registers */
        BAR(0, PVH_PCI_MEM, false, 64 * 1024),   /* VGA ROM */
        BAR(0, PVH_PCI_MEM, false, 128 * 1024),  /* e1000 */
        BAR(0, PVH_PCI_IO, false, 64),           /* e1000 */
        BAR(0, PVH_PCI_MEM, false, 256 * 1024),  /* e1000 ROM */
    };

    g_assert_true(pvh_pci_resources_assign(buses, 1, bars, ARRAY_SIZE(bars),
                                           &pc_space));
    g_assert_cmphex(bars[5].addr, ==, 0xc000);
    g_assert_cmphex(bars[0].addr, ==, 0xc040);
    g_assert_cmphex(bars[6].addr, ==, 0xfeb80000);
    g_assert_cmphex(bars[4].addr, ==, 0xfebc0000);
    g_assert_cmphex(bars[3].addr, ==, 0xfebe0000);
    g_assert_cmphex(bars[2].addr, ==, 0xfebf0000);
    g_assert_cmphex(bars[1].addr, ==, 0xfd000000);
    check_rules(buses, 1, bars, ARRAY_SIZE(bars), &pc_space);
}

/* A bridge with a device behind it, and an empty hot-plug bridge */
static void test_bridges(void)
{
    PVHPciBus buses[] = {
        { .parent = -1 },
        { .parent = 0 },
        { .parent = 0, .hotplug = true, .pref64 = true },
    };
    PVHPciBar bars[] = {
        BAR(1, PVH_PCI_MEM, false, 4096),
        BAR(1, PVH_PCI_IO, false, 256),
        BAR(0, PVH_PCI_MEM, false, 256),         /* the bridge's own BAR */
    };

    g_assert_true(pvh_pci_resources_assign(buses, 3, bars, 3, &pc_space));
    g_assert_cmphex(buses[1].size[PVH_PCI_MEM], ==, 2 * MiB);
    g_assert_cmphex(buses[1].size[PVH_PCI_IO], ==, 0x1000);
    g_assert_cmphex(buses[1].size[PVH_PCI_PREF], ==, 0);
    g_assert_cmphex(buses[1].base[PVH_PCI_IO], ==, 0xc000);
    g_assert_cmphex(bars[1].addr, ==, 0xc000);
    g_assert_cmphex(bars[0].addr, ==, buses[1].base[PVH_PCI_MEM]);
    /* Hot-plug: memory windows open, I/O closed (a PCIe port's is) */
    g_assert_cmphex(buses[2].size[PVH_PCI_MEM], ==, 2 * MiB);
    g_assert_cmphex(buses[2].size[PVH_PCI_PREF], ==, 2 * MiB);
    g_assert_cmphex(buses[2].size[PVH_PCI_IO], ==, 0);
    g_assert_cmphex(buses[2].base[PVH_PCI_PREF], <, 4 * GiB);
    check_rules(buses, 3, bars, 3, &pc_space);
}

/*
 * Hot-plug bridges that ask for more (QEMU's resource reserve
 * capability: pcie-root-port's mem-reserve, pref64-reserve), or for
 * nothing
 */
static void test_reserve(void)
{
    PVHPciBus buses[] = {
        { .parent = -1 },
        { .parent = 0, .hotplug = true, .pref64 = true,
          .reserve = { 0, 8 * MiB } },
        { .parent = 0, .hotplug = true, .pref64 = true,
          .reserve = { 0, 0, 64 * MiB } },
        { .parent = 0 },
    };
    PVHPciBar bars[] = { BAR(1, PVH_PCI_MEM, false, 16 * MiB) };

    g_assert_true(pvh_pci_resources_assign(buses, 4, bars, 1, &pc_space));
    g_assert_cmphex(buses[1].size[PVH_PCI_MEM], ==, 16 * MiB);
    g_assert_cmphex(buses[1].size[PVH_PCI_PREF], ==, 2 * MiB);
    g_assert_cmphex(buses[2].size[PVH_PCI_MEM], ==, 2 * MiB);
    g_assert_cmphex(buses[2].size[PVH_PCI_PREF], ==, 64 * MiB);
    g_assert_cmphex(buses[2].base[PVH_PCI_PREF], <, 4 * GiB);
    g_assert_cmphex(buses[3].size[PVH_PCI_MEM], ==, 0);
    g_assert_cmphex(buses[3].size[PVH_PCI_PREF], ==, 0);
    g_assert_cmphex(buses[3].size[PVH_PCI_IO], ==, 0);
    buses[1].reserve[PVH_PCI_MEM] = 8 * MiB;
    bars[0].size = 4 * MiB;
    g_assert_true(pvh_pci_resources_assign(buses, 4, bars, 1, &pc_space));
    g_assert_cmphex(buses[1].size[PVH_PCI_MEM], ==, 8 * MiB);
    check_rules(buses, 4, bars, 1, &pc_space);
}

/*
 * What SeaBIOS 1.16.3 leaves (QEMU's `info pci` after it): a window is
 * a multiple of its largest entry's alignment (a 64 MiB BAR and a
 * 16 KiB one take 128 MiB); an I/O reserve is kept; an empty bridge
 * with an SHPC gets an I/O window, a PCI Express port none; with the
 * memory and prefetchable ranges equally aligned, the prefetchable one
 * is on top
 */
static void test_firmware_sizes(void)
{
    PVHPciBus buses[] = {
        { .parent = -1 },
        { .parent = 0, .hotplug = true, .hotplug_io = true, .pref64 = true },
        { .parent = 0, .hotplug = true, .pref64 = true,
          .reserve = { 8 * 1024 } },
        { .parent = 0, .hotplug = true, .hotplug_io = true },
        { .parent = 0, .hotplug = true },
    };
    PVHPciBar bars[] = {
        BAR(1, PVH_PCI_PREF, true, 64 * MiB),
        BAR(1, PVH_PCI_PREF, true, 16 * 1024),
        BAR(2, PVH_PCI_IO, false, 32),
    };

    g_assert_true(pvh_pci_resources_assign(buses, 5, bars, 3, &pc_space));
    g_assert_cmphex(buses[1].size[PVH_PCI_PREF], ==, 128 * MiB);
    g_assert_cmphex(buses[1].base[PVH_PCI_PREF] % (64 * MiB), ==, 0);
    g_assert_cmphex(buses[2].size[PVH_PCI_IO], ==, 8 * 1024);
    g_assert_cmphex(buses[3].size[PVH_PCI_IO], ==, 0x1000);
    g_assert_cmphex(buses[4].size[PVH_PCI_IO], ==, 0);
    g_assert_cmphex(buses[4].size[PVH_PCI_MEM], ==, 2 * MiB);
    check_rules(buses, 5, bars, 3, &pc_space);

    /* Only hot-plug windows, 2 MiB each: the prefetchable ones on top */
    bars[0].size = bars[1].size = 0;
    g_assert_true(pvh_pci_resources_assign(buses, 5, bars, 0, &pc_space));
    g_assert_cmphex(buses[1].base[PVH_PCI_PREF], >,
                    buses[1].base[PVH_PCI_MEM]);
    g_assert_cmphex(buses[4].base[PVH_PCI_PREF], >,
                    buses[1].base[PVH_PCI_MEM]);
    check_rules(buses, 5, bars, 0, &pc_space);
}

/*
 * 64-bit BARs that do not fit below 4 GiB go above it, on the root bus
 * and behind a bridge with a 64-bit prefetchable window; the 32-bit
 * ones stay below
 */
static void test_above_4g(void)
{
    PVHPciBus buses[] = {
        { .parent = -1 },
        { .parent = 0, .pref64 = true },
        { .parent = 0 },
    };
    PVHPciBar bars[] = {
        BAR(0, PVH_PCI_PREF, true, 4 * GiB),     /* ivshmem-plain, 4 GiB */
        BAR(0, PVH_PCI_MEM, false, 4096),
        BAR(1, PVH_PCI_PREF, true, 2 * GiB),
        BAR(2, PVH_PCI_PREF, true, 16 * MiB),    /* a 32-bit window */
    };

    g_assert_true(pvh_pci_resources_assign(buses, 3, bars, 4, &pc_space));
    g_assert_cmphex(bars[0].addr, ==, 4 * GiB);
    g_assert_cmphex(buses[1].base[PVH_PCI_PREF], ==, 8 * GiB);
    g_assert_cmphex(bars[2].addr, ==, 8 * GiB);
    g_assert_cmphex(bars[1].addr, <, 4 * GiB);
    g_assert_cmphex(bars[3].addr, <, 4 * GiB);
    check_rules(buses, 3, bars, 4, &pc_space);
}

/* Everything fits below 4 GiB: a 64-bit BAR stays there too */
static void test_64bit_fits_below(void)
{
    PVHPciBus buses[1] = { { .parent = -1 } };
    PVHPciBar bars[] = { BAR(0, PVH_PCI_PREF, true, 64 * MiB) };

    g_assert_true(pvh_pci_resources_assign(buses, 1, bars, 1, &pc_space));
    g_assert_cmphex(bars[0].addr, ==, 0xf8000000);
}

/*
 * No room: the kind that does not fit is left to the OS, the other is
 * placed; I/O that does not fit at 0xc000 starts lower
 */
static void test_no_room(void)
{
    PVHPciSpace sp = pc_space;
    PVHPciBus buses[1] = { { .parent = -1 } };
    PVHPciBar bars[] = {
        BAR(0, PVH_PCI_PREF, true, 8 * GiB),
        BAR(0, PVH_PCI_MEM, false, 4096),
        BAR(0, PVH_PCI_IO, false, 0x4000),
        BAR(0, PVH_PCI_IO, false, 0x2000),
    };

    sp.mem64_end = sp.mem64_start;
    g_assert_false(pvh_pci_resources_assign(buses, 1, bars, 4, &sp));
    g_assert_cmphex(bars[0].addr, ==, PVH_PCI_UNASSIGNED);
    g_assert_cmphex(bars[1].addr, ==, PVH_PCI_UNASSIGNED);
    g_assert_cmphex(bars[2].addr, ==, 0x4000);
    g_assert_cmphex(bars[3].addr, ==, 0x8000);

    sp.io_end = 0x6000;
    g_assert_false(pvh_pci_resources_assign(buses, 1, bars, 4, &sp));
    g_assert_cmphex(bars[2].addr, ==, PVH_PCI_UNASSIGNED);
    g_assert_cmphex(bars[3].addr, ==, PVH_PCI_UNASSIGNED);
    check_rules(buses, 1, bars, 4, &sp);
}

/* Random trees: whatever is placed keeps the rules */
static void test_random(void)
{
    GRand *rand = g_rand_new_with_seed(20261207);
    unsigned round;

    for (round = 0; round < 2000; round++) {
        PVHPciBus buses[8];
        PVHPciBar bars[40];
        unsigned nr_buses = g_rand_int_range(rand, 1, 9);
        unsigned nr_bars = g_rand_int_range(rand, 0, 41);
        unsigned i, k;

        memset(buses, 0, sizeof(buses));
        buses[0].parent = -1;
        for (i = 1; i < nr_buses; i++) {
            buses[i].parent = g_rand_int_range(rand, 0, i);
            buses[i].hotplug = g_rand_boolean(rand);
            buses[i].pref64 = g_rand_boolean(rand);
            buses[i].pref32 = g_rand_boolean(rand);
            for (k = PVH_PCI_MEM; k < PVH_PCI_KINDS; k++) {
                buses[i].reserve[k] = g_rand_boolean(rand) ? 0 :
                    1ULL << g_rand_int_range(rand, 20, 27);
            }
        }
        for (i = 0; i < nr_bars; i++) {
            bars[i].bus = g_rand_int_range(rand, 0, nr_buses);
            bars[i].kind = g_rand_int_range(rand, 0, PVH_PCI_KINDS);
            bars[i].is64 = bars[i].kind != PVH_PCI_IO &&
                g_rand_boolean(rand);
            bars[i].size = 1ULL << (bars[i].kind == PVH_PCI_IO ?
                                    g_rand_int_range(rand, 2, 11) :
                                    g_rand_int_range(rand, 12,
                                                     bars[i].is64 ? 34 : 30));
        }
        pvh_pci_resources_assign(buses, nr_buses, bars, nr_bars, &pc_space);
        check_rules(buses, nr_buses, bars, nr_bars, &pc_space);
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pvh/pci-resources/pc-defaults", test_pc_defaults);
    g_test_add_func("/pvh/pci-resources/bridges", test_bridges);
    g_test_add_func("/pvh/pci-resources/reserve", test_reserve);
    g_test_add_func("/pvh/pci-resources/firmware-sizes",
                    test_firmware_sizes);
    g_test_add_func("/pvh/pci-resources/above-4g", test_above_4g);
    g_test_add_func("/pvh/pci-resources/64bit-fits-below",
                    test_64bit_fits_below);
    g_test_add_func("/pvh/pci-resources/no-room", test_no_room);
    g_test_add_func("/pvh/pci-resources/random", test_random);
    return g_test_run();
}
