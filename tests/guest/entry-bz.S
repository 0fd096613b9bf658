/*
 * bzImage test guest: the 32-bit entry (the first byte of the
 * protected-mode kernel, loaded at 1 MiB).  Records the register state
 * Linux's 32-bit boot protocol promises before touching anything, zeroes
 * its bss (the loader does not), then calls guest_main() on a stack of
 * its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "entry-common.inc"

    .section .text.entry, "ax"
    .code32
    .globl bz_entry
bz_entry:
    mov %esi, entry_esi
    mov %ebx, entry_ebx
    mov %ebp, entry_ebp
    mov %edi, entry_edi
    record_state
    sgdt entry_gdtr
    /* Zero the bss (the stack included), as Linux does */
    cld
    mov $__bss_start, %edi
    mov $_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb
    mov $stack_top, %esp
    enter_main entry_esi

    stack_and_notes
