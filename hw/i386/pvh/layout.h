/*
 * PVH direct boot: guest memory layout of the boot structures (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_LAYOUT_H
#define HW_I386_PVH_LAYOUT_H

#include "hw/i386/pvh-abi.h"
#include "pvh-elf.h"

#define PVH_LAYOUT_MAX_INPUT 128     /* e820 entries taken from QEMU */
#define PVH_LAYOUT_MAX_USED  (PVH_ELF_MAX_SEGMENTS + 16)

/*
 * Where the structures go by preference: the addresses Cloud Hypervisor
 * and Firecracker use, low in memory because FreeBSD starts its early
 * allocations just above the highest of them.
 */
#define PVH_PREF_START_INFO  0x6000
#define PVH_PREF_MODLIST     0x6040
#define PVH_PREF_MEMMAP      0x7000
#define PVH_PREF_CMDLINE     0x20000

/*
 * The low area: those structures, and at its end the ACPI and SMBIOS
 * tables where the kernel leaves room.  platform.c backs it with base
 * pages, so that the reset's writes there fault in a few 4 KiB pages
 * instead of clearing a 2 MiB huge page.
 */
#define PVH_LOW_AREA         0x200000

/* Linux maps only the first GiB when it reads memmap and modlist. */
#define PVH_LOW_LIMIT        (1ULL << 30)
#define PVH_4G               (1ULL << 32)

typedef enum PVHLayoutError {
    PVH_LAYOUT_OK = 0,
    PVH_LAYOUT_TOO_MANY_E820,
    PVH_LAYOUT_SEGMENT_NOT_IN_RAM,
    PVH_LAYOUT_NO_ROOM_START_INFO,
    PVH_LAYOUT_NO_ROOM_CMDLINE,
    PVH_LAYOUT_NO_ROOM_INITRD,
    PVH_LAYOUT_TOO_MANY_RESERVED,
    PVH_LAYOUT_MEMMAP_TOO_BIG,
    PVH_LAYOUT_SEGMENT_ON_RESERVED,
    PVH_LAYOUT_NO_ROOM_TABLES,
    PVH_LAYOUT_NO_ROOM_KERNEL,
} PVHLayoutError;

typedef struct PVHRange {
    uint64_t addr;
    uint64_t size;
    uint32_t type;              /* E820 type; unused for claimed ranges */
} PVHRange;

typedef struct PVHLayout {
    /* Input: QEMU's e820 table and any extra reserved regions */
    unsigned nr_e820;
    PVHRange e820[PVH_LAYOUT_MAX_INPUT];
    /*
     * Input, optional: an area for tables the host writes (ACPI, SMBIOS),
     * at @tables_pref if that is free RAM, else as high as it fits below
     * 4 GiB, clear of the kernel.  Set after pvh_layout_init().
     */
    uint64_t tables_size, tables_pref;
    /*
     * Input, optional: physical KASLR.  A relocatable kernel (a
     * PHYS32_RELOC note) is then placed at a base drawn from
     * @kaslr_random among all that fit; others never move.
     */
    bool kaslr;
    uint64_t kaslr_random;
    /*
     * Input, optional: a boot protocol other than PVH.  With @info_size
     * set, one block of that many bytes (the protocol's boot information)
     * is placed below 1 GiB, at @info_pref if that is free, instead of
     * start_info, modlist and memmap; the output is @info.
     */
    uint64_t info_size, info_pref;
    /*
     * Input, optional: the initrd ends at or below @initrd_limit (0:
     * 4 GiB); if it does not fit there and @initrd_anywhere, it goes as
     * high as it fits in RAM.
     */
    uint64_t initrd_limit;
    bool initrd_anywhere;
    /* Ranges nothing may be placed in (kernel, structures, holes) */
    unsigned nr_used;
    PVHRange used[PVH_LAYOUT_MAX_USED];
    /* Output */
    uint64_t start_info, modlist, memmap, cmdline, initrd, info;
    uint64_t cmdline_size;      /* with its NUL */
    uint64_t initrd_size;
    uint64_t rsdp;
    uint64_t tables;            /* the tables area; 0 when none asked */
    int64_t kernel_delta;       /* where the kernel goes, less its links */
    uint64_t kernel_slots;      /* with kaslr: the bases it was drawn from */
    unsigned nr_memmap;
    PVHRange memmap_entries[PVH_MEMMAP_MAX_ENTRIES];
    /* Failure details */
    int err_index;
    uint64_t err_a, err_b;
} PVHLayout;

/**
 * pvh_layout_init: start a layout from the machine's e820 table
 * @lay: the layout to fill
 * @e820: the machine's memory map (RAM and reserved entries)
 * @nr: number of entries
 *
 * Returns PVH_LAYOUT_OK or PVH_LAYOUT_TOO_MANY_E820.
 */
PVHLayoutError pvh_layout_init(PVHLayout *lay, const PVHRange *e820,
                               unsigned nr);

/**
 * pvh_layout_reserve: mark [addr, addr + size) as @type in the memmap
 * and keep the structures out of it (ACPI tables, for instance).
 */
PVHLayoutError pvh_layout_reserve(PVHLayout *lay, uint64_t addr,
                                  uint64_t size, uint32_t type);

/**
 * pvh_layout_place: place the tables area, start_info, modlist, memmap,
 * cmdline and the initrd around the kernel's segments
 * @lay: a layout from pvh_layout_init()
 * @img: the parsed kernel; every segment must lie in RAM, clear of the
 *     ranges pvh_layout_reserve() took, unless the kernel is relocatable:
 *     then it goes to the lowest base of its range where it does (or, with
 *     lay->kaslr, a random one), and lay->kernel_delta says how far it
 *     moved (see pvh_elf_relocate())
 * @cmdline_len: strlen() of the command line
 * @initrd_size: 0 for no initrd
 *
 * Returns PVH_LAYOUT_OK, or the first rule that cannot be met.
 */
PVHLayoutError pvh_layout_place(PVHLayout *lay, const PVHElfImage *img,
                                uint64_t cmdline_len, uint64_t initrd_size);

/**
 * pvh_layout_check_kernel: can the kernel's segments go where they are
 * linked (the firmware path, which never moves a kernel)?
 * @lay: a layout from pvh_layout_init()
 * @img: the parsed kernel
 *
 * Returns PVH_LAYOUT_OK if every segment lies in RAM, outside the
 * 640 KiB - 1 MiB hole and clear of the ranges pvh_layout_reserve()
 * took; otherwise the first rule broken, for pvh_layout_describe().
 */
PVHLayoutError pvh_layout_check_kernel(PVHLayout *lay, const PVHElfImage *img);

/**
 * pvh_layout_update_memmap: rebuild the memmap after a late
 * pvh_layout_reserve() (a region found only once devices exist)
 */
PVHLayoutError pvh_layout_update_memmap(PVHLayout *lay);

/**
 * pvh_layout_describe: one line naming the failure, for g_free()
 */
char *pvh_layout_describe(PVHLayoutError err, const PVHLayout *lay);

/* Serialise the structures, little-endian, into caller buffers */
void pvh_layout_write_start_info(const PVHLayout *lay,
                                 uint8_t out[PVH_SI_SIZE]);
void pvh_layout_write_modlist(const PVHLayout *lay,
                              uint8_t out[PVH_MOD_ENTRY_SIZE]);
/* Writes lay->nr_memmap entries: PVH_MEMMAP_ENTRY_SIZE bytes each */
void pvh_layout_write_memmap(const PVHLayout *lay, uint8_t *out);

#endif
