/*
 * Direct kernel boot: the chipset as firmware programs it (QEMU glue,
 * pc and q35)
 *
 * What firmware programmed before the OS ran, and what the ACPI tables
 * describe (they read it back from these registers): the PM and SMBus
 * I/O bases, on q35 MMCONFIG, the PCI bus numbers, BARs, bridge windows
 * and decode (placed by pci-resources.c), and the PCI interrupt routing
 * with each function's Interrupt Line.  Not ICH9's chipset configuration
 * registers (RCRB), which SeaBIOS maps at 0xfed1c000: an incoming
 * migration maps them as if they were off before it (ICH9's post_load),
 * and QEMU aborts on a region mapped twice.  The functions are looked
 * for once: none of them can be hot-plugged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "cpu.h"
#include "hw/acpi/acpi.h"
#include "hw/acpi/piix4.h"
#include "hw/i386/pc.h"
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pci_bus.h"
#include "hw/pci/pci_host.h"
#include "hw/pci-host/q35.h"
#include "hw/southbridge/ich9.h"
#include "hw/southbridge/piix.h"
#include "chipset.h"
#include "pci-resources.h"
#include "trace.h"

/* The I/O bases SeaBIOS gives the PM and SMBus blocks (PIIX4's, ICH9's) */
#define PVH_PM_IO_BASE  0x600
#define PVH_SMB_IO_BASE 0x700
/*
 * The ISA IRQs SeaBIOS routes PIRQA-D to (and ICH9's PIRQE-H, again):
 * among those the DSDT's link devices offer (_PRS)
 */
static const uint8_t pvh_pirq_irqs[4] = { 10, 10, 11, 11 };

/* The devices firmware programs (one machine per process) */
static struct {
    bool found;
    PCIDevice *pm, *lpc, *mch;  /* PIIX4 PM, ICH9 LPC, q35's MCH */
    PCIDevice *piix;            /* PIIX3's ISA bridge */
    PCIDevice *smb;             /* ICH9's SMBus function */
} pvh_chipset;

static void pvh_chipset_find_dev(PCIBus *bus, PCIDevice *d, void *opaque)
{
    if (object_dynamic_cast(OBJECT(d), TYPE_PIIX4_PM)) {
        pvh_chipset.pm = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_ICH9_LPC_DEVICE)) {
        pvh_chipset.lpc = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_MCH_PCI_DEVICE)) {
        pvh_chipset.mch = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_PIIX_PCI_DEVICE)) {
        pvh_chipset.piix = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_ICH9_SMB_DEVICE)) {
        pvh_chipset.smb = d;
    }
}

/* On the root bus of pc and q35 */
static void pvh_chipset_find(X86MachineState *x86ms)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);

    if (!pvh_chipset.found && pcms && pcms->pcibus) {
        pci_for_each_device(pcms->pcibus, 0, pvh_chipset_find_dev, NULL);
    }
    pvh_chipset.found = true;
}

void pvh_chipset_pci_write(PCIDevice *d, uint32_t addr, uint32_t val,
                           int len)
{
    pci_host_config_write_common(d, addr, pci_config_size(d), val, len);
}

/* Where a BAR of pci-resources.c's is: its function and region number */
typedef struct PVHPciBarRef {
    PCIDevice *dev;
    int region;
} PVHPciBarRef;

/* The PCI functions and their BARs, as pci-resources.c sees them */
typedef struct PVHPciWalk {
    GArray *buses;          /* PVHPciBus */
    GArray *bars;           /* PVHPciBar */
    GPtrArray *bridges;     /* each bus's bridge (the root's: NULL) */
    GArray *bar_refs;       /* PVHPciBarRef: each BAR's function */
    GPtrArray *devs;        /* every function */
    GArray *dev_bars;       /* each function's first BAR in bars */
    uint8_t last_bus;
} PVHPciWalk;

/*
 * A bridge's window or control register as a guest's write leaves it
 * (its writable bits), without the mapping update each such write makes
 * (five alias regions made again): pvh_chipset_assign_pci() updates a
 * bridge's mappings once, after all of them.  With 28 root ports that
 * was 10 ms of every reset.
 */
static void pvh_chipset_bridge_set(PCIDevice *d, uint32_t addr, uint32_t val,
                                   int len)
{
    int i;

    for (i = 0; i < len; i++) {
        uint8_t wmask = d->wmask[addr + i];

        d->config[addr + i] = (d->config[addr + i] & ~wmask) |
                              ((val >> (8 * i)) & wmask);
    }
}

/*
 * The windows and bus numbers a bridge of QEMU's asks firmware for: its
 * resource reserve capability (pcie-root-port's io-reserve, mem-reserve,
 * pref32-reserve, pref64-reserve, bus-reserve; -1 where not set).
 * Returns the number of buses to keep behind it (0: not asked).
 */
static unsigned pvh_chipset_bridge_reserve(PCIDevice *d, PVHPciBus *bus)
{
    uint8_t *c = d->config;
    uint8_t pos = c[PCI_CAPABILITY_LIST] & ~3;
    int n;

    if (pci_get_word(c + PCI_VENDOR_ID) != PCI_VENDOR_ID_REDHAT) {
        return 0;
    }
    for (n = 0; pos && n < 48; pos = c[pos + PCI_CAP_LIST_NEXT] & ~3, n++) {
        uint32_t mem, pref32, bus_res;
        uint64_t io, pref64;

        if (c[pos] != PCI_CAP_ID_VNDR ||
            c[pos + REDHAT_PCI_CAP_TYPE_OFFSET] !=
            REDHAT_PCI_CAP_RESOURCE_RESERVE) {
            continue;
        }
        bus_res = pci_get_long(c + pos + offsetof(PCIBridgeQemuCap, bus_res));
        io = pci_get_quad(c + pos + offsetof(PCIBridgeQemuCap, io));
        mem = pci_get_long(c + pos + offsetof(PCIBridgeQemuCap, mem));
        pref32 = pci_get_long(c + pos +
                              offsetof(PCIBridgeQemuCap, mem_pref_32));
        pref64 = pci_get_quad(c + pos +
                              offsetof(PCIBridgeQemuCap, mem_pref_64));
        /* (0, like -1, leaves firmware's own minimum) */
        if (io != UINT64_MAX) {
            bus->reserve[PVH_PCI_IO] = io;
        }
        if (mem != UINT32_MAX) {
            bus->reserve[PVH_PCI_MEM] = mem;
        }
        if (pref32 != UINT32_MAX && pref32) {
            bus->reserve[PVH_PCI_PREF] = pref32;
            bus->pref32 = true;
        } else if (pref64 != UINT64_MAX) {
            bus->reserve[PVH_PCI_PREF] = pref64;
        }
        return bus_res == UINT32_MAX ? 0 : bus_res;
    }
    return 0;
}

/*
 * Whether firmware keeps room for hot-plug behind bridge @d, as it
 * tells from config space: a PCI Express root or downstream port with
 * a slot (memory windows), or else a bridge with an SHPC, conventional
 * or pcie-pci-bridge (memory and I/O windows).  ACPI hot-plug of a
 * bridge's slots, which QEMU's bus also calls hot-pluggable, does not
 * count.
 */
static void pvh_chipset_bridge_hotplug(PCIDevice *d, PVHPciBus *bus)
{
    uint8_t exp = pci_find_capability(d, PCI_CAP_ID_EXP);

    if (exp) {
        uint16_t flags = pci_get_word(d->config + exp + PCI_EXP_FLAGS);
        unsigned type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;

        if ((type == PCI_EXP_TYPE_ROOT_PORT ||
             type == PCI_EXP_TYPE_DOWNSTREAM) &&
            (flags & PCI_EXP_FLAGS_SLOT)) {
            bus->hotplug = true;
            return;
        }
    }
    bus->hotplug = bus->hotplug_io = pci_find_capability(d, PCI_CAP_ID_SHPC);
}

/*
 * Number the buses behind bridges depth first, as firmware does, and
 * note the BARs and bridges of bus number @nr, the bus tree's @index
 */
static void pvh_chipset_walk_pci(PVHPciWalk *w, PCIBus *bus, unsigned index,
                                 uint8_t nr)
{
    int devfn, i;

    for (devfn = 0; devfn < ARRAY_SIZE(bus->devices); devfn++) {
        PCIDevice *d = bus->devices[devfn];
        PVHPciBus child = { .parent = index };
        unsigned bus_res;
        uint8_t secondary;
        PCIBus *sec;

        if (!d) {
            continue;
        }
        g_ptr_array_add(w->devs, d);
        g_array_append_val(w->dev_bars, w->bars->len);
        for (i = 0; i < PCI_NUM_REGIONS; i++) {
            const PCIIORegion *r = &d->io_regions[i];
            PVHPciBar bar = { .bus = index, .size = r->size };
            PVHPciBarRef ref = { d, i };

            if (!r->size) {
                continue;
            }
            if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
                bar.kind = PVH_PCI_IO;
            } else {
                bar.kind = r->type & PCI_BASE_ADDRESS_MEM_PREFETCH ?
                    PVH_PCI_PREF : PVH_PCI_MEM;
                bar.is64 = r->type & PCI_BASE_ADDRESS_MEM_TYPE_64;
            }
            g_array_append_val(w->bars, bar);
            g_array_append_val(w->bar_refs, ref);
        }
        if (!IS_PCI_BRIDGE(d) || w->last_bus == 0xff) {
            continue;
        }
        sec = pci_bridge_get_sec_bus(PCI_BRIDGE(d));
        pvh_chipset_bridge_hotplug(d, &child);
        child.pref64 = (d->config[PCI_PREF_MEMORY_BASE] &
                        PCI_PREF_RANGE_TYPE_MASK) == PCI_PREF_RANGE_TYPE_64;
        bus_res = pvh_chipset_bridge_reserve(d, &child);
        secondary = ++w->last_bus;
        pvh_chipset_pci_write(d, PCI_PRIMARY_BUS, nr, 1);
        pvh_chipset_pci_write(d, PCI_SECONDARY_BUS, secondary, 1);
        pvh_chipset_pci_write(d, PCI_SUBORDINATE_BUS, 0xff, 1);
        g_array_append_val(w->buses, child);
        g_ptr_array_add(w->bridges, d);
        pvh_chipset_walk_pci(w, sec, w->buses->len - 1, secondary);
        /* bus-reserve: room for buses hot-plugged later (none past 255) */
        if (secondary + bus_res <= 0xff &&
            secondary + bus_res > w->last_bus) {
            w->last_bus = secondary + bus_res;
        }
        pvh_chipset_pci_write(d, PCI_SUBORDINATE_BUS, w->last_bus, 1);
        pvh_chipset_bridge_set(d, PCI_BRIDGE_CONTROL,
                               pci_get_word(d->config + PCI_BRIDGE_CONTROL) |
                               PCI_BRIDGE_CTL_SERR, 2);
    }
}

/*
 * The root bus's ranges: the I/O ports firmware uses, the 32-bit PCI
 * hole above MMCONFIG where that is in it, and above 4 GiB from the
 * host bridge's 64-bit hole to the CPU's physical address limit (the
 * host bridge and the DSDT's _CRS follow the BARs placed there)
 */
static void pvh_chipset_pci_space(X86MachineState *x86ms, PCIBus *root,
                                  PVHPciSpace *sp)
{
    Object *host = OBJECT(BUS(root)->parent);
    unsigned phys_bits = X86_CPU(first_cpu)->phys_bits;
    uint64_t mmcfg, mmcfg_size;

    sp->io_start = 0x1000;
    sp->io_end = 0xa000;        /* below the ACPI hotplug registers */
    sp->mem_start = object_property_get_uint(host, PCI_HOST_PROP_PCI_HOLE_START,
                                             NULL);
    sp->mem_end = object_property_get_uint(host, PCI_HOST_PROP_PCI_HOLE_END,
                                           NULL);
    if (pvh_chipset_mmcfg(x86ms, &mmcfg, &mmcfg_size) &&
        mmcfg + mmcfg_size > sp->mem_start && mmcfg < sp->mem_end) {
        sp->mem_start = mmcfg + mmcfg_size;
    }
    sp->mem64_start = object_property_get_uint(host,
                                               PCI_HOST_PROP_PCI_HOLE64_START,
                                               NULL);
    sp->mem64_end = phys_bits >= 33 && phys_bits < 64 ? 1ULL << phys_bits : 0;
    if (sp->mem64_start < 4 * GiB) {
        sp->mem64_end = 0;      /* machine types without a 64-bit hole */
    }
}

static void pvh_chipset_write_window(PCIDevice *d, unsigned kind,
                                     uint64_t base, uint64_t size)
{
    uint64_t limit = base + size - 1;

    switch (kind) {
    case PVH_PCI_IO:
        pvh_chipset_bridge_set(d, PCI_IO_BASE, size ? (base >> 8) & 0xf0 : 0xf0,
                               1);
        pvh_chipset_bridge_set(d, PCI_IO_LIMIT, size ? (limit >> 8) & 0xf0 : 0,
                               1);
        pvh_chipset_bridge_set(d, PCI_IO_BASE_UPPER16, 0, 4);
        break;
    case PVH_PCI_MEM:
        pvh_chipset_bridge_set(d, PCI_MEMORY_BASE,
                               size ? (base >> 16) & 0xfff0 : 0xfff0, 2);
        pvh_chipset_bridge_set(d, PCI_MEMORY_LIMIT,
                               size ? (limit >> 16) & 0xfff0 : 0, 2);
        break;
    default:
        pvh_chipset_bridge_set(d, PCI_PREF_MEMORY_BASE,
                               size ? (base >> 16) & 0xfff0 : 0xfff0, 2);
        pvh_chipset_bridge_set(d, PCI_PREF_MEMORY_LIMIT,
                               size ? (limit >> 16) & 0xfff0 : 0, 2);
        pvh_chipset_bridge_set(d, PCI_PREF_BASE_UPPER32,
                               size ? base >> 32 : 0, 4);
        pvh_chipset_bridge_set(d, PCI_PREF_LIMIT_UPPER32,
                               size ? limit >> 32 : 0, 4);
        break;
    }
}

/* The bridges' windows, and their mappings made once each */
static void pvh_chipset_write_windows(const PVHPciWalk *w)
{
    unsigned i, kind;

    for (i = 1; i < w->buses->len; i++) {
        const PVHPciBus *bus = &g_array_index(w->buses, PVHPciBus, i);
        PCIDevice *br = g_ptr_array_index(w->bridges, i);

        for (kind = 0; kind < PVH_PCI_KINDS; kind++) {
            pvh_chipset_write_window(br, kind, bus->base[kind],
                                     bus->size[kind]);
        }
        pci_bridge_update_mappings(PCI_BRIDGE(br));
    }
}

/* The BARs that have an address (an expansion ROM's with its decode off) */
static void pvh_chipset_write_bars(const PVHPciWalk *w)
{
    unsigned i;

    for (i = 0; i < w->bars->len; i++) {
        const PVHPciBar *bar = &g_array_index(w->bars, PVHPciBar, i);
        const PVHPciBarRef *ref = &g_array_index(w->bar_refs, PVHPciBarRef, i);
        PCIDevice *d = ref->dev;
        int reg = pci_bar(d, ref->region);

        /*
         * ICH9's SMBus I/O BAR takes its room in the pool, as firmware
         * sizes it, and then the fixed base of pvh_chipset_setup()
         */
        if (bar->addr == PVH_PCI_UNASSIGNED ||
            (d == pvh_chipset.smb && ref->region == ICH9_SMB_SMB_BASE_BAR)) {
            continue;
        }
        pvh_chipset_pci_write(d, reg, bar->addr, 4);
        if (bar->is64) {
            pvh_chipset_pci_write(d, reg + 4, bar->addr >> 32, 4);
        }
        trace_pvh_chipset_pci_bar(pci_dev_bus_num(d), PCI_SLOT(d->devfn),
                                  PCI_FUNC(d->devfn), ref->region, bar->addr,
                                  bar->size);
    }
}

/*
 * Every function's I/O and memory decode on where all its BARs of that
 * kind have an address, and SERR# reporting
 */
static void pvh_chipset_enable_decode(const PVHPciWalk *w)
{
    unsigned i, j;

    for (i = 0; i < w->devs->len; i++) {
        PCIDevice *d = g_ptr_array_index(w->devs, i);
        uint16_t cmd = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_SERR;
        unsigned end = i + 1 < w->devs->len ?
            g_array_index(w->dev_bars, unsigned, i + 1) : w->bars->len;

        for (j = g_array_index(w->dev_bars, unsigned, i); j < end; j++) {
            const PVHPciBar *bar = &g_array_index(w->bars, PVHPciBar, j);

            if (bar->addr == PVH_PCI_UNASSIGNED) {
                cmd &= bar->kind == PVH_PCI_IO ? ~PCI_COMMAND_IO :
                    ~PCI_COMMAND_MEMORY;
            }
        }
        pvh_chipset_pci_write(d, PCI_COMMAND,
                              pci_get_word(d->config + PCI_COMMAND) | cmd, 2);
    }
}

static gint pvh_chipset_by_bus_nr(gconstpointer a, gconstpointer b)
{
    return pci_bus_num(*(PCIBus **)a) - pci_bus_num(*(PCIBus **)b);
}

/*
 * The root buses of expander bridges (pxb, pxb-pcie) in bus number
 * order, numbered after the main root's: their devices and bridges share
 * the main root's ranges, as firmware puts them (QEMU's DSDT then gives
 * each expander the ranges its devices took).  One whose bus number is
 * already behind a bridge of a lower root is left to the OS.
 */
static void pvh_chipset_walk_expanders(PVHPciWalk *w, PCIBus *root)
{
    g_autoptr(GPtrArray) roots = g_ptr_array_new();
    PCIBus *child;
    unsigned i;

    QLIST_FOREACH(child, &root->child, sibling) {
        if (pci_bus_is_root(child)) {
            g_ptr_array_add(roots, child);
        }
    }
    g_ptr_array_sort(roots, pvh_chipset_by_bus_nr);
    for (i = 0; i < roots->len; i++) {
        PCIBus *bus = g_ptr_array_index(roots, i);
        int nr = pci_bus_num(bus);

        trace_pvh_chipset_pci_expander(nr, w->last_bus);
        if (nr <= w->last_bus) {
            continue;
        }
        w->last_bus = nr;
        pvh_chipset_walk_pci(w, bus, 0, nr);
    }
}

/*
 * What firmware does to PCI before the OS runs: bus numbers, BARs and
 * bridge windows (pci-resources.c), decode turned on where every BAR
 * of its kind has an address, SERR# reporting and forwarding on, on
 * the main root bus and the expander bridges' root buses.
 */
static void pvh_chipset_assign_pci(X86MachineState *x86ms)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);
    g_autoptr(GArray) buses = g_array_new(false, false, sizeof(PVHPciBus));
    g_autoptr(GArray) bars = g_array_new(false, false, sizeof(PVHPciBar));
    g_autoptr(GArray) bar_refs = g_array_new(false, false,
                                             sizeof(PVHPciBarRef));
    g_autoptr(GArray) dev_bars = g_array_new(false, false, sizeof(unsigned));
    g_autoptr(GPtrArray) bridges = g_ptr_array_new();
    g_autoptr(GPtrArray) devs = g_ptr_array_new();
    PVHPciWalk w = { buses, bars, bridges, bar_refs, devs, dev_bars };
    PVHPciBus root = { .parent = -1 };
    PVHPciSpace sp;
    bool placed;

    if (!pcms || !pcms->pcibus) {
        return;
    }
    w.last_bus = pci_bus_num(pcms->pcibus);
    g_array_append_val(buses, root);
    g_ptr_array_add(bridges, NULL);
    pvh_chipset_walk_pci(&w, pcms->pcibus, 0, w.last_bus);
    pvh_chipset_walk_expanders(&w, pcms->pcibus);

    pvh_chipset_pci_space(x86ms, pcms->pcibus, &sp);
    placed = pvh_pci_resources_assign((PVHPciBus *)buses->data, buses->len,
                                      (PVHPciBar *)bars->data, bars->len,
                                      &sp);
    trace_pvh_chipset_pci_assign(buses->len, bars->len, placed);
    pvh_chipset_write_windows(&w);
    pvh_chipset_write_bars(&w);
    pvh_chipset_enable_decode(&w);
}

void pvh_chipset_setup(X86MachineState *x86ms)
{
    PCIDevice *pm, *lpc, *mch;

    pvh_chipset_find(x86ms);
    pm = pvh_chipset.pm;
    lpc = pvh_chipset.lpc;
    mch = pvh_chipset.mch;
    if (pm) {
        pvh_chipset_pci_write(pm, 0x40, PVH_PM_IO_BASE | 1, 4);
        pvh_chipset_pci_write(pm, 0x80, 1, 1);      /* PM I/O enable */
        pvh_chipset_pci_write(pm, 0x90, PVH_SMB_IO_BASE | 1, 4);
        pvh_chipset_pci_write(pm, 0xd2, 0x09, 1);   /* SMBus enable, SCI */
    }
    if (lpc) {
        pvh_chipset_pci_write(lpc, ICH9_LPC_PMBASE, PVH_PM_IO_BASE | 1, 4);
        pvh_chipset_pci_write(lpc, ICH9_LPC_ACPI_CTRL,
                              ICH9_LPC_ACPI_CTRL_ACPI_EN, 1);
    }

    if (mch) {
        pvh_chipset_pci_write(mch, MCH_HOST_BRIDGE_PCIEXBAR + 4, 0, 4);
        pvh_chipset_pci_write(mch, MCH_HOST_BRIDGE_PCIEXBAR,
                              MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT |
                              MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M |
                              MCH_HOST_BRIDGE_PCIEXBAREN, 4);
    }
    pvh_chipset_assign_pci(x86ms);
    if (pvh_chipset.smb) {
        pvh_chipset_pci_write(pvh_chipset.smb, ICH9_SMB_SMB_BASE,
                              PVH_SMB_IO_BASE | 1, 4);
        pvh_chipset_pci_write(pvh_chipset.smb, ICH9_SMB_HOSTC,
                              ICH9_SMB_HOSTC_HST_EN, 1);
    }
}

/*
 * A function's Interrupt Line: the ISA IRQ its pin reaches through the
 * bridges and the chipset's routing, as firmware writes it; the PM
 * function's is its SCI
 */
static void pvh_chipset_interrupt_line(PCIBus *bus, PCIDevice *d,
                                       void *opaque)
{
    uint8_t pin = d->config[PCI_INTERRUPT_PIN];
    PCIINTxRoute route;
    uint8_t line;

    if (!pin || pin > PCI_NUM_PINS) {
        return;
    }
    if (d == pvh_chipset.pm) {
        line = object_property_get_uint(OBJECT(d), ACPI_PM_PROP_SCI_INT,
                                        NULL);
    } else {
        route = pci_device_route_intx_to_irq(d, pin - 1);
        if (route.mode != PCI_INTX_ENABLED) {
            return;
        }
        line = route.irq;
    }
    pvh_chipset_pci_write(d, PCI_INTERRUPT_LINE, line, 1);
    trace_pvh_chipset_interrupt_line(pci_bus_num(bus), PCI_SLOT(d->devfn),
                                     PCI_FUNC(d->devfn), pin, line);
}

static void pvh_chipset_bus_lines(PCIBus *bus, void *opaque)
{
    pci_for_each_device_under_bus(bus, pvh_chipset_interrupt_line, NULL);
}

uint16_t pvh_chipset_route_pci_irqs(X86MachineState *x86ms)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);
    uint16_t level = 0;
    int i;

    pvh_chipset_find(x86ms);
    for (i = 0; i < ICH9_LPC_NB_PIRQS; i++) {
        uint8_t irq = pvh_pirq_irqs[i % ARRAY_SIZE(pvh_pirq_irqs)];

        if (pvh_chipset.piix && i < PIIX_NUM_PIRQS) {
            pvh_chipset_pci_write(pvh_chipset.piix, PIIX_PIRQCA + i, irq, 1);
        } else if (pvh_chipset.lpc) {
            pvh_chipset_pci_write(pvh_chipset.lpc,
                                  i < 4 ? ICH9_LPC_PIRQA_ROUT + i :
                                  ICH9_LPC_PIRQE_ROUT + i - 4, irq, 1);
        } else {
            continue;
        }
        level |= 1 << irq;
    }
    if (pcms && pcms->pcibus) {
        pci_for_each_bus(pcms->pcibus, pvh_chipset_bus_lines, NULL);
    }
    return level;
}

bool pvh_chipset_mmcfg(X86MachineState *x86ms, uint64_t *base,
                       uint64_t *size)
{
    pvh_chipset_find(x86ms);
    if (!pvh_chipset.mch) {
        return false;
    }
    *base = MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT;
    *size = MCH_HOST_BRIDGE_PCIEXBAR_MAX;
    return true;
}

/*
 * The ACPI numbers of the hot-pluggable PCI buses (bsel), which the
 * DSDT's hotplug methods name: the PM function's reset assigns them,
 * once, if it does ACPI PCI hotplug; ask it the same way.
 */
static void pvh_chipset_number_pci_buses(void)
{
    AcpiPciHpState *hp = NULL;

    if (pvh_chipset.pm) {
        hp = &PIIX4_PM(pvh_chipset.pm)->acpi_pci_hotplug;
        if (!hp->use_acpi_hotplug_bridge && !hp->use_acpi_root_pci_hotplug) {
            hp = NULL;
        }
    } else if (pvh_chipset.lpc) {
        hp = &ICH9_LPC_DEVICE(pvh_chipset.lpc)->pm.acpi_pci_hotplug;
        if (!hp->use_acpi_hotplug_bridge) {
            hp = NULL;
        }
    }
    if (hp) {
        acpi_pcihp_reset(hp);
    }
}

void pvh_chipset_prepare_tables(X86MachineState *x86ms)
{
    pvh_chipset_find(x86ms);
    memory_region_transaction_begin();
    /* q35's MCH sets the PCI hole (the DSDT's _CRS) at its reset */
    if (pvh_chipset.mch) {
        device_cold_reset(DEVICE(pvh_chipset.mch));
    }
    pvh_chipset_setup(x86ms);
    memory_region_transaction_commit();
    pvh_chipset_number_pci_buses();
}
