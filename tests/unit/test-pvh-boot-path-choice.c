/*
 * Which path boots -kernel, and why (boot-path-choice.c): one row per
 * case, the facts the glue gathers and the choice they must give
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/i386/pvh/boot-path-choice.h"

#define AUTO PVH_DIRECT_AUTO
#define ON PVH_DIRECT_ON
#define OFF PVH_DIRECT_OFF
#define BZ PVH_IMAGE_BZIMAGE
#define ELF PVH_IMAGE_ELF
#define OTHER PVH_IMAGE_OTHER
#define MB PVH_MB_VALID
#define MB_BAD PVH_MB_BAD_CHECKSUM
#define NEEDS_FW PVH_LINUX_HEADER_NEEDS_FIRMWARE
#define MALFORMED PVH_LINUX_HEADER_MALFORMED
#define DIRECT PVH_ROUTE_DIRECT
#define FIRMWARE PVH_ROUTE_FIRMWARE
#define REFUSE PVH_ROUTE_REFUSE
#define P_PVH PVH_PROTOCOL_PVH
#define P_LINUX PVH_PROTOCOL_LINUX
#define P_MB PVH_PROTOCOL_MULTIBOOT
#define P_UNPACK PVH_PROTOCOL_UNPACK

typedef struct Row {
    const char *name;
    PVHBootFacts facts;
    PVHBootChoice want;
} Row;

/* A machine type that boots directly on auto, and boots PVH ELF kernels */
#define NEW .type_direct = true, .pvh_elf = true

static const Row rows[] = {
    /* The machine decides first: nothing of the image counts */
    { "bz-auto", { BZ, .direct = AUTO, NEW },
      { DIRECT, P_LINUX, PVH_REASON_TYPE_DIRECT } },
    { "bz-on", { BZ, .direct = ON, NEW },
      { DIRECT, P_LINUX, PVH_REASON_ON } },
    { "bz-off", { BZ, .direct = OFF, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_OFF } },
    { "bz-old-type", { BZ, .direct = AUTO, .pvh_elf = true },
      { FIRMWARE, P_LINUX, PVH_REASON_TYPE_FIRMWARE } },
    { "bz-old-type-on", { BZ, .direct = ON },
      { DIRECT, P_LINUX, PVH_REASON_ON } },
    { "bz-malformed-off", { BZ, .linux_header = MALFORMED, .direct = OFF,
                            NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_OFF } },
    /* A confidential guest: firmware on auto, refused on on */
    { "bz-cgs-auto", { BZ, .direct = AUTO, .confidential = true, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_CONFIDENTIAL } },
    { "bz-cgs-on", { BZ, .direct = ON, .confidential = true, NEW },
      { REFUSE, P_LINUX, PVH_REASON_CONFIDENTIAL } },
    { "bz-cgs-off", { BZ, .direct = OFF, .confidential = true, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_OFF } },
    { "elf-cgs-auto", { ELF, .direct = AUTO, .confidential = true, NEW },
      { FIRMWARE, P_PVH, PVH_REASON_CONFIDENTIAL } },
    { "elf-cgs-on", { ELF, .direct = ON, .confidential = true, NEW },
      { REFUSE, P_PVH, PVH_REASON_CONFIDENTIAL } },
    { "mb-cgs-on", { OTHER, MB, .direct = ON, .confidential = true, NEW },
      { REFUSE, P_MB, PVH_REASON_CONFIDENTIAL } },
    /* The Linux header's verdict */
    { "bz-needs-bios-auto", { BZ, .linux_header = NEEDS_FW, .direct = AUTO,
                              NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_LINUX_NEEDS_BIOS } },
    { "bz-needs-bios-on", { BZ, .linux_header = NEEDS_FW, .direct = ON,
                            NEW },
      { REFUSE, P_LINUX, PVH_REASON_LINUX_HEADER } },
    { "bz-malformed-auto", { BZ, .linux_header = MALFORMED, .direct = AUTO,
                             NEW },
      { REFUSE, P_LINUX, PVH_REASON_LINUX_HEADER } },
    /* pvh-unpack and -dtb */
    { "bz-unpack", { BZ, .direct = AUTO, .pvh_unpack = true, NEW },
      { DIRECT, P_UNPACK, PVH_REASON_TYPE_DIRECT } },
    { "bz-unpack-dtb", { BZ, .direct = AUTO, .pvh_unpack = true,
                         .dtb = true, NEW },
      { REFUSE, P_UNPACK, PVH_REASON_DTB_UNPACK } },
    { "bz-dtb", { BZ, .direct = AUTO, .dtb = true, NEW },
      { DIRECT, P_LINUX, PVH_REASON_TYPE_DIRECT } },
    { "bz-unpack-needs-bios", { BZ, .linux_header = NEEDS_FW,
                                .direct = AUTO, .pvh_unpack = true, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_LINUX_NEEDS_BIOS } },
    { "bz-unpack-off", { BZ, .direct = OFF, .pvh_unpack = true, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_OFF } },
    /* A bzImage is never probed for multiboot */
    { "bz-with-mb", { BZ, MB, .direct = ON, NEW },
      { DIRECT, P_LINUX, PVH_REASON_ON } },
    /* PVH ELF */
    { "elf-auto", { ELF, .direct = AUTO, NEW },
      { DIRECT, P_PVH, PVH_REASON_TYPE_DIRECT } },
    { "elf-on", { ELF, .direct = ON, NEW },
      { DIRECT, P_PVH, PVH_REASON_ON } },
    { "elf-off", { ELF, .direct = OFF, NEW },
      { FIRMWARE, P_PVH, PVH_REASON_OFF } },
    { "elf-no-pvh-type", { ELF, .direct = ON },
      { FIRMWARE, P_PVH, PVH_REASON_NO_PVH } },
    /* Multiboot: directly only on on, as it may call the BIOS */
    { "mb-auto", { OTHER, MB, .direct = AUTO, NEW },
      { FIRMWARE, P_MB, PVH_REASON_MULTIBOOT_AUTO } },
    { "mb-on", { OTHER, MB, .direct = ON, NEW },
      { DIRECT, P_MB, PVH_REASON_ON } },
    { "mb-off", { OTHER, MB, .direct = OFF, NEW },
      { FIRMWARE, P_MB, PVH_REASON_OFF } },
    { "mb-elf-auto", { ELF, MB, .direct = AUTO, NEW },
      { FIRMWARE, P_MB, PVH_REASON_MULTIBOOT_AUTO } },
    { "mb-elf-on", { ELF, MB, .direct = ON, NEW },
      { DIRECT, P_MB, PVH_REASON_ON } },
    /* prefer-pvh: an ELF with both headers boots through PVH */
    { "mb-elf-prefer-pvh", { ELF, MB, .direct = AUTO, .prefer_pvh = true,
                             NEW },
      { DIRECT, P_PVH, PVH_REASON_TYPE_DIRECT } },
    { "mb-elf-prefer-pvh-off", { ELF, MB, .direct = OFF,
                                 .prefer_pvh = true, NEW },
      { FIRMWARE, P_PVH, PVH_REASON_OFF } },
    { "mb-prefer-pvh-not-elf", { OTHER, MB, .direct = ON,
                                 .prefer_pvh = true, NEW },
      { DIRECT, P_MB, PVH_REASON_ON } },
    /* A multiboot magic whose header does not add up */
    { "mb-bad-on", { OTHER, MB_BAD, .direct = ON, NEW },
      { REFUSE, P_MB, PVH_REASON_MULTIBOOT_CHECKSUM } },
    { "mb-bad-elf-on", { ELF, MB_BAD, .direct = ON, NEW },
      { DIRECT, P_PVH, PVH_REASON_ON } },
    { "mb-bad-auto", { OTHER, MB_BAD, .direct = AUTO, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_NOT_DIRECT } },
    /* Nothing a direct loader takes: upstream's zImage guess */
    { "other-auto", { OTHER, .direct = AUTO, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_NOT_DIRECT } },
    { "other-off", { OTHER, .direct = OFF, NEW },
      { FIRMWARE, P_LINUX, PVH_REASON_OFF } },
};

static void test_row(gconstpointer data)
{
    const Row *r = data;
    PVHBootChoice c = pvh_boot_path_choose(&r->facts);

    g_assert_cmpint(c.route, ==, r->want.route);
    g_assert_cmpstr(pvh_boot_path_protocol_id(c.protocol), ==,
                    pvh_boot_path_protocol_id(r->want.protocol));
    g_assert_cmpint(c.reason, ==, r->want.reason);
}

static void test_enabled(void)
{
    g_assert_true(pvh_boot_path_direct_enabled(AUTO, true, false));
    g_assert_false(pvh_boot_path_direct_enabled(AUTO, true, true));
    g_assert_false(pvh_boot_path_direct_enabled(AUTO, false, false));
    g_assert_true(pvh_boot_path_direct_enabled(ON, false, true));
    g_assert_false(pvh_boot_path_direct_enabled(OFF, true, false));
}

static void test_protocol_ids(void)
{
    g_assert_cmpstr(pvh_boot_path_protocol_id(P_PVH), ==, "pvh");
    g_assert_cmpstr(pvh_boot_path_protocol_id(P_LINUX), ==, "linux");
    g_assert_cmpstr(pvh_boot_path_protocol_id(P_MB), ==, "multiboot");
    g_assert_cmpstr(pvh_boot_path_protocol_id(P_UNPACK), ==, "pvh-unpack");
    g_assert_cmpstr(pvh_boot_path_protocol_id(P_UNPACK + 1), ==, "none");
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < ARRAY_SIZE(rows); i++) {
        g_autofree char *path = g_strdup_printf("/boot-path-choice/%s",
                                                rows[i].name);

        g_test_add_data_func(path, &rows[i], test_row);
    }
    g_test_add_func("/boot-path-choice/enabled", test_enabled);
    g_test_add_func("/boot-path-choice/protocol-ids", test_protocol_ids);
    return g_test_run();
}
