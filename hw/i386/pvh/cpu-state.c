/*
 * PVH direct boot: the boot CPU state
 *
 * The x86/HVM direct boot ABI (Xen's docs/misc/pvh.pandoc), the
 * contract Linux's pvh_start_xen relies on:
 *
 *   %ebx: physical address of the hvm_start_info structure
 *   %cs: 32-bit read/execute code segment, base 0, limit 4 GiB
 *   %ds, %es, %ss: 32-bit read/write data segments, base 0, limit 4 GiB
 *   %tr: 32-bit TSS (active), base 0, limit 0x67
 *   %cr0: PE set, PG clear;  %cr4: 0;  EFER: 0
 *   %eflags: 0x2 (interrupts, VM86 and trap flag clear)
 *   all other registers unspecified; no stack, GDT or IDT is given
 *
 * What the ABI leaves open is set to values every accelerator accepts
 * as they are: the state must also pass Intel's VM-entry guest-state
 * checks (SDM vol. 3, 27.3.1), which tests/unit/test-pvh-cpu-state.c checks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "cpu-state.h"

#define FLAT_CODE   (PVH_SEG_P | PVH_SEG_S | PVH_SEG_DB | PVH_SEG_G | \
                     (PVH_SEG_TYPE_CODE_RXA << PVH_SEG_TYPE_SHIFT))
#define FLAT_DATA   (PVH_SEG_P | PVH_SEG_S | PVH_SEG_DB | PVH_SEG_G | \
                     (PVH_SEG_TYPE_DATA_RWA << PVH_SEG_TYPE_SHIFT))
#define BUSY_TSS32  (PVH_SEG_P | \
                     (PVH_SEG_TYPE_TSS32_BUSY << PVH_SEG_TYPE_SHIFT))

void pvh_cpu_state_pvh(uint32_t entry, uint32_t start_info, PVHCpuState *s)
{
    static const PVHSegReg data[] = {
        PVH_SEG_ES, PVH_SEG_SS, PVH_SEG_DS, PVH_SEG_FS, PVH_SEG_GS
    };
    size_t i;

    memset(s, 0, sizeof(*s));
    s->cr0 = PVH_CR0_PE | PVH_CR0_ET;
    s->eflags = 0x2;
    s->dr7 = 0x400;                     /* its reset value */
    s->mtrr_deftype = 0x806;            /* enabled, default write-back */
    s->eip = entry;
    s->ebx = start_info;
    s->seg[PVH_SEG_CS] = (PVHCpuSeg){ 0x08, 0, 0xffffffff, FLAT_CODE };
    for (i = 0; i < ARRAY_SIZE(data); i++) {
        s->seg[data[i]] = (PVHCpuSeg){ 0x10, 0, 0xffffffff, FLAT_DATA };
    }
    s->seg[PVH_SEG_TR] = (PVHCpuSeg){ 0x18, 0, 0x67, BUSY_TSS32 };
    /* LDTR null (not present): "unusable" to VMX, ignored by SVM */
    s->seg[PVH_SEG_LDTR] = (PVHCpuSeg){ 0, 0, 0, 0 };
    s->gdtr = (PVHTable){ 0, 0xffff };  /* reset values: no GDT given */
    s->idtr = (PVHTable){ 0, 0xffff };
}

void pvh_cpu_state_multiboot(uint32_t entry, uint32_t mbi, PVHCpuState *s)
{
    pvh_cpu_state_pvh(entry, mbi, s);
    s->eax = 0x2badb002;
}

/* A descriptor from the cache's base, byte-granular limit and flags */
static uint64_t descriptor(uint32_t base, uint32_t limit, uint32_t flags)
{
    uint64_t d;

    if (flags & PVH_SEG_G) {
        limit >>= 12;
    }
    d = (limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16);
    d |= (uint64_t)(flags & 0x00f0ff00) << 32;
    d |= (uint64_t)((limit >> 16) & 0xf) << 48;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

void pvh_cpu_state_linux_gdt(uint8_t out[PVH_LINUX_GDT_SIZE])
{
    memset(out, 0, PVH_LINUX_GDT_SIZE);
    stq_le_p(out + PVH_LINUX_BOOT_CS, descriptor(0, 0xffffffff, FLAT_CODE));
    stq_le_p(out + PVH_LINUX_BOOT_DS, descriptor(0, 0xffffffff, FLAT_DATA));
    stq_le_p(out + PVH_LINUX_BOOT_TSS, descriptor(0, 0x67, BUSY_TSS32));
}

void pvh_cpu_state_linux32(uint32_t entry, uint32_t boot_params,
                           uint32_t gdt, PVHCpuState *s)
{
    static const PVHSegReg data[] = {
        PVH_SEG_ES, PVH_SEG_SS, PVH_SEG_DS, PVH_SEG_FS, PVH_SEG_GS
    };
    size_t i;

    pvh_cpu_state_pvh(entry, 0, s);
    s->esi = boot_params;
    s->seg[PVH_SEG_CS].selector = PVH_LINUX_BOOT_CS;
    for (i = 0; i < ARRAY_SIZE(data); i++) {
        s->seg[data[i]].selector = PVH_LINUX_BOOT_DS;
    }
    s->seg[PVH_SEG_TR].selector = PVH_LINUX_BOOT_TSS;
    s->gdtr = (PVHTable){ gdt, PVH_LINUX_GDT_SIZE - 1 };
}
