/*
 * Direct kernel boot: PCI resources as firmware assigns them (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_PCI_RESOURCES_H
#define HW_I386_PVH_PCI_RESOURCES_H

typedef enum PVHPciKind {
    PVH_PCI_IO,
    PVH_PCI_MEM,
    PVH_PCI_PREF,
    PVH_PCI_KINDS,
} PVHPciKind;

/* What a BAR's address is when there was no room for it */
#define PVH_PCI_UNASSIGNED      UINT64_MAX

/*
 * The granularity of bridge windows: the bridge's own for I/O; for
 * memory, PC firmware's 2 MiB (the bridge's is 1 MiB).  An empty
 * hot-plug bridge gets one granule of each memory window.
 */
#define PVH_PCI_IO_WINDOW_MIN   0x1000
#define PVH_PCI_MEM_WINDOW_MIN  0x200000
/* Where PC firmware puts the PCI I/O ports when they fit */
#define PVH_PCI_IO_HIGH         0xc000
#define PVH_PCI_IO_HIGH_END     0x10000

/*
 * A BAR (or expansion ROM BAR): @bus indexes the bus array, @size is a
 * power of two and the BAR's alignment, @addr is set
 */
typedef struct PVHPciBar {
    unsigned bus;
    uint8_t kind;
    bool is64;
    uint64_t size;
    uint64_t addr;
} PVHPciBar;

/*
 * A bus: the root (@parent -1, index 0) or the secondary bus of a
 * bridge on bus @parent, which has a smaller index.  @hotplug: firmware
 * keeps room behind the bridge for hot-plugged devices (a PCI Express
 * root or downstream port with a slot, or a bridge with an SHPC), so its
 * memory windows are open even when nothing is behind it yet, and its
 * I/O window too if @hotplug_io (the SHPC bridges); @pref64: its
 * prefetchable window decodes 64-bit addresses.  @reserve: windows the
 * bridge asks firmware to open at least this large (QEMU's resource
 * reserve capability; 0: not asked); @pref32: its prefetchable reserve
 * must stay below 4 GiB.
 * @base and @size are set: the bridge's windows (size 0: closed).
 */
typedef struct PVHPciBus {
    int parent;
    bool hotplug;
    bool hotplug_io;
    bool pref64;
    bool pref32;
    uint64_t reserve[PVH_PCI_KINDS];
    uint64_t base[PVH_PCI_KINDS];
    uint64_t size[PVH_PCI_KINDS];
    /* private */
    uint64_t align[PVH_PCI_KINDS];
    bool above_4g;
} PVHPciBus;

/*
 * The root bus's address ranges, [start, end): the I/O ports where
 * they go when they do not fit in [0xc000, 0x10000), the 32-bit PCI
 * hole, and the 64-bit one (empty when start >= end)
 */
typedef struct PVHPciSpace {
    uint64_t io_start, io_end;
    uint64_t mem_start, mem_end;
    uint64_t mem64_start, mem64_end;
} PVHPciSpace;

/**
 * pvh_pci_resources_assign: place every BAR and bridge window
 * @buses: the bus tree, @nr_buses of them, the root first
 * @bars: the BARs on them, @nr_bars of them
 * @space: the root bus's ranges
 *
 * Each bus's I/O, memory and prefetchable entries (its BARs, its
 * bridges' windows) are packed largest alignment first, then largest
 * first, windows before BARs of the same size, BARs in the order given
 * and windows in the reverse one (as firmware orders them).  A bridge's
 * window is what its entries need, or its @reserve if larger, rounded
 * up to a multiple of its alignment: its largest entry's, at least
 * 4 KiB (I/O) or 2 MiB; a hot-plug bridge's windows are open even when
 * empty (see @hotplug).
 * On the root bus the I/O ports start at 0xc000 if they fit below
 * 0x10000, at @space->io_start if not; the memory and prefetchable
 * ranges sit at the top of the 32-bit hole, the one with the smaller
 * alignment above (the prefetchable one when they are alike).
 * When they do not fit, the 64-bit BARs of the root bus and the
 * prefetchable windows of bridges that hold only 64-bit BARs move to
 * the 64-bit hole.  This is the policy PC firmware follows.
 *
 * Returns false when a kind of resource does not fit: its BARs and
 * windows are left PVH_PCI_UNASSIGNED and closed (the OS assigns them),
 * the others are placed.
 */
bool pvh_pci_resources_assign(PVHPciBus *buses, unsigned nr_buses,
                              PVHPciBar *bars, unsigned nr_bars,
                              const PVHPciSpace *space);

#endif
