/*
 * PVH test guest: entry point.  Records the register state the x86/HVM
 * direct boot ABI promises before touching anything, then calls
 * guest_main() on a stack of its own (the ABI gives none).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "entry-common.inc"

    .section .note.Xen, "a", @note
    .balign 4
    .long 4                 /* namesz: "Xen\0" */
#ifdef NOTE_DESC8
    .long 8
#else
    .long 4
#endif
    .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
#ifdef NOTE_DESC8
    .long pvh_entry, 0      /* 8-byte desc, as Linux x86-64 emits */
#else
    .long pvh_entry
#endif

    .text
    .code32
    /* e_entry: never run, the PVH entry is the note's, not this */
    .globl _start
_start:
    ud2
    .balign 16
    .globl pvh_entry
pvh_entry:
    mov %ebx, entry_ebx
    record_state
    enter_main %ebx

    stack_and_notes
