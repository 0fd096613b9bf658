/*
 * libFuzzer target: the ACPI table-loader interpreter (and the SMBIOS
 * entry point fix-up).  Input: two file sizes, the files, the script.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "table-loader.h"
#include "smbios-anchor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool accept_wp(void *opaque, const char *dest, uint32_t off,
                      uint8_t size, uint64_t value)
{
    return off < 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PVHAcpiFile files[2];
    PVHAcpiLinker l = { .files = files, .nr_files = 2,
                        .base = 0x7ffe0000, .size = 0x20000,
                        .write_pointer = accept_wp };
    size_t n0, n1;
    g_autofree uint8_t *f0 = NULL, *f1 = NULL, *script = NULL;
    PVHAcpiError err;
    unsigned i;

    if (size < 4) {
        return 0;
    }
    n0 = lduw_le_p(data) % 0x3000;
    n1 = lduw_le_p(data + 2) % 0x100;
    data += 4;
    size -= 4;
    if (size < n0 + n1) {
        return 0;
    }
    f0 = g_memdup2(data, n0);
    f1 = g_memdup2(data + n0, n1);
    /* Zeroes after the bytes, as the direct path's cut copy of a file */
    files[0] = (PVHAcpiFile) { "etc/acpi/tables", f0, n0, 0,
                               n0 + (n1 & 0xf) * 0x100 };
    files[1] = (PVHAcpiFile) { "etc/acpi/rsdp", f1, n1, 0, 0 };
    script = g_memdup2(data + n0 + n1, size - n0 - n1);
    assert(pvh_table_loader_extent(script, size - n0 - n1, "etc/acpi/tables") <=
           2ULL * UINT32_MAX);
    err = pvh_table_loader_link(&l, script, size - n0 - n1);
    g_free(pvh_table_loader_describe(err, &l));
    for (i = 0; i < 2; i++) {
        assert(!files[i].addr || (files[i].addr >= l.base &&
               files[i].addr + pvh_table_loader_room(&files[i]) <=
               l.base + l.size));
    }
    /* The S3 wakeup path walks whatever tables were linked */
    if (!err && files[1].addr) {
        uint64_t facs = pvh_table_loader_find_facs(files, 2, files[1].addr);

        assert(!facs || (facs >= l.base && facs + 64 <= l.base + l.size));
    }
    pvh_smbios_anchor_fix(f1, n1, 0x7fffc000);
    return 0;
}
