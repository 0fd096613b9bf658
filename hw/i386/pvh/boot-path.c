/*
 * Direct kernel boot: which path boots the guest, and why (QEMU glue)
 *
 * Management tools cannot tell from "direct-boot=auto" whether a guest
 * booted with or without firmware.  The loaders record their choice
 * here at start-up, and the machine's read-only properties boot-path,
 * boot-protocol and boot-path-reason show it (qom-get).  The choice
 * holds for every reset: each boots the same way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "platform.h"
#include "trace.h"

static struct {
    const char *path;           /* "direct" or "firmware" */
    const char *protocol;       /* "pvh", "linux", ...; "none" */
    char *reason;
    char *declined;             /* why the direct path passed an image on */
} pvh_path = {
    .path = "firmware",
    .protocol = "none",
};

static void pvh_boot_path_set(const char *path, const char *protocol,
                              char *reason)
{
    pvh_path.path = path;
    pvh_path.protocol = protocol;
    g_free(pvh_path.reason);
    pvh_path.reason = reason;
    trace_pvh_boot_path(path, protocol, reason);
}

void pvh_boot_path_decline(const char *why)
{
    g_free(pvh_path.declined);
    pvh_path.declined = g_strdup(why);
}

void pvh_boot_path_direct(X86MachineState *x86ms, const char *protocol)
{
    pvh_boot_path_set("direct", protocol,
                      x86ms->pvh_direct == ON_OFF_AUTO_ON ?
                      g_strdup("direct-boot=on") :
                      g_strdup_printf("direct-boot=auto: machine type %s "
                                      "boots -kernel directly",
                                      MACHINE_GET_CLASS(x86ms)->name));
}

/* Why a kernel goes through firmware, when no loader said why */
static char *pvh_boot_path_why_firmware(X86MachineState *x86ms)
{
    Object *cgs = pvh_platform_confidential(x86ms);

    if (pvh_path.declined) {
        return g_strdup(pvh_path.declined);
    }
    if (x86ms->pvh_direct == ON_OFF_AUTO_OFF) {
        return g_strdup("direct-boot=off");
    }
    if (cgs) {
        return g_strdup_printf("confidential guest (%s): its memory is "
                               "private", object_get_typename(cgs));
    }
    return g_strdup_printf("direct-boot=auto: machine type %s boots "
                           "through firmware", MACHINE_GET_CLASS(x86ms)->name);
}

void pvh_boot_path_firmware(X86MachineState *x86ms, const char *protocol)
{
    pvh_boot_path_set("firmware", protocol,
                      pvh_boot_path_why_firmware(x86ms));
}

char *pvh_boot_path(void)
{
    return g_strdup(pvh_path.path);
}

char *pvh_boot_protocol(void)
{
    return g_strdup(pvh_path.protocol);
}

char *pvh_boot_path_reason(void)
{
    return g_strdup(pvh_path.reason ? pvh_path.reason :
                    "no -kernel: firmware boots from the boot devices");
}
