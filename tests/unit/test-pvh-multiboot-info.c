/*
 * The multiboot memory fields and memory map (multiboot-info.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/multiboot-info.h"

#define MiB (1024 * 1024ULL)

/* What the platform gives a 512 MiB pc machine: hole, tables at the top */
static const PVHRange pc_map[] = {
    { 0, 0xa0000, PVH_E820_RAM },
    { 0xf0000, 0x10000, PVH_E820_RESERVED },
    { 0x100000, 512 * MiB - 0x100000 - 0x20000, PVH_E820_RAM },
    { 512 * MiB - 0x20000, 0x20000, PVH_E820_ACPI },
    { 0xfffc0000, 0x40000, PVH_E820_RESERVED },
};

static void test_pc(void)
{
    uint8_t mmap[ARRAY_SIZE(pc_map) * PVH_MULTIBOOT_MMAP_ENTRY];
    uint32_t lower, upper, len;
    size_t i;

    len = pvh_multiboot_memory(pc_map, ARRAY_SIZE(pc_map), mmap, &lower,
                               &upper);
    g_assert_cmpuint(len, ==, sizeof(mmap));
    g_assert_cmpuint(lower, ==, 640);
    /* up to the ACPI tables, which are not RAM to the kernel */
    g_assert_cmpuint(upper, ==, (512 * MiB - 0x20000 - MiB) >> 10);
    for (i = 0; i < ARRAY_SIZE(pc_map); i++) {
        const uint8_t *e = mmap + i * PVH_MULTIBOOT_MMAP_ENTRY;

        g_assert_cmpuint(ldl_le_p(e), ==, 20);
        g_assert_cmphex(ldq_le_p(e + 4), ==, pc_map[i].addr);
        g_assert_cmphex(ldq_le_p(e + 12), ==, pc_map[i].size);
        g_assert_cmpuint(ldl_le_p(e + 20), ==, pc_map[i].type);
    }
}

/* RAM above 4 GiB counts for nothing; adjacent RAM runs join, any order */
static void test_runs(void)
{
    static const PVHRange map[] = {
        { 0x40000000, 0xc0000000, PVH_E820_RAM },       /* 1 GiB - 4 GiB */
        { 0x100000000ULL, 0x40000000, PVH_E820_RAM },
        { 0x100000, 0x3ff00000, PVH_E820_RAM },         /* 1 MiB - 1 GiB */
        { 0, 0x9fc00, PVH_E820_RAM },
    };
    uint8_t mmap[ARRAY_SIZE(map) * PVH_MULTIBOOT_MMAP_ENTRY];
    uint32_t lower, upper;

    pvh_multiboot_memory(map, ARRAY_SIZE(map), mmap, &lower, &upper);
    g_assert_cmpuint(lower, ==, 0x9fc00 >> 10);
    g_assert_cmpuint(upper, ==, (4096 - 1) * 1024);
}

/* No RAM at 0 or at 1 MiB: zero, not a wrap */
static void test_none(void)
{
    static const PVHRange map[] = {
        { 0x200000, 0x100000, PVH_E820_RAM },
    };
    uint8_t mmap[PVH_MULTIBOOT_MMAP_ENTRY];
    uint32_t lower = 1, upper = 1;

    pvh_multiboot_memory(map, 1, mmap, &lower, &upper);
    g_assert_cmpuint(lower, ==, 0);
    g_assert_cmpuint(upper, ==, 0);
}

/*
 * The BIOS trap: run each vector's handler on a tiny model of the few
 * real-mode instructions it may use, and see it report its own number
 */
static void test_bios_trap(void)
{
    uint8_t ivt[PVH_MULTIBOOT_TRAP_IVT_SIZE], stubs[PVH_MULTIBOOT_TRAP_SIZE];
    static uint8_t mem[0x1000];
    unsigned n;

    pvh_multiboot_trap_write(0x4f0, ivt, stubs);
    memcpy(mem, ivt, sizeof(ivt));
    memcpy(mem + PVH_MULTIBOOT_TRAP_BASE, stubs, sizeof(stubs));
    g_assert_cmpuint(PVH_MULTIBOOT_TRAP_BASE + sizeof(stubs), <=, sizeof(mem));
    for (n = 0; n < 256; n++) {
        uint32_t ip = lduw_le_p(mem + n * 4) + lduw_le_p(mem + n * 4 + 2) * 16;
        uint8_t al = 0xff;
        uint16_t dx = 0;
        bool out = false;
        unsigned steps;

        for (steps = 0; steps < 8; steps++) {
            uint8_t op = mem[ip];

            g_assert_cmpuint(ip, <, sizeof(mem) - 3);
            if (op == 0xb0) {
                al = mem[ip + 1];
                ip += 2;
            } else if (op == 0xe9) {
                ip += 3 + (int16_t)lduw_le_p(mem + ip + 1);
            } else if (op == 0xba) {
                dx = lduw_le_p(mem + ip + 1);
                ip += 3;
            } else if (op == 0xee) {
                g_assert_false(out);
                out = true;
                g_assert_cmphex(dx, ==, 0x4f0);
                g_assert_cmphex(al, ==, n);
                ip++;
            } else if (op == 0xfa) {
                ip++;
            } else if (op == 0xf4) {
                /* halted; the jmp after it must come back here */
                g_assert_cmphex(mem[ip + 1], ==, 0xeb);
                g_assert_cmpint(ip + 3 + (int8_t)mem[ip + 2], ==, ip);
                break;
            } else {
                g_assert_not_reached();
            }
        }
        g_assert_true(out);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/multiboot-info/pc", test_pc);
    g_test_add_func("/multiboot-info/runs", test_runs);
    g_test_add_func("/multiboot-info/none", test_none);
    g_test_add_func("/multiboot-info/bios-trap", test_bios_trap);
    return g_test_run();
}
