/*
 * PVH direct boot: the MP table, for a machine without ACPI tables
 * (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_MPTABLE_H
#define HW_I386_PVH_MPTABLE_H

/*
 * Where the tables go: the floating pointer in the last KiB of base
 * memory, one of the places the MP specification (1.4, section 4) has
 * OSes scan, and the configuration table below it, in an area the
 * memory map reserves.
 */
#define PVH_MPTABLE_AREA        0x9e000
#define PVH_MPTABLE_AREA_SIZE   0x2000
#define PVH_MPTABLE_FLOATING    0x9fc00
#define PVH_MPTABLE_ROOM        (PVH_MPTABLE_FLOATING - PVH_MPTABLE_AREA)

/* The sizes of the floating pointer and of the table for @nr_cpus */
#define PVH_MP_FLOATING_SIZE    16
size_t pvh_mptable_size(unsigned nr_cpus);

/* Local APIC IDs above this one cannot be in an MP table (8 bits, 0xff: all) */
#define PVH_MP_MAX_APIC_ID      0xfe

typedef struct PVHMpConfig {
    unsigned nr_cpus;
    const uint32_t *apic_ids;   /* the boot CPU's first */
    uint32_t cpu_signature;     /* CPUID leaf 1, EAX */
    uint32_t cpu_features;      /* CPUID leaf 1, EDX */
    uint8_t ioapic_id;
    uint32_t ioapic_addr;
    bool irq0_override;         /* ISA IRQ 0 on IOAPIC pin 2 */
    uint16_t level_irqs;        /* ISA IRQs shared with PCI: level, low */
} PVHMpConfig;

/**
 * pvh_mptable_build: the MP floating pointer and configuration table
 * that PC firmware leaves for an OS without ACPI
 * @c: the machine: its CPUs, the I/O APIC and how the ISA IRQs reach it
 * @table: where the configuration table is built
 * @room: the bytes at @table
 * @table_addr: the guest-physical address the table will be at
 * @floating: the floating pointer, PVH_MP_FLOATING_SIZE bytes
 *
 * Describes every CPU of @c (enabled, the first the boot processor),
 * one ISA bus, the I/O APIC with the 16 ISA IRQs routed to its pins as
 * the ACPI MADT of QEMU routes them, and LINT0 as ExtINT, LINT1 as NMI.
 * Returns the table's length, or 0 when it does not fit in @room or a
 * CPU's APIC ID exceeds PVH_MP_MAX_APIC_ID.
 */
size_t pvh_mptable_build(const PVHMpConfig *c, uint8_t *table, size_t room,
                         uint32_t table_addr, uint8_t *floating);

#endif
