/*
 * bzImage test guest: the 32-bit entry (the first byte of the
 * protected-mode kernel, loaded at 1 MiB).  Records the register state
 * Linux's 32-bit boot protocol promises before touching anything, zeroes
 * its bss (the loader does not), then calls guest_main() on a stack of
 * its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .section .text.entry, "ax"
    .code32
    .globl bz_entry
bz_entry:
    mov %esi, entry_esi
    mov %ebx, entry_ebx
    mov %ebp, entry_ebp
    mov %edi, entry_edi
    mov %esp, entry_esp
    mov $stack_top, %esp
    pushf
    pop entry_eflags
    /* Zero the bss (the stack included), as Linux does */
    cld
    mov $__bss_start, %edi
    mov $_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb
    mov %cr0, %eax
    mov %eax, entry_cr0
    mov %cr4, %eax
    mov %eax, entry_cr4
    mov %cs, entry_cs
    mov %ds, entry_ds
    mov %es, entry_es
    mov %ss, entry_ss
    str entry_tr
    sgdt entry_gdtr
    push %esi
    call guest_main
1:  hlt
    jmp 1b

    .bss
    .balign 16
    .globl stack
stack:
    .space 16384
stack_top:

    .section .note.GNU-stack, "", @progbits
