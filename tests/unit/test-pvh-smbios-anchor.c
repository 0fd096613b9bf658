/*
 * Unit tests for the SMBIOS entry point fix-up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/smbios-anchor.h"

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

static void ep21(uint8_t *ep)
{
    memset(ep, 0, 0x1f);
    memcpy(ep, "_SM_", 4);
    ep[5] = 0x1f;
    ep[6] = 2;
    ep[7] = 8;
    memcpy(ep + 0x10, "_DMI_", 5);
    stw_le_p(ep + 0x16, 0x1a0);         /* table length */
    stw_le_p(ep + 0x1c, 9);             /* structures */
}

static void test_21(void)
{
    uint8_t ep[0x1f];

    ep21(ep);
    g_assert_true(pvh_smbios_anchor_fix(ep, sizeof(ep), 0x7fffc000));
    g_assert_cmphex(ldl_le_p(ep + 0x18), ==, 0x7fffc000);
    g_assert_cmpuint(sum(ep, 0x1f), ==, 0);
    g_assert_cmpuint(sum(ep + 0x10, 0x0f), ==, 0);
    g_assert_cmphex(lduw_le_p(ep + 0x16), ==, 0x1a0);
    /* A 2.1 entry point has 32 bits for the address */
    g_assert_false(pvh_smbios_anchor_fix(ep, sizeof(ep), 1ULL << 32));
}

static void test_30(void)
{
    uint8_t ep[0x18] = "_SM3_";

    ep[6] = 0x18;
    ep[7] = 3;
    g_assert_true(pvh_smbios_anchor_fix(ep, sizeof(ep), 0x17fffc000ULL));
    g_assert_cmphex(ldq_le_p(ep + 0x10), ==, 0x17fffc000ULL);
    g_assert_cmpuint(sum(ep, 0x18), ==, 0);
}

static void test_malformed(void)
{
    uint8_t ep[0x20];

    ep21(ep);
    g_assert_false(pvh_smbios_anchor_fix(ep, 0x1e, 0x1000));  /* short */
    ep[5] = 0x30;                                           /* len lies */
    g_assert_false(pvh_smbios_anchor_fix(ep, 0x1f, 0x1000));
    ep21(ep);
    memcpy(ep + 0x10, "_XMI_", 5);
    g_assert_false(pvh_smbios_anchor_fix(ep, 0x1f, 0x1000));
    memcpy(ep, "_SM3_", 5);
    ep[6] = 0x40;
    g_assert_false(pvh_smbios_anchor_fix(ep, 0x20, 0x1000));
    memcpy(ep, "ABCD", 4);
    g_assert_false(pvh_smbios_anchor_fix(ep, 0x20, 0x1000));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/smbios-anchor/entry-point-2.1", test_21);
    g_test_add_func("/smbios-anchor/entry-point-3.0", test_30);
    g_test_add_func("/smbios-anchor/malformed", test_malformed);
    return g_test_run();
}
