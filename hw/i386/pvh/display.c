/*
 * Direct kernel boot: the display as the video BIOS leaves it (QEMU
 * glue, pc and q35)
 *
 * A VGA that shows 80x25 text, font loaded, so that a kernel told so
 * (bzImage: screen_info) has a text console on the display, as after
 * SeaBIOS and the VGA BIOS.  The mode itself is set by vga-text.c,
 * through the port and memory callbacks here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "compat.h"
#include "hw/i386/pc.h"
#include "hw/pci/pci_device.h"
#include "ui/vgafont.h"
#include "chipset.h"
#include "guest-ram.h"
#include "vga-text.h"
#include "display.h"

static void pvh_display_out(void *opaque, uint16_t port, uint8_t val)
{
    address_space_stb(&address_space_io, port, val, MEMTXATTRS_UNSPECIFIED,
                      NULL);
}

static uint8_t pvh_display_in(void *opaque, uint16_t port)
{
    return address_space_ldub(&address_space_io, port,
                              MEMTXATTRS_UNSPECIFIED, NULL);
}

/*
 * The mode set runs inside the reset's memory transaction.
 * A PCI VGA's memory (its BAR 0, see pvh_display_ram()) is written in
 * place: @addr in the chain-4 window is that offset in it.  Otherwise
 * what the port writes remapped (the VGA's RAM alias of the window in
 * chain-4 mode) must take effect before the write, in one commit with
 * the chipset's changes: every commit rebuilds every address space's
 * view (some 0.1 ms).
 */
static void pvh_display_write(void *opaque, uint32_t addr, const void *buf,
                              uint32_t len)
{
    MemoryRegion *ram = opaque;
    uint64_t off = addr - PVH_VGA_BLOCK_BASE;

    if (ram && addr >= PVH_VGA_BLOCK_BASE &&
        off + len <= memory_region_size(ram)) {
        memcpy((uint8_t *)memory_region_get_ram_ptr(ram) + off, buf, len);
        memory_region_set_dirty(ram, off, len);
        return;
    }
    memory_region_transaction_commit();
    pvh_guest_ram_write(addr, buf, len);
    memory_region_transaction_begin();
}

static void pvh_display_find(PCIBus *bus, PCIDevice *d, void *opaque)
{
    PCIDevice **vga = opaque;

    if (!*vga && (d->has_vga || pci_get_word(d->config + PCI_CLASS_DEVICE) ==
                  PCI_CLASS_DISPLAY_VGA)) {
        *vga = d;
    }
}

/*
 * The memory of a PCI VGA, which QEMU's VGAs (std, virtio, QXL, ATI)
 * expose as BAR 0; NULL where BAR 0 is something else (Cirrus, VMware)
 */
static MemoryRegion *pvh_display_ram(PCIDevice *vga)
{
    MemoryRegion *mr = vga ? vga->io_regions[0].memory : NULL;

    return mr && memory_region_is_ram(mr) &&
           memory_region_size(mr) >= PVH_VGA_BLOCK_SIZE ? mr : NULL;
}

/*
 * A VGA on the root PCI bus (a VGA class device; looked for at every
 * reset, as one may have been plugged) or an ISA one (looked for once)
 * decodes its legacy ranges.  Returns its type name, NULL when there is
 * none; *@ram: a PCI VGA's memory (pvh_display_ram()).
 */
static const char *pvh_display_enable(X86MachineState *x86ms,
                                      MemoryRegion **ram)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);
    static bool isa_vga_checked, isa_vga;
    PCIDevice *vga = NULL;

    if (pcms && pcms->pcibus) {
        pci_for_each_device(pcms->pcibus, 0, pvh_display_find, &vga);
    }
    *ram = pvh_display_ram(vga);
    if (vga && vga->has_vga) {
        /* Legacy ranges that follow the command register (others: always) */
        pvh_chipset_pci_write(vga, PCI_COMMAND,
                              pci_get_word(vga->config + PCI_COMMAND) |
                              PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    }
    if (vga) {
        return object_get_typename(OBJECT(vga));
    }
    if (!isa_vga_checked) {
        isa_vga = object_resolve_path_type("", "isa-vga", NULL) != NULL;
        isa_vga_checked = true;
    }
    return isa_vga ? "isa-vga" : NULL;
}

const char *pvh_display_text_mode(X86MachineState *x86ms)
{
    PVHVgaOps ops = {
        .out = pvh_display_out, .in = pvh_display_in,
        .write = pvh_display_write,
    };
    MemoryRegion *ram;
    const char *vga = pvh_display_enable(x86ms, &ram);

    ops.opaque = ram;
    if (ram) {
        pvh_guest_ram_small_pages(ram, 0, PVH_VGA_BLOCK_SIZE);
    }
    if (vga) {
        pvh_vga_text_mode(&ops, vgafont16);
    }
    return vga;
}
