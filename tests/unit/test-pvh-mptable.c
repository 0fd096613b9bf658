/*
 * Unit tests for the MP table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/mptable.h"

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

/* What an OS reads back from the table (as Linux's mpparse does) */
typedef struct MpSeen {
    unsigned cpus, boot_cpus, buses, ioapics, ioints, lints;
    uint8_t cpu_ids[256];
    int pin_of_irq[16];         /* -1: no entry */
    uint16_t flags_of_irq[16];
    bool lint0_extint, lint1_nmi;
} MpSeen;

static void parse(const uint8_t *fp, const uint8_t *table, uint32_t addr,
                  MpSeen *s)
{
    uint16_t len = lduw_le_p(table + 4), count = lduw_le_p(table + 34);
    const uint8_t *p = table + 44, *end = table + len;
    unsigned i;

    g_assert_cmpmem(fp, 4, "_MP_", 4);
    g_assert_cmphex(ldl_le_p(fp + 4), ==, addr);
    g_assert_cmpuint(fp[8], ==, 1);
    g_assert_cmpuint(fp[9], ==, 4);
    g_assert_cmpuint(fp[11], ==, 0);        /* a table, no default config */
    g_assert_cmpuint(sum(fp, 16), ==, 0);
    g_assert_cmpmem(table, 4, "PCMP", 4);
    g_assert_cmpuint(table[6], ==, 4);
    g_assert_cmpuint(sum(table, len), ==, 0);
    g_assert_cmphex((uint32_t)ldl_le_p(table + 36), ==, 0xfee00000);
    g_assert_cmpuint(lduw_le_p(table + 40), ==, 0);     /* no extended */

    memset(s, 0, sizeof(*s));
    for (i = 0; i < 16; i++) {
        s->pin_of_irq[i] = -1;
    }
    for (i = 0; i < count; i++) {
        g_assert_true(p < end);
        switch (p[0]) {
        case 0:
            s->cpu_ids[s->cpus++] = p[1];
            g_assert_true(p[3] & 1);
            s->boot_cpus += !!(p[3] & 2);
            g_assert_cmphex(ldl_le_p(p + 4), ==, 0x000806f8);
            p += 20;
            break;
        case 1:
            g_assert_cmpmem(p + 2, 6, "ISA   ", 6);
            s->buses++;
            p += 8;
            break;
        case 2:
            g_assert_cmpuint(p[1], ==, 0);
            g_assert_cmpuint(p[3], ==, 1);
            g_assert_cmphex((uint32_t)ldl_le_p(p + 4), ==, 0xfec00000);
            s->ioapics++;
            p += 8;
            break;
        case 3:
            g_assert_cmpuint(p[1], ==, 0);          /* INT */
            g_assert_cmpuint(p[4], ==, 0);          /* the ISA bus */
            g_assert_cmpuint(p[5], <, 16);
            g_assert_cmpint(s->pin_of_irq[p[5]], ==, -1);
            s->pin_of_irq[p[5]] = p[7];
            s->flags_of_irq[p[5]] = lduw_le_p(p + 2);
            s->ioints++;
            p += 8;
            break;
        case 4:
            g_assert_cmpuint(p[6], ==, 0xff);       /* every CPU */
            s->lint0_extint |= p[1] == 3 && p[7] == 0;
            s->lint1_nmi |= p[1] == 1 && p[7] == 1;
            s->lints++;
            p += 8;
            break;
        default:
            g_assert_not_reached();
        }
    }
    g_assert_true(p == end);
}

static const uint32_t ids4[] = { 0, 1, 2, 3 };

static PVHMpConfig config(unsigned n, const uint32_t *ids)
{
    return (PVHMpConfig) {
        .nr_cpus = n, .apic_ids = ids, .cpu_signature = 0x000806f8,
        .cpu_features = 0x0789fbff, .ioapic_id = 0,
        .ioapic_addr = 0xfec00000, .irq0_override = true,
        .level_irqs = 1 << 5 | 1 << 9 | 1 << 10 | 1 << 11,
    };
}

static void test_machine(void)
{
    uint8_t table[PVH_MPTABLE_ROOM], fp[PVH_MP_FLOATING_SIZE];
    PVHMpConfig c = config(4, ids4);
    MpSeen s;
    size_t len;
    unsigned i;

    memset(table, 0xa5, sizeof(table));
    len = pvh_mptable_build(&c, table, sizeof(table), 0x9e000, fp);
    g_assert_cmpuint(len, ==, pvh_mptable_size(4));
    g_assert_cmpuint(table[len], ==, 0xa5);        /* nothing past it */
    parse(fp, table, 0x9e000, &s);
    g_assert_cmpuint(s.cpus, ==, 4);
    g_assert_cmpuint(s.boot_cpus, ==, 1);
    g_assert_cmpuint(s.cpu_ids[0], ==, 0);
    g_assert_cmpuint(s.cpu_ids[3], ==, 3);
    g_assert_cmpuint(s.buses, ==, 1);
    g_assert_cmpuint(s.ioapics, ==, 1);
    g_assert_cmpuint(s.ioints, ==, 15);
    g_assert_true(s.lint0_extint && s.lint1_nmi);
    /* IRQ 0 on pin 2 (the MADT's override), no entry for the cascade */
    g_assert_cmpint(s.pin_of_irq[0], ==, 2);
    g_assert_cmpint(s.pin_of_irq[2], ==, -1);
    for (i = 1; i < 16; i++) {
        if (i != 2) {
            g_assert_cmpint(s.pin_of_irq[i], ==, i);
        }
    }
    /* The PCI IRQs level-triggered, active low; the ISA ones conform */
    g_assert_cmphex(s.flags_of_irq[11], ==, 0xf);
    g_assert_cmphex(s.flags_of_irq[4], ==, 0);

    c.irq0_override = false;
    g_assert_cmpuint(pvh_mptable_build(&c, table, sizeof(table), 0x9e000, fp),
                     ==, len);
    parse(fp, table, 0x9e000, &s);
    g_assert_cmpint(s.pin_of_irq[0], ==, 0);
}

/* The boot CPU first, whatever its APIC ID; the most CPUs that fit */
static void test_cpus(void)
{
    static uint8_t table[PVH_MPTABLE_ROOM];
    uint8_t fp[PVH_MP_FLOATING_SIZE];
    uint32_t ids[PVH_MP_MAX_APIC_ID + 1];
    PVHMpConfig c;
    MpSeen s;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ids); i++) {
        ids[i] = ARRAY_SIZE(ids) - 1 - i;
    }
    c = config(ARRAY_SIZE(ids), ids);
    g_assert_cmpuint(pvh_mptable_build(&c, table, sizeof(table), 0x9e000, fp),
                     ==, pvh_mptable_size(ARRAY_SIZE(ids)));
    parse(fp, table, 0x9e000, &s);
    g_assert_cmpuint(s.cpus, ==, ARRAY_SIZE(ids));
    g_assert_cmpuint(s.cpu_ids[0], ==, PVH_MP_MAX_APIC_ID);
    g_assert_cmpuint(s.boot_cpus, ==, 1);
}

static void test_refused(void)
{
    uint8_t table[PVH_MPTABLE_ROOM], fp[PVH_MP_FLOATING_SIZE];
    const uint32_t x2apic[] = { 0, 0xff };
    PVHMpConfig c = config(4, ids4);

    /* no room: nothing written past @room */
    memset(table, 0xa5, sizeof(table));
    g_assert_cmpuint(pvh_mptable_build(&c, table, pvh_mptable_size(4) - 1,
                                       0x9e000, fp), ==, 0);
    g_assert_cmpuint(table[pvh_mptable_size(4) - 1], ==, 0xa5);
    /* an APIC ID an MP table cannot hold */
    c = config(2, x2apic);
    g_assert_cmpuint(pvh_mptable_build(&c, table, sizeof(table), 0x9e000, fp),
                     ==, 0);
    c = config(0, ids4);
    g_assert_cmpuint(pvh_mptable_build(&c, table, sizeof(table), 0x9e000, fp),
                     ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mptable/machine", test_machine);
    g_test_add_func("/mptable/cpus", test_cpus);
    g_test_add_func("/mptable/refused", test_refused);
    return g_test_run();
}
