/*
 * Direct kernel boot: the chipset as firmware programs it (QEMU glue,
 * pc and q35)
 *
 * What firmware programmed before the OS ran, and what the ACPI tables
 * describe (they read it back from these registers): the PM and SMBus
 * I/O bases, on q35 MMCONFIG, and the PCI interrupt routing with each
 * function's Interrupt Line.  Not ICH9's chipset configuration
 * registers (RCRB), which SeaBIOS maps at 0xfed1c000: an incoming
 * migration maps them as if they were off before it (ICH9's post_load),
 * and QEMU aborts on a region mapped twice.  The functions are looked
 * for once: none of them can be hot-plugged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/acpi/acpi.h"
#include "hw/acpi/piix4.h"
#include "hw/i386/pc.h"
#include "hw/pci/pci_host.h"
#include "hw/pci-host/q35.h"
#include "hw/southbridge/ich9.h"
#include "hw/southbridge/piix.h"
#include "chipset.h"
#include "trace.h"

/* The I/O bases SeaBIOS gives the PM and SMBus blocks */
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
