/*
 * PVH direct boot: the MP table, for a machine without ACPI tables
 *
 * With ACPI off (-machine acpi=off), an OS finds the CPUs and the I/O
 * APIC in the MP table that firmware writes (qboot, on microvm);
 * without one, Linux runs on the boot CPU alone and through the 8259s.
 * The layouts are those of the Intel MultiProcessor
 * Specification 1.4, chapter 4.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "mptable.h"

#define MP_HEADER_SIZE      44
#define MP_CPU_SIZE         20
#define MP_ENTRY_SIZE       8   /* bus, I/O APIC, interrupt entries */
#define MP_ISA_IRQS         16
#define MP_SPEC_REV         4   /* 1.4 */
#define MP_LAPIC_ADDR       0xfee00000
#define MP_LAPIC_VERSION    0x14
#define MP_IOAPIC_VERSION   0x20

enum { MP_CPU, MP_BUS, MP_IOAPIC, MP_IOINT, MP_LINT };
enum { MP_INT, MP_NMI, MP_SMI, MP_EXTINT };
/* Interrupt entry flags: active low, level triggered */
#define MP_IRQ_LEVEL_LOW    0x000f

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

size_t pvh_mptable_size(unsigned nr_cpus)
{
    /* the header, CPUs, bus, I/O APIC, 15 ISA IRQs, LINT0 and LINT1 */
    return MP_HEADER_SIZE + (size_t)nr_cpus * MP_CPU_SIZE +
           (2 + MP_ISA_IRQS - 1 + 2) * MP_ENTRY_SIZE;
}

static uint8_t *entry8(uint8_t *p, uint8_t type, uint8_t a, uint16_t flags,
                       uint8_t bus, uint8_t src, uint8_t dst, uint8_t pin)
{
    p[0] = type;
    p[1] = a;
    stw_le_p(p + 2, flags);
    p[4] = bus;
    p[5] = src;
    p[6] = dst;
    p[7] = pin;
    return p + MP_ENTRY_SIZE;
}

size_t pvh_mptable_build(const PVHMpConfig *c, uint8_t *table, size_t room,
                         uint32_t table_addr, uint8_t *floating)
{
    size_t len = pvh_mptable_size(c->nr_cpus);
    uint8_t *p = table + MP_HEADER_SIZE;
    unsigned i, entries = 0;

    if (len > room || len > UINT16_MAX || !c->nr_cpus) {
        return 0;
    }
    for (i = 0; i < c->nr_cpus; i++) {
        if (c->apic_ids[i] > PVH_MP_MAX_APIC_ID) {
            return 0;
        }
    }
    memset(table, 0, len);
    for (i = 0; i < c->nr_cpus; i++, entries++) {
        p[0] = MP_CPU;
        p[1] = c->apic_ids[i];
        p[2] = MP_LAPIC_VERSION;
        p[3] = i ? 1 : 3;                   /* enabled, boot processor */
        stl_le_p(p + 4, c->cpu_signature);
        stl_le_p(p + 8, c->cpu_features);
        p += MP_CPU_SIZE;
    }
    p[0] = MP_BUS;
    memcpy(p + 2, "ISA   ", 6);
    p += MP_ENTRY_SIZE;
    p[0] = MP_IOAPIC;
    p[1] = c->ioapic_id;
    p[2] = MP_IOAPIC_VERSION;
    p[3] = 1;                               /* usable */
    stl_le_p(p + 4, c->ioapic_addr);
    p += MP_ENTRY_SIZE;
    entries += 2;
    /* ISA IRQ n on pin n, IRQ 0 on pin 2 with the override, as the MADT */
    for (i = 0; i < MP_ISA_IRQS; i++) {
        uint8_t pin = i == 0 && c->irq0_override ? 2 : i;

        if (i == 2) {
            continue;                       /* the cascade */
        }
        p = entry8(p, MP_IOINT, MP_INT,
                   c->level_irqs & (1u << i) ? MP_IRQ_LEVEL_LOW : 0,
                   0, i, c->ioapic_id, pin);
        entries++;
    }
    p = entry8(p, MP_LINT, MP_EXTINT, 0, 0, 0, 0xff, 0);
    p = entry8(p, MP_LINT, MP_NMI, 0, 0, 0, 0xff, 1);
    entries += 2;
    assert(p == table + len);

    memcpy(table, "PCMP", 4);
    stw_le_p(table + 4, len);
    table[6] = MP_SPEC_REV;
    memcpy(table + 8, "QEMU    ", 8);
    memcpy(table + 16, "PVH Direct  ", 12);
    stw_le_p(table + 34, entries);
    stl_le_p(table + 36, MP_LAPIC_ADDR);
    table[7] = -sum(table, len);

    memset(floating, 0, PVH_MP_FLOATING_SIZE);
    memcpy(floating, "_MP_", 4);
    stl_le_p(floating + 4, table_addr);
    floating[8] = 1;                        /* length in 16-byte units */
    floating[9] = MP_SPEC_REV;
    floating[10] = -sum(floating, PVH_MP_FLOATING_SIZE);
    return len;
}
