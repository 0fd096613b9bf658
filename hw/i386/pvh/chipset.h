/*
 * Direct kernel boot: the chipset as firmware programs it (QEMU glue;
 * chipset-stubs.c on machines other than pc and q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_CHIPSET_H
#define HW_I386_PVH_CHIPSET_H

#include "hw/i386/x86.h"
#include "hw/pci/pci_device.h"

/**
 * pvh_chipset_setup: program what firmware programmed before the OS ran
 * @x86ms: the machine
 *
 * The PM and SMBus I/O bases (PIIX4 PM, ICH9 LPC), q35's MMCONFIG, and
 * the PCI resources of the devices behind the root bus: bus numbers,
 * BARs, bridge windows, I/O and memory decode.  A PCI reset clears
 * them, so every reset does this, before the tables are built.  Call
 * inside a memory transaction: each write remaps.
 */
void pvh_chipset_setup(X86MachineState *x86ms);

/**
 * pvh_chipset_route_pci_irqs: the PCI interrupt routing as firmware
 * programs it
 * @x86ms: the machine
 *
 * PIIX3's PIRQA-D or ICH9's PIRQA-H routed to ISA IRQs 10 and 11, and
 * each PCI function's Interrupt Line set to the IRQ its pin reaches.
 * Returns the ISA IRQs the routing uses (bit N for IRQ N), which are
 * level-triggered; 0 on a machine without a PCI interrupt router.
 */
uint16_t pvh_chipset_route_pci_irqs(X86MachineState *x86ms);

/**
 * pvh_chipset_mmcfg: where pvh_chipset_setup() puts q35's MMCONFIG
 * @x86ms: the machine
 * @base: set to its address
 * @size: set to its size
 *
 * Returns false on a machine without MMCONFIG.
 */
bool pvh_chipset_mmcfg(X86MachineState *x86ms, uint64_t *base,
                       uint64_t *size);

/**
 * pvh_chipset_prepare_tables: make the machine what the ACPI tables
 * describe after the first reset, before acpi_setup() builds them
 * @x86ms: the machine
 *
 * q35's MCH reset (the PCI hole), the chipset set up, and the ACPI
 * numbers of the hot-pluggable PCI buses assigned.
 */
void pvh_chipset_prepare_tables(X86MachineState *x86ms);

/* A write to @d's PCI configuration space, as a guest's */
void pvh_chipset_pci_write(PCIDevice *d, uint32_t addr, uint32_t val,
                           int len);

#endif
