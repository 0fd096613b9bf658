/*
 * PVH direct boot: the boot CPU state (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_CPU_STATE_H
#define HW_I386_PVH_CPU_STATE_H

/*
 * Segment attributes in the layout of a descriptor's high word (bits
 * 8-23), the layout QEMU's SegmentCache.flags uses: type in 11:8, S 12,
 * DPL 14:13, P 15, AVL 20, L 21, D/B 22, G 23.
 */
#define PVH_SEG_TYPE_SHIFT  8
#define PVH_SEG_S           (1u << 12)
#define PVH_SEG_P           (1u << 15)
#define PVH_SEG_L           (1u << 21)
#define PVH_SEG_DB          (1u << 22)
#define PVH_SEG_G           (1u << 23)

/* Segment types (SDM vol. 3, 3.4.5.1 and 3.5) */
#define PVH_SEG_TYPE_DATA_RWA       0x3     /* read/write, accessed */
#define PVH_SEG_TYPE_CODE_RXA       0xb     /* execute/read, accessed */
#define PVH_SEG_TYPE_TSS32_BUSY     0xb     /* system segment (S = 0) */

#define PVH_CR0_PE  (1ull << 0)
#define PVH_CR0_ET  (1ull << 4)

typedef enum PVHSegReg {
    PVH_SEG_ES, PVH_SEG_CS, PVH_SEG_SS, PVH_SEG_DS, PVH_SEG_FS, PVH_SEG_GS,
    PVH_SEG_LDTR, PVH_SEG_TR, PVH_SEG_COUNT
} PVHSegReg;

typedef struct PVHCpuSeg {
    uint16_t selector;
    uint32_t base;
    uint32_t limit;     /* byte granular, as the descriptor cache holds it */
    uint32_t flags;     /* PVH_SEG_*; 0 = null, unusable */
} PVHCpuSeg;

typedef struct PVHTable {
    uint32_t base;
    uint16_t limit;
} PVHTable;

/* Everything the entry sets; the rest keeps its reset value */
typedef struct PVHCpuState {
    uint64_t cr0, cr3, cr4, efer, eflags, dr7, mtrr_deftype;
    uint32_t eip, eax, ebx, esi;
    PVHCpuSeg seg[PVH_SEG_COUNT];
    PVHTable gdtr, idtr;
} PVHCpuState;

/**
 * pvh_cpu_state_pvh: the boot CPU state of the x86/HVM direct boot ABI
 * @entry: the kernel's 32-bit PVH entry
 * @start_info: physical address of hvm_start_info, passed in %ebx
 * @s: filled in
 *
 * Flat 32-bit protected mode, paging off, CR4 = EFER = 0, CS/DS/ES/SS
 * (and FS/GS) flat with base 0 and limit 4 GiB, a busy 32-bit TSS,
 * LDTR null, EFLAGS 0x2, MTRRs enabled write-back.
 */
void pvh_cpu_state_pvh(uint32_t entry, uint32_t start_info, PVHCpuState *s);

/**
 * pvh_cpu_state_multiboot: the boot CPU state of Multiboot 0.6.96
 * @entry: the kernel's entry point
 * @mbi: physical address of the multiboot information, passed in %ebx
 * @s: filled in
 *
 * %eax = 0x2BADB002, the rest as pvh_cpu_state_pvh(), which is what
 * the specification asks: flat 32-bit CS, DS, ES, FS, GS and SS,
 * paging off, interrupts off.  It promises no GDT, and gets none.
 */
void pvh_cpu_state_multiboot(uint32_t entry, uint32_t mbi, PVHCpuState *s);

/*
 * The GDT the Linux 32-bit boot protocol asks for, written by the host
 * into guest memory: __BOOT_CS (0x10) and __BOOT_DS (0x18) flat, and a
 * busy 32-bit TSS (0x20) that TR names.
 */
#define PVH_LINUX_BOOT_CS       0x10
#define PVH_LINUX_BOOT_DS       0x18
#define PVH_LINUX_BOOT_TSS      0x20
#define PVH_LINUX_GDT_SIZE      0x28

/**
 * pvh_cpu_state_linux_gdt: the GDT of pvh_cpu_state_linux32()
 * @out: PVH_LINUX_GDT_SIZE bytes, little-endian descriptors
 */
void pvh_cpu_state_linux_gdt(uint8_t out[PVH_LINUX_GDT_SIZE]);

/**
 * pvh_cpu_state_linux32: the boot CPU state of Linux's 32-bit boot
 * protocol (Documentation/arch/x86/boot.rst, "32-bit Boot Protocol")
 * @entry: the protected-mode kernel's load address, its 32-bit entry
 * @boot_params: physical address of struct boot_params, passed in %esi
 * @gdt: physical address of the GDT of pvh_cpu_state_linux_gdt()
 * @s: filled in
 *
 * Protected mode, paging off, interrupts off, the GDT loaded, CS =
 * __BOOT_CS and DS = ES = SS (and FS, GS) = __BOOT_DS, their caches
 * loaded from those descriptors, %ebx = %ebp = %edi = 0.  The rest as
 * pvh_cpu_state_pvh().
 */
void pvh_cpu_state_linux32(uint32_t entry, uint32_t boot_params,
                           uint32_t gdt, PVHCpuState *s);

#endif
