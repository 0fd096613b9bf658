/*
 * Direct kernel boot: which path boots the guest, and why (QEMU glue)
 *
 * x86_load_linux() calls pvh_direct_boot() once.  It gathers the facts
 * about -kernel and the machine, lets pvh_boot_path_choose() pick the
 * path (boot-path-choice.c), records the choice and calls the chosen
 * loader, or loads the BIOS and hands the kernel back to upstream's
 * loaders.
 *
 * Management tools cannot tell from "direct-boot=auto" whether a guest
 * booted with or without firmware: the machine's read-only properties
 * boot-path, boot-protocol and boot-path-reason show the choice
 * (qom-get).  It holds for every reset: each boots the same way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "../multiboot.h"
#include "platform.h"
#include "boot-path-choice.h"
#include "boot-pvh.h"
#include "boot-linux.h"
#include "boot-unpack.h"
#include "boot-multiboot.h"
#include "trace.h"

static struct {
    const char *path;           /* "direct" or "firmware" */
    const char *protocol;       /* "pvh", "linux", ...; "none" */
    char *reason;
} pvh_path = {
    .path = "firmware",
    .protocol = "none",
};

/* What the glue learnt of the image, beyond the facts */
typedef struct PVHBootImage {
    PVHLinuxImage li;
    PVHLinuxError linux_error;
} PVHBootImage;

static PVHDirectSetting pvh_direct_setting(X86MachineState *x86ms)
{
    return x86ms->pvh_direct == ON_OFF_AUTO_ON ? PVH_DIRECT_ON :
           x86ms->pvh_direct == ON_OFF_AUTO_OFF ? PVH_DIRECT_OFF :
           PVH_DIRECT_AUTO;
}

bool pvh_direct_enabled(X86MachineState *x86ms)
{
    return pvh_boot_path_direct_enabled(pvh_direct_setting(x86ms),
                                        X86_MACHINE_GET_CLASS(x86ms)->
                                        pvh_direct_default,
                                        MACHINE(x86ms)->cgs);
}

static PVHImageKind pvh_image_kind(const uint8_t *header, size_t size)
{
    if (size >= 0x206 && ldl_le_p(header + 0x202) == 0x53726448) {
        return PVH_IMAGE_BZIMAGE;       /* "HdrS" */
    }
    if (size >= 4 && !memcmp(header, "\177ELF", 4)) {
        return PVH_IMAGE_ELF;
    }
    return PVH_IMAGE_OTHER;
}

bool pvh_probe_multiboot(X86MachineState *x86ms, const uint8_t *header,
                         size_t size)
{
    return !(x86ms->prefer_pvh &&
             pvh_image_kind(header, size) == PVH_IMAGE_ELF);
}

static PVHMultibootHeader pvh_multiboot_header(const uint8_t *header,
                                               size_t size)
{
    uint32_t flags;
    bool bad_checksum;

    if (multiboot_find_header(header, size, &flags, &bad_checksum) >= 0) {
        return PVH_MB_VALID;
    }
    return bad_checksum ? PVH_MB_BAD_CHECKSUM : PVH_MB_NONE;
}

/*
 * The facts about -kernel and the machine.  The setup header of a
 * bzImage is read only where it counts: with direct boot enabled.
 */
static bool pvh_boot_facts(X86MachineState *x86ms, PVHImageKind kind,
                           const uint8_t *header, size_t header_size,
                           bool pvh_elf, PVHBootFacts *f, PVHBootImage *img,
                           Error **errp)
{
    MachineState *ms = MACHINE(x86ms);

    *f = (PVHBootFacts) {
        .image = kind,
        .direct = pvh_direct_setting(x86ms),
        .type_direct = X86_MACHINE_GET_CLASS(x86ms)->pvh_direct_default,
        .confidential = ms->cgs,
        .prefer_pvh = x86ms->prefer_pvh,
        .pvh_unpack = x86ms->pvh_unpack,
        .dtb = ms->dtb,
        .pvh_elf = pvh_elf,
    };
    if (f->image != PVH_IMAGE_BZIMAGE) {
        f->multiboot = pvh_multiboot_header(header, header_size);
        return true;
    }
    if (!pvh_boot_path_direct_enabled(f->direct, f->type_direct,
                                      f->confidential)) {
        return true;
    }
    if (!pvh_boot_linux_read_named(ms->kernel_filename, &img->li,
                                   &img->linux_error, errp)) {
        return false;
    }
    f->linux_header = img->linux_error == PVH_LINUX_OK ?
                      PVH_LINUX_HEADER_OK :
                      pvh_linux_needs_firmware(img->linux_error) ?
                      PVH_LINUX_HEADER_NEEDS_FIRMWARE :
                      PVH_LINUX_HEADER_MALFORMED;
    return true;
}

/* The boot-path-reason property's words for a direct or firmware path */
static char *pvh_boot_reason(X86MachineState *x86ms, PVHBootReason r,
                             const PVHBootImage *img)
{
    const char *type = MACHINE_GET_CLASS(x86ms)->name;
    Object *cgs = OBJECT(MACHINE(x86ms)->cgs);

    switch (r) {
    case PVH_REASON_ON:
        return g_strdup("direct-boot=on");
    case PVH_REASON_TYPE_DIRECT:
        return g_strdup_printf("direct-boot=auto: machine type %s boots "
                               "-kernel directly", type);
    case PVH_REASON_OFF:
        return g_strdup("direct-boot=off");
    case PVH_REASON_CONFIDENTIAL:
        return g_strdup_printf("confidential guest (%s): its memory is "
                               "private", object_get_typename(cgs));
    case PVH_REASON_LINUX_NEEDS_BIOS:
        return pvh_linux_describe(img->linux_error, &img->li);
    case PVH_REASON_MULTIBOOT_AUTO:
        return g_strdup("multiboot kernels boot directly only with "
                        "direct-boot=on: they may call the BIOS");
    case PVH_REASON_NO_PVH:
        return g_strdup_printf("machine type %s has no PVH boot", type);
    case PVH_REASON_NOT_DIRECT:
        return g_strdup("no bzImage, PVH ELF or multiboot kernel: no "
                        "direct loader takes it");
    default:
        return g_strdup_printf("direct-boot=auto: machine type %s boots "
                               "through firmware", type);
    }
}

/* The message for a refused kernel */
static void pvh_boot_refuse(X86MachineState *x86ms, PVHBootChoice c,
                            const PVHBootImage *img, Error **errp)
{
    const char *name = MACHINE(x86ms)->kernel_filename;

    switch (c.reason) {
    case PVH_REASON_CONFIDENTIAL:
        error_setg(errp, "kernel '%s': direct-boot=on cannot boot a "
                   "confidential guest (%s): its memory is private; use "
                   "direct-boot=auto or off", name,
                   object_get_typename(OBJECT(MACHINE(x86ms)->cgs)));
        break;
    case PVH_REASON_LINUX_HEADER:
        pvh_boot_linux_refuse(name, img->linux_error, &img->li,
                              pvh_linux_needs_firmware(img->linux_error) ?
                              "; use direct-boot=auto or off" : "", errp);
        break;
    case PVH_REASON_MULTIBOOT_CHECKSUM:
        error_setg(errp, "kernel '%s': its multiboot header has a wrong "
                   "checksum (magic, flags and checksum must add up to 0)",
                   name);
        break;
    default:
        error_setg(errp, "kernel '%s': -dtb needs the Linux boot protocol, "
                   "and pvh-unpack=on boots through PVH", name);
    }
}

static void pvh_boot_path_set(const char *path, PVHBootProtocol protocol,
                              char *reason)
{
    pvh_path.path = path;
    pvh_path.protocol = pvh_boot_path_protocol_id(protocol);
    g_free(pvh_path.reason);
    pvh_path.reason = reason;
    trace_pvh_boot_path(path, pvh_path.protocol, reason);
}

/* The chosen direct loader; a multiboot loader has closed @f */
static bool pvh_boot_load(X86MachineState *x86ms, PVHBootProtocol p,
                          FILE *f, uint8_t *header, int kernel_size,
                          uint64_t acpi_size, Error **errp)
{
    switch (p) {
    case PVH_PROTOCOL_PVH:
        return pvh_boot_pvh_load(x86ms, acpi_size, errp);
    case PVH_PROTOCOL_LINUX:
        return pvh_boot_linux_load(x86ms, acpi_size, errp);
    case PVH_PROTOCOL_MULTIBOOT:
        return pvh_boot_multiboot_load(x86ms, f, header, kernel_size,
                                       acpi_size, errp);
    case PVH_PROTOCOL_UNPACK:
        return pvh_boot_unpack_load(x86ms, acpi_size, errp);
    default:
        g_assert_not_reached();
    }
}

bool pvh_direct_boot(X86MachineState *x86ms, FILE *f, uint8_t *header,
                     size_t header_size, int kernel_size, bool pvh_elf,
                     uint64_t acpi_size, Error **errp)
{
    const char *initrd = MACHINE(x86ms)->initrd_filename;
    PVHImageKind kind = pvh_image_kind(header, header_size);
    g_autofree PVHBootImage *img = g_new0(PVHBootImage, 1);
    PVHBootFacts facts;
    PVHBootChoice c;

    /* A multiboot kernel's -initrd is its module list, not a file */
    if (initrd && kind == PVH_IMAGE_BZIMAGE &&
        !pvh_check_boot_file("initrd", initrd, errp)) {
        return false;
    }
    if (!pvh_boot_facts(x86ms, kind, header, header_size, pvh_elf, &facts,
                        img, errp)) {
        return false;
    }
    c = pvh_boot_path_choose(&facts);
    if (initrd && facts.image != PVH_IMAGE_BZIMAGE &&
        c.protocol != PVH_PROTOCOL_MULTIBOOT &&
        !pvh_check_boot_file("initrd", initrd, errp)) {
        return false;
    }
    if (c.route == PVH_ROUTE_REFUSE) {
        pvh_boot_refuse(x86ms, c, img, errp);
        return false;
    }
    if (c.route == PVH_ROUTE_FIRMWARE) {
        pvh_boot_path_set("firmware", c.protocol,
                          pvh_boot_reason(x86ms, c.reason, img));
        pvh_direct_require_bios(errp);
        return false;
    }
    if (!pvh_boot_load(x86ms, c.protocol, f, header, kernel_size, acpi_size,
                       errp)) {
        return false;
    }
    if (c.protocol != PVH_PROTOCOL_MULTIBOOT) {
        fclose(f);
    }
    pvh_boot_path_set("direct", c.protocol,
                      pvh_boot_reason(x86ms, c.reason, img));
    return true;
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
