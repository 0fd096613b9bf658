/*
 * PVH direct boot: SMBIOS entry point fix-up
 *
 * QEMU builds the SMBIOS structure table and an entry point whose table
 * address firmware fills in once it has placed the table.  With no
 * firmware, QEMU does it: the layouts are those of the SMBIOS 3.x
 * specification, section 5.2.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "smbios-anchor.h"

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--) {
        s += *p++;
    }
    return s;
}

/* SMBIOS 2.1: 0x1f bytes, "_DMI_" intermediate block at 0x10 */
static bool fix_21(uint8_t *ep, size_t len, uint64_t table)
{
    uint8_t eplen = ep[5];

    if (eplen < 0x1f || eplen > len || memcmp(ep + 0x10, "_DMI_", 5) ||
        table > UINT32_MAX) {
        return false;
    }
    stl_le_p(ep + 0x18, table);
    ep[0x15] = 0;
    ep[0x15] = -sum(ep + 0x10, 0x0f);
    ep[4] = 0;
    ep[4] = -sum(ep, eplen);
    return true;
}

/* SMBIOS 3.0: 0x18 bytes, 64-bit table address at 0x10 */
static bool fix_30(uint8_t *ep, size_t len, uint64_t table)
{
    uint8_t eplen = ep[6];

    if (eplen < 0x18 || eplen > len) {
        return false;
    }
    stq_le_p(ep + 0x10, table);
    ep[5] = 0;
    ep[5] = -sum(ep, eplen);
    return true;
}

bool pvh_smbios_anchor_fix(uint8_t *ep, size_t len, uint64_t table)
{
    if (len >= 0x18 && !memcmp(ep, "_SM3_", 5)) {
        return fix_30(ep, len, table);
    }
    if (len >= 0x1f && !memcmp(ep, "_SM_", 4)) {
        return fix_21(ep, len, table);
    }
    return false;
}
