/*
 * Multiboot test guest: the multiboot header and entry.  Records the
 * register state Multiboot 0.6.96 promises (%eax = 0x2BADB002, %ebx at
 * the multiboot information) before touching anything, then calls
 * guest_main() on a stack of its own.  Built twice: as an ELF, and with
 * -DAOUT_KLUDGE as a flat image whose header gives the load addresses
 * (MULTIBOOT_AOUT_KLUDGE, flag 16).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "entry-common.inc"

#define MB_MAGIC        0x1badb002
#define MB_PAGE_ALIGN   (1 << 0)        /* modules on page boundaries */
#define MB_MEMORY_INFO  (1 << 1)        /* mem_* and the memory map */
#define MB_AOUT_KLUDGE  (1 << 16)       /* the address fields are valid */
#ifdef AOUT_KLUDGE
#define MB_FLAGS (MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_AOUT_KLUDGE)
#else
#define MB_FLAGS (MB_PAGE_ALIGN | MB_MEMORY_INFO)
#endif

    .section .text.entry, "ax"
    .code32
    .balign 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
#ifdef AOUT_KLUDGE
    .long mb_header         /* header_addr */
    .long _start            /* load_addr: the image's first byte */
    .long _edata            /* load_end_addr */
    .long _end              /* bss_end_addr: QEMU zeroes up to here */
    .long mb_entry          /* entry_addr */
#endif
    .globl mb_entry
mb_entry:
    mov %eax, entry_eax
    mov %ebx, entry_ebx
    record_state
    enter_main entry_ebx

    stack_and_notes
