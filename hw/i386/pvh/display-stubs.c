/*
 * Direct kernel boot: no VGA to set up (machines other than pc and q35)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "display.h"

const char *pvh_display_text_mode(X86MachineState *x86ms)
{
    return NULL;
}
