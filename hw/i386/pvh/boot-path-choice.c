/*
 * Direct kernel boot: which path boots -kernel, and why (pure code)
 *
 * The order of the questions is the order of the formats in
 * x86_load_linux(): a Linux setup header first, then a multiboot header
 * (which an ELF may carry too, unless prefer-pvh says otherwise), then
 * an ELF image.  Whatever no direct loader takes goes on to upstream's
 * loaders and firmware, as it always did.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "boot-path-choice.h"

bool pvh_boot_path_direct_enabled(PVHDirectSetting direct, bool type_direct,
                                  bool confidential)
{
    if (direct == PVH_DIRECT_AUTO) {
        return type_direct && !confidential;
    }
    return direct == PVH_DIRECT_ON;
}

static PVHBootChoice choice(PVHBootRoute route, PVHBootProtocol protocol,
                            PVHBootReason reason)
{
    return (PVHBootChoice) { route, protocol, reason };
}

/* Why the machine itself boots through firmware (direct boot is off) */
static PVHBootReason machine_reason(const PVHBootFacts *f)
{
    if (f->direct == PVH_DIRECT_OFF) {
        return PVH_REASON_OFF;
    }
    return f->confidential ? PVH_REASON_CONFIDENTIAL :
                             PVH_REASON_TYPE_FIRMWARE;
}

/* A direct loader takes it: unless the guest's memory is private */
static PVHBootChoice direct(const PVHBootFacts *f, PVHBootProtocol p)
{
    if (f->confidential) {
        return choice(PVH_ROUTE_REFUSE, p, PVH_REASON_CONFIDENTIAL);
    }
    return choice(PVH_ROUTE_DIRECT, p, f->direct == PVH_DIRECT_ON ?
                  PVH_REASON_ON : PVH_REASON_TYPE_DIRECT);
}

/* A bzImage, with direct boot enabled */
static PVHBootChoice choose_linux(const PVHBootFacts *f)
{
    if (f->confidential) {
        return choice(PVH_ROUTE_REFUSE, PVH_PROTOCOL_LINUX,
                      PVH_REASON_CONFIDENTIAL);
    }
    if (f->linux_header == PVH_LINUX_HEADER_NEEDS_FIRMWARE &&
        f->direct != PVH_DIRECT_ON) {
        return choice(PVH_ROUTE_FIRMWARE, PVH_PROTOCOL_LINUX,
                      PVH_REASON_LINUX_NEEDS_BIOS);
    }
    if (f->linux_header != PVH_LINUX_HEADER_OK) {
        return choice(PVH_ROUTE_REFUSE, PVH_PROTOCOL_LINUX,
                      PVH_REASON_LINUX_HEADER);
    }
    if (f->pvh_unpack && f->dtb) {
        return choice(PVH_ROUTE_REFUSE, PVH_PROTOCOL_UNPACK,
                      PVH_REASON_DTB_UNPACK);
    }
    return direct(f, f->pvh_unpack ? PVH_PROTOCOL_UNPACK :
                                     PVH_PROTOCOL_LINUX);
}

/* Anything else, with direct boot enabled */
static PVHBootChoice choose_other(const PVHBootFacts *f, bool multiboot)
{
    bool elf = f->image == PVH_IMAGE_ELF;

    if (multiboot && f->direct == PVH_DIRECT_ON) {
        if (f->multiboot == PVH_MB_VALID) {
            return direct(f, PVH_PROTOCOL_MULTIBOOT);
        }
        /* The next guess, a zImage, would boot garbage */
        if (f->multiboot == PVH_MB_BAD_CHECKSUM && !elf) {
            return choice(PVH_ROUTE_REFUSE, PVH_PROTOCOL_MULTIBOOT,
                          PVH_REASON_MULTIBOOT_CHECKSUM);
        }
    }
    /* A multiboot kernel may call the BIOS: firmware unless asked */
    if (multiboot && f->multiboot == PVH_MB_VALID) {
        return choice(PVH_ROUTE_FIRMWARE, PVH_PROTOCOL_MULTIBOOT,
                      PVH_REASON_MULTIBOOT_AUTO);
    }
    if (elf && f->pvh_elf) {
        return direct(f, PVH_PROTOCOL_PVH);
    }
    return choice(PVH_ROUTE_FIRMWARE,
                  elf ? PVH_PROTOCOL_PVH : PVH_PROTOCOL_LINUX,
                  elf ? PVH_REASON_NO_PVH : PVH_REASON_NOT_DIRECT);
}

PVHBootChoice pvh_boot_path_choose(const PVHBootFacts *f)
{
    bool bz = f->image == PVH_IMAGE_BZIMAGE;
    /* prefer-pvh: an ELF is not probed for a multiboot header */
    bool multiboot = !bz && !(f->prefer_pvh && f->image == PVH_IMAGE_ELF);

    if (!pvh_boot_path_direct_enabled(f->direct, f->type_direct,
                                      f->confidential)) {
        return choice(PVH_ROUTE_FIRMWARE,
                      bz ? PVH_PROTOCOL_LINUX :
                      multiboot && f->multiboot == PVH_MB_VALID ?
                      PVH_PROTOCOL_MULTIBOOT :
                      f->image == PVH_IMAGE_ELF ? PVH_PROTOCOL_PVH :
                      PVH_PROTOCOL_LINUX, machine_reason(f));
    }
    return bz ? choose_linux(f) : choose_other(f, multiboot);
}

const char *pvh_boot_path_protocol_id(PVHBootProtocol p)
{
    static const char *const id[] = {
        [PVH_PROTOCOL_PVH] = "pvh",
        [PVH_PROTOCOL_LINUX] = "linux",
        [PVH_PROTOCOL_MULTIBOOT] = "multiboot",
        [PVH_PROTOCOL_UNPACK] = "pvh-unpack",
    };

    return p < ARRAY_SIZE(id) ? id[p] : "none";
}
