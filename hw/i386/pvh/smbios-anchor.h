/*
 * PVH direct boot: SMBIOS entry point fix-up (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_SMBIOS_ANCHOR_H
#define HW_I386_PVH_SMBIOS_ANCHOR_H

/* Where Linux and other OSes scan for the entry point without EFI */
#define PVH_SMBIOS_ANCHOR_ADDR  0xf0000

/*
 * The BIOS information (type 0) of a direct boot, as firmware fills it
 * in on its path: QEMU, which did firmware's work, is the vendor; the
 * version is QEMU's, and the release date that of the QEMU release the
 * series is based on (PVH_QEMU_RELEASE_DATE, compat.h).  -smbios
 * type=0,... still overrides each.
 */
#define PVH_SMBIOS_BIOS_VENDOR  "QEMU"

/**
 * pvh_smbios_anchor_fix: point an SMBIOS 2.1 ("_SM_") or 3.0 ("_SM3_")
 * entry point at its structure table and redo its checksums, as
 * firmware does
 * @ep: the entry point QEMU built; untrusted, checked against @len
 * @len: its length in bytes
 * @table: guest-physical address of the structure table
 *
 * Returns false if @ep is not a well-formed entry point or a 2.1 one
 * cannot reach @table (32-bit field).
 */
bool pvh_smbios_anchor_fix(uint8_t *ep, size_t len, uint64_t table);

#endif
