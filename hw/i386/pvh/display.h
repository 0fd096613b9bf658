/*
 * Direct kernel boot: the display as the video BIOS leaves it (QEMU
 * glue; display-stubs.c on machines other than pc and q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_DISPLAY_H
#define HW_I386_PVH_DISPLAY_H

#include "hw/i386/x86.h"

/**
 * pvh_display_text_mode: put the VGA in 80x25 text mode, font loaded
 * @x86ms: the machine
 *
 * A VGA on the root PCI bus (a VGA class device, looked for at every
 * reset, as one may have been plugged) or an ISA one decodes its legacy
 * ranges and shows text mode 3, as after the video BIOS.  Call inside a
 * memory transaction, which the VGA's memory writes may commit and
 * begin again.  Returns the VGA's type name, NULL when there is none.
 */
const char *pvh_display_text_mode(X86MachineState *x86ms);

#endif
