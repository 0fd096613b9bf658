/*
 * x86/HVM direct boot ABI (PVH): the guest-visible layouts
 *
 * The wire format of hvm_start_info, hvm_modlist_entry and
 * hvm_memmap_table_entry (Xen's public arch-x86/hvm/start_info.h,
 * version 1).  All fields are little-endian; addresses are 64-bit
 * guest-physical; 0 means "not present".  Serialise with the offsets
 * below and stl_le_p()/stq_le_p(): no C structure is ever copied into
 * guest memory, so host padding and endianness cannot leak.
 *
 * This header is self-contained (no QEMU dependencies) so that the pure
 * PVH core builds and is unit-tested outside QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_ABI_H
#define HW_I386_PVH_ABI_H

/* ELF note that carries the 32-bit physical entry point */
#define PVH_NOTE_OWNER          "Xen"
#define PVH_NOTE_OWNER_SIZE     4       /* with the terminating NUL */
#define PVH_NOTE_PHYS32_ENTRY   18      /* XEN_ELFNOTE_PHYS32_ENTRY */
#define PVH_NOTE_PHYS32_RELOC   19      /* XEN_ELFNOTE_PHYS32_RELOC */

#define PVH_START_MAGIC         0x336ec578u
#define PVH_START_VERSION       1

/* struct hvm_start_info, version 1 */
enum {
    PVH_SI_MAGIC            = 0,    /* u32 */
    PVH_SI_VERSION          = 4,    /* u32 */
    PVH_SI_FLAGS            = 8,    /* u32 */
    PVH_SI_NR_MODULES       = 12,   /* u32 */
    PVH_SI_MODLIST_PADDR    = 16,   /* u64 */
    PVH_SI_CMDLINE_PADDR    = 24,   /* u64 */
    PVH_SI_RSDP_PADDR       = 32,   /* u64 */
    PVH_SI_MEMMAP_PADDR     = 40,   /* u64, version >= 1 */
    PVH_SI_MEMMAP_ENTRIES   = 48,   /* u32, version >= 1 */
    PVH_SI_RESERVED         = 52,   /* u32 */
    PVH_SI_SIZE             = 56,
};

/* struct hvm_modlist_entry */
enum {
    PVH_MOD_PADDR           = 0,    /* u64 */
    PVH_MOD_SIZE            = 8,    /* u64 */
    PVH_MOD_CMDLINE_PADDR   = 16,   /* u64 */
    PVH_MOD_RESERVED        = 24,   /* u64 */
    PVH_MOD_ENTRY_SIZE      = 32,
};

/* struct hvm_memmap_table_entry */
enum {
    PVH_MEMMAP_ADDR         = 0,    /* u64 */
    PVH_MEMMAP_SIZE         = 8,    /* u64 */
    PVH_MEMMAP_TYPE         = 16,   /* u32, E820 type */
    PVH_MEMMAP_RESERVED     = 20,   /* u32 */
    PVH_MEMMAP_ENTRY_SIZE   = 24,
};

/* E820 types used in the memory map */
enum {
    PVH_E820_RAM            = 1,
    PVH_E820_RESERVED       = 2,
    PVH_E820_ACPI           = 3,
    PVH_E820_NVS            = 4,
};

/*
 * Linux (arch/x86/platform/pvh/enlighten.c) copies the memory map into
 * its e820 table without a bound check: 128 entries, one of which it may
 * add itself.  Stay at or under 127.
 */
#define PVH_MEMMAP_MAX_ENTRIES  127

_Static_assert(PVH_SI_RESERVED + 4 == PVH_SI_SIZE, "hvm_start_info size");
_Static_assert(PVH_SI_SIZE == 56, "hvm_start_info v1 is 56 bytes");
_Static_assert(PVH_MOD_RESERVED + 8 == PVH_MOD_ENTRY_SIZE, "modlist size");
_Static_assert(PVH_MOD_ENTRY_SIZE == 32, "hvm_modlist_entry is 32 bytes");
_Static_assert(PVH_MEMMAP_RESERVED + 4 == PVH_MEMMAP_ENTRY_SIZE,
               "memmap entry size");
_Static_assert(PVH_MEMMAP_ENTRY_SIZE == 24,
               "hvm_memmap_table_entry is 24 bytes");

#endif
