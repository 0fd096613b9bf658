/*
 * Direct kernel boot: the platform without firmware (QEMU glue)
 *
 * Whatever the boot protocol (platform.h), at every system reset: put
 * the kernel's segments and the initrd back in guest RAM, program the
 * chipset as firmware did, install the ACPI and SMBIOS tables, let the
 * protocol write its boot information, and set the boot CPU to its
 * entry state.  No firmware runs: the first guest instruction is the
 * kernel's entry.
 *
 * Only one copy of the kernel lives in host memory, the one in guest
 * RAM: the files stay open and are read again at each reset.  A reset
 * boots the files as they are then: a kernel or initrd rebuilt or
 * changed since the last boot is loaded whole, with a new layout if it
 * needs one, and one that no longer loads stops the VM with a message
 * and a failure status (see pvh_refresh()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/cutils.h"
#include "qemu/guest-random.h"
#include "qemu/madvise.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "exec/cpu-common.h"
#include "migration/misc.h"
#include "system/reset.h"
#include "system/runstate.h"
#include "hw/boards.h"
#include "hw/resettable.h"
#include "qom/object.h"
#include "hw/i386/x86.h"
#include "hw/i386/pvh.h"
#include "target/i386/cpu.h"
#include "hw/i386/e820_memory_layout.h"
#include "hw/rtc/mc146818rtc.h"
#include "platform.h"
#include "pvh-smbios.h"
#include "pvh-vga.h"
#include "trace.h"
#include CONFIG_DEVICES
#ifdef CONFIG_PC
#include "hw/acpi/aml-build.h"
#include "hw/acpi/piix4.h"
#include "hw/i386/pc.h"
#include "hw/i386/acpi-build.h"
#include "hw/i386/fw_cfg.h"
#include "hw/acpi/vmgenid.h"
#include "hw/firmware/smbios.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/pci_host.h"
#include "hw/pci-host/q35.h"
#include "hw/southbridge/ich9.h"
#include "ui/vgafont.h"

/* The I/O bases SeaBIOS gives the PM and SMBus blocks */
#define PVH_PM_IO_BASE  0x600
#define PVH_SMB_IO_BASE 0x700
#endif

/*
 * The end of the tables area holds the SMBIOS structure table: this
 * much of it at least, more when the tables QEMU built are larger.
 */
#define PVH_SMBIOS_SIZE 0x4000

/* Tries at loading files that change while they are being loaded */
#define PVH_LOAD_TRIES  3

Object *pvh_platform_confidential(X86MachineState *x86ms)
{
    return OBJECT(MACHINE(x86ms)->cgs);
}

bool pvh_platform_check_confidential(X86MachineState *x86ms, Error **errp)
{
    Object *cgs = pvh_platform_confidential(x86ms);

    if (cgs) {
        error_setg(errp, "kernel '%s': direct-boot=on cannot boot a "
                   "confidential guest (%s): its memory is private; use "
                   "direct-boot=auto or off", MACHINE(x86ms)->kernel_filename,
                   object_get_typename(cgs));
        return false;
    }
    return true;
}

bool pvh_direct_enabled(X86MachineState *x86ms)
{
    X86MachineClass *x86mc = X86_MACHINE_GET_CLASS(x86ms);

    if (x86ms->pvh_direct == ON_OFF_AUTO_AUTO) {
        return x86mc->pvh_direct_default && !pvh_platform_confidential(x86ms);
    }
    return x86ms->pvh_direct == ON_OFF_AUTO_ON;
}

bool pvh_probe_multiboot(X86MachineState *x86ms, const uint8_t *header,
                         size_t size)
{
    return !(x86ms->prefer_pvh && size >= 4 &&
             !memcmp(header, "\177ELF", 4));
}

/* The machine's direct boot, once loaded (one machine per process) */
static PVHBoot *pvh_boot;

/*
 * Upstream's words for a boot file that cannot be opened (@opening) or
 * read, as x86_load_linux() prints them: tools grep for them, so ours
 * keep them and add the reason after.
 */
static char *pvh_file_words(const char *what, const char *name,
                            bool opening)
{
    if (!strcmp(what, "kernel")) {
        return g_strdup_printf(opening ? "could not open kernel file '%s'" :
                               "could not load kernel '%s'", name);
    }
    return g_strdup_printf("error reading %s %s", what, name);
}

/* What a boot file must be: a regular file, not empty */
static bool pvh_check_stat(const char *what, const char *name,
                           const struct stat *st, Error **errp)
{
    const char *kind = S_ISDIR(st->st_mode) ? "a directory" :
                       S_ISCHR(st->st_mode) ? "a character device" :
                       S_ISBLK(st->st_mode) ? "a block device" :
                       S_ISFIFO(st->st_mode) ? "a FIFO" :
                       S_ISSOCK(st->st_mode) ? "a socket" : NULL;
    g_autofree char *words = pvh_file_words(what, name, false);

    if (!S_ISREG(st->st_mode)) {
        error_setg(errp, "%s: %s, not a regular file", words,
                   kind ? kind : "not a regular file");
        return false;
    }
    if (st->st_size == 0) {
        error_setg(errp, "%s: file is empty", words);
        return false;
    }
    return true;
}

bool pvh_check_boot_file(const char *what, const char *name, Error **errp)
{
    struct stat st;

    if (stat(name, &st) < 0) {
        g_autofree char *words = pvh_file_words(what, name, true);

        error_setg_errno(errp, errno, "%s", words);
        return false;
    }
    return pvh_check_stat(what, name, &st, errp);
}

/*
 * Open @name as @f.  Non-blocking, so that a FIFO with no writer cannot
 * hang QEMU before it is refused.
 */
bool pvh_platform_open(PVHFile *f, const char *what, const char *name,
                       Error **errp)
{
    Error *err = NULL;
    struct stat st;
    int fd;

    fd = qemu_open(name, O_RDONLY | O_NONBLOCK, &err);
    if (fd < 0) {
        int saved_errno = errno;
        g_autofree char *words = pvh_file_words(what, name, true);

        error_free(err);
        error_setg_errno(errp, saved_errno, "%s", words);
        return false;
    }
    if (fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "%s '%s'", what, name);
        qemu_close(fd);
        return false;
    }
    if (!pvh_check_stat(what, name, &st, errp)) {
        qemu_close(fd);
        return false;
    }
    if (f->fd >= 0) {
        qemu_close(f->fd);
    }
    if (f->name != name) {
        g_free(f->name);
        f->name = g_strdup(name);
    }
    f->what = what;
    f->fd = fd;
    f->size = st.st_size;
    return true;
}

/*
 * Follow @f to what its name holds now: a file replaced under the name
 * (a rebuilt kernel) is opened anew, a file changed in place gets its
 * new size.  A file that was removed keeps serving what it held.
 */
static bool pvh_follow(PVHFile *f, Error **errp)
{
    struct stat now, open;

    if (fstat(f->fd, &open) < 0) {
        error_setg_errno(errp, errno, "%s '%s'", f->what, f->name);
        return false;
    }
    if (stat(f->name, &now) == 0 &&
        (now.st_dev != open.st_dev || now.st_ino != open.st_ino)) {
        return pvh_platform_open(f, f->what, f->name, errp);
    }
    if (!pvh_check_stat(f->what, f->name, &open, errp)) {
        return false;
    }
    f->size = open.st_size;
    return true;
}

bool pvh_platform_pread(void *opaque, uint64_t off, void *dst, uint64_t len)
{
    const PVHFile *f = opaque;

    while (len) {
        ssize_t n = pread(f->fd, dst, MIN(len, SSIZE_MAX), off);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        dst = (uint8_t *)dst + n;
        off += n;
        len -= n;
    }
    return true;
}

PVHLayoutError pvh_platform_layout_init(PVHLayout *lay)
{
    struct e820_entry *table;
    int i, n = e820_get_table(&table);
    g_autofree PVHRange *ram = g_new0(PVHRange, MAX(n, 1));

    for (i = 0; i < n; i++) {
        ram[i].addr = le64_to_cpu(table[i].address);
        ram[i].size = le64_to_cpu(table[i].length);
        ram[i].type = le32_to_cpu(table[i].type);
    }
    return pvh_layout_init(lay, ram, n);
}

static bool pvh_layout(PVHBoot *b, Error **errp)
{
    g_autofree char *why = NULL;
    PVHLayoutError err;

    err = pvh_platform_layout_init(&b->lay);
    if (!err && b->acpi_size + b->smbios_size) {
        /*
         * The tables go at the end of the low area (PVH_LOW_AREA), or as
         * high as they fit below 4 GiB where the kernel is there; a
         * protocol may ask for the latter, where firmware put them.
         */
        b->lay.tables_size = b->acpi_size + b->smbios_size;
        if (b->lay.tables_size <= PVH_LOW_AREA - MiB) {
            b->lay.tables_pref = PVH_LOW_AREA - b->lay.tables_size;
        }
    }
    if (!err && b->proto->prepare) {
        b->proto->prepare(b, &b->lay);
    }
    if (!err && b->x86ms->pvh_kaslr && b->proto->host_kaslr) {
        /* A fresh draw at every layout, so at every reset (see refresh) */
        b->lay.kaslr = true;
        qemu_guest_getrandom_nofail(&b->lay.kaslr_random,
                                    sizeof(b->lay.kaslr_random));
    }
    if (!err) {
        err = pvh_layout_place(&b->lay, &b->img, strlen(b->cmdline),
                               b->initrd.fd >= 0 ? b->initrd.size : 0);
    }
    if (err == PVH_LAYOUT_NO_ROOM_INITRD) {
        why = pvh_layout_describe(err, &b->lay);
        error_setg(errp, "initrd is too large, cannot support: initrd "
                   "'%s': %s", b->initrd.name, why);
        return false;
    } else if (err) {
        why = pvh_layout_describe(err, &b->lay);
        error_setg(errp, "kernel '%s': %s", b->kernel.name, why);
        return false;
    }
    b->mmcfg_reserved = false;
    b->load = b->img;
    pvh_elf_relocate(&b->load, b->lay.kernel_delta);
    trace_pvh_direct_kernel_base(pvh_elf_base(&b->load), b->load.entry,
                                 b->lay.kernel_delta, b->lay.kernel_slots);
    trace_pvh_direct_layout(b->lay.start_info | b->lay.info, b->lay.memmap,
                            b->lay.nr_memmap, b->lay.cmdline, b->lay.initrd,
                            b->lay.initrd_size);
    return true;
}

static bool pvh_same_image(const PVHElfImage *a, const PVHElfImage *b)
{
    return a->entry == b->entry && a->nr_segments == b->nr_segments &&
           !memcmp(a->segments, b->segments,
                   a->nr_segments * sizeof(a->segments[0]));
}

/*
 * What this reset boots: the files as they are now (see pvh_follow()).
 * The kernel's headers are read again every time, cheaply (a few pages),
 * so that a kernel changed in place, even to one of the same size, is
 * never loaded with the old one's layout.  The layout is redone when the
 * segments, the initrd's size or the tables' size moved.
 */
static bool pvh_refresh(PVHBoot *b, Error **errp)
{
    PVHElfImage img;

    if ((!b->proto->keeps_image && !pvh_follow(&b->kernel, errp)) ||
        !b->proto->parse(b, &img, errp) ||
        (b->initrd.fd >= 0 && !pvh_follow(&b->initrd, errp))) {
        return false;
    }
    if (pvh_same_image(&img, &b->img) &&
        b->lay.initrd_size == (b->initrd.fd >= 0 ? b->initrd.size : 0) &&
        b->lay.tables_size == b->acpi_size + b->smbios_size &&
        !(b->lay.kaslr && img.reloc)) {
        return true;
    }
    b->img = img;
    trace_pvh_direct_relayout(b->kernel.size, b->img.entry,
                              b->img.nr_segments, b->initrd.size);
    return pvh_layout(b, errp);
}

/* Did @f change since pvh_refresh() looked at it? */
static bool pvh_changed(const PVHFile *f)
{
    struct stat st;

    return f->fd >= 0 && (fstat(f->fd, &st) < 0 || st.st_size != f->size);
}

/* Copy @len bytes at @off of @f straight into guest RAM at @addr. */
static bool pvh_file_to_guest(const PVHFile *f, uint64_t off, hwaddr addr,
                              uint64_t len, Error **errp)
{
    while (len) {
        hwaddr l = len;
        ssize_t n;
        int saved_errno;
        uint8_t *p = address_space_map(&address_space_memory, addr, &l, true,
                                       MEMTXATTRS_UNSPECIFIED);

        if (!p) {
            error_setg(errp, "%s '%s': guest address 0x%" HWADDR_PRIx
                       " is not RAM", f->what, f->name, addr);
            return false;
        }
        n = pread(f->fd, p, l, off);
        saved_errno = errno;
        address_space_unmap(&address_space_memory, p, l, true, MAX(n, 0));
        if (n < 0 && saved_errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, saved_errno, "%s '%s': cannot read "
                             "0x%" PRIx64 " bytes at offset 0x%" PRIx64,
                             f->what, f->name, len, off);
            return false;
        }
        if (n == 0) {
            error_setg(errp, "%s '%s': ends before offset 0x%" PRIx64
                       ": it shrank while being read", f->what, f->name,
                       off + len);
            return false;
        }
        off += n;
        addr += n;
        len -= n;
    }
    return true;
}

void pvh_platform_write(hwaddr addr, const void *buf, hwaddr len)
{
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        buf, len);
}

/*
 * Of the @n host pages from @p, set in @untouched those that read as
 * zero without being read: pages of anonymous private guest RAM that
 * were never touched (neither present nor swapped in /proc/self/pagemap).
 * Reading one would fault it in only to find zeroes.  False where this
 * cannot be told (other memory, no pagemap, an incoming postcopy, whose
 * missing pages are still to come).
 */
static bool pvh_untouched_pages(void *p, size_t n, bool *untouched)
{
    static int pagemap = -2;
    size_t psize = qemu_real_host_page_size(), i;
    g_autofree uint64_t *e = g_new(uint64_t, n);
    ram_addr_t offset;
    RAMBlock *rb = qemu_ram_block_from_host(p, false, &offset);

    if (!rb || qemu_ram_get_fd(rb) >= 0 || qemu_ram_is_shared(rb) ||
        qemu_ram_pagesize(rb) != psize || migration_in_incoming_postcopy()) {
        return false;
    }
    if (pagemap == -2) {
        pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    }
    if (pagemap < 0 ||
        pread(pagemap, e, n * sizeof(*e), (uintptr_t)p / psize *
              sizeof(*e)) != n * sizeof(*e)) {
        return false;
    }
    for (i = 0; i < n; i++) {
        /* Bit 63: present; bit 62: swapped */
        untouched[i] = !(e[i] & (3ULL << 62));
    }
    return true;
}

/* Zero what is not zero already in [@p, @p + @len), RAM at @addr */
static void pvh_clear_mapped(hwaddr addr, uint8_t *p, hwaddr len)
{
    size_t psize = qemu_real_host_page_size();
    size_t n = (((uintptr_t)p + len + psize - 1) / psize) -
               (uintptr_t)p / psize;
    g_autofree bool *untouched = g_new0(bool, n);
    hwaddr off = 0;
    size_t i;

    pvh_untouched_pages(QEMU_ALIGN_PTR_DOWN(p, psize), n, untouched);
    for (i = 0; i < n; i++) {
        hwaddr l = MIN(len - off, psize - ((uintptr_t)p + off) % psize);

        if (!untouched[i] && !buffer_is_zero(p + off, l)) {
            address_space_set(&address_space_memory, addr + off, 0, l,
                              MEMTXATTRS_UNSPECIFIED);
        }
        off += l;
    }
}

void pvh_platform_clear(hwaddr addr, hwaddr len)
{
    while (len) {
        hwaddr l = len;
        void *p = address_space_map(&address_space_memory, addr, &l, false,
                                    MEMTXATTRS_UNSPECIFIED);

        if (!p) {
            address_space_set(&address_space_memory, addr, 0, len,
                              MEMTXATTRS_UNSPECIFIED);
            return;
        }
        pvh_clear_mapped(addr, p, l);
        address_space_unmap(&address_space_memory, p, l, false, l);
        addr += l;
        len -= l;
    }
}

/*
 * Back @len bytes of @mr from @offset with base pages, not transparent
 * huge pages: the reset writes a few KiB there (boot information, tables,
 * the VGA's font), and the first write to a huge page clears all of its
 * 2 MiB, most of a null kernel's first reset.  Only for anonymous memory
 * of base pages; what was already faulted in stays as it is.
 */
static void pvh_small_pages(MemoryRegion *mr, uint64_t offset, uint64_t len)
{
    RAMBlock *rb = mr ? mr->ram_block : NULL;
    uint64_t size = mr ? memory_region_size(mr) : 0;

    if (!rb || memory_region_get_fd(mr) >= 0 ||
        qemu_ram_pagesize(rb) != qemu_real_host_page_size() ||
        offset >= size || offset % qemu_real_host_page_size()) {
        return;
    }
    qemu_madvise((uint8_t *)memory_region_get_ram_ptr(mr) + offset,
                 MIN(len, size - offset), QEMU_MADV_NOHUGEPAGE);
}

/* The low area (see PVH_LOW_AREA) of the RAM at guest address 0 */
static void pvh_small_pages_low(void)
{
    MemoryRegionSection s = memory_region_find(get_system_memory(), 0, 1);

    if (s.mr) {
        pvh_small_pages(s.mr, s.offset_within_region, PVH_LOW_AREA);
        memory_region_unref(s.mr);
    }
}

#ifdef CONFIG_PC
static void pvh_find_chipset_dev(PCIBus *bus, PCIDevice *d, void *opaque)
{
    PVHBoot *b = opaque;

    if (object_dynamic_cast(OBJECT(d), TYPE_PIIX4_PM)) {
        b->pm = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_ICH9_LPC_DEVICE)) {
        b->lpc = d;
    } else if (object_dynamic_cast(OBJECT(d), TYPE_MCH_PCI_DEVICE)) {
        b->mch = d;
    }
}

/*
 * The chipset functions firmware programs, on the root bus of pc and
 * q35; none of them can be hot-plugged, so they are looked for once.
 */
static void pvh_find_chipset(PVHBoot *b)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(b->x86ms), TYPE_PC_MACHINE);

    if (!b->chipset_found && pcms && pcms->pcibus) {
        pci_for_each_device(pcms->pcibus, 0, pvh_find_chipset_dev, b);
    }
    b->chipset_found = true;
}

static void pvh_pci_write(PCIDevice *d, uint32_t addr, uint32_t val,
                          int len)
{
    pci_host_config_write_common(d, addr, pci_config_size(d), val, len);
}

/*
 * What firmware programmed before the OS ran, and what the ACPI tables
 * describe (they read it back from these registers): the PM and SMBus
 * I/O bases and, on q35, MMCONFIG.  A PCI reset clears them, so every
 * reset does this, before the tables are built.  Call inside a memory
 * transaction: each write remaps.
 */
static void pvh_setup_chipset(PVHBoot *b)
{
    pvh_find_chipset(b);
    if (b->pm) {
        pvh_pci_write(b->pm, 0x40, PVH_PM_IO_BASE | 1, 4);
        pvh_pci_write(b->pm, 0x80, 1, 1);       /* PM I/O enable */
        pvh_pci_write(b->pm, 0x90, PVH_SMB_IO_BASE | 1, 4);
        pvh_pci_write(b->pm, 0xd2, 0x09, 1);    /* SMBus enable, SCI */
    }
    if (b->lpc) {
        pvh_pci_write(b->lpc, ICH9_LPC_PMBASE, PVH_PM_IO_BASE | 1, 4);
        pvh_pci_write(b->lpc, ICH9_LPC_ACPI_CTRL, ICH9_LPC_ACPI_CTRL_ACPI_EN,
                      1);
    }
    if (b->mch) {
        pvh_pci_write(b->mch, MCH_HOST_BRIDGE_PCIEXBAR + 4, 0, 4);
        pvh_pci_write(b->mch, MCH_HOST_BRIDGE_PCIEXBAR,
                      MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT |
                      MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M |
                      MCH_HOST_BRIDGE_PCIEXBAREN, 4);
    }
}

/*
 * q35's MMCONFIG, where pvh_setup_chipset() put it, is reserved in the
 * memmap: once per layout (a new layout starts without it).
 */
static bool pvh_reserve_mmcfg(PVHBoot *b, Error **errp)
{
    if (!b->mch || b->mmcfg_reserved) {
        return true;
    }
    b->mmcfg_reserved = true;
    pvh_layout_reserve(&b->lay, MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT,
                       MCH_HOST_BRIDGE_PCIEXBAR_MAX, PVH_E820_RESERVED);
    if (pvh_layout_update_memmap(&b->lay) != PVH_LAYOUT_OK) {
        error_setg(errp, "kernel '%s': no room in the memory map for "
                   "MMCONFIG", b->kernel.name);
        return false;
    }
    return true;
}

/*
 * The ACPI numbers of the hot-pluggable PCI buses (bsel), which the
 * DSDT's hotplug methods name: the PM function's reset assigns them,
 * once, if it does ACPI PCI hotplug; ask it the same way.
 */
static void pvh_number_pci_buses(PVHBoot *b)
{
    AcpiPciHpState *hp = NULL;

    if (b->pm) {
        hp = &PIIX4_PM(b->pm)->acpi_pci_hotplug;
        if (!hp->use_acpi_hotplug_bridge && !hp->use_acpi_root_pci_hotplug) {
            hp = NULL;
        }
    } else if (b->lpc) {
        hp = &ICH9_LPC_DEVICE(b->lpc)->pm.acpi_pci_hotplug;
        if (!hp->use_acpi_hotplug_bridge) {
            hp = NULL;
        }
    }
    if (hp) {
        acpi_pcihp_reset(hp);
    }
}

/*
 * Before acpi_setup() builds the tables for fw_cfg: make the machine
 * what they describe after the first reset, so that this reset can load
 * them instead of building its own.  Firmware never saw these: QEMU
 * builds the tables again when firmware first reads them.
 */
static void pvh_prepare_tables(PVHBoot *b)
{
    pvh_find_chipset(b);
    memory_region_transaction_begin();
    /* q35's MCH sets the PCI hole (the DSDT's _CRS) at its reset */
    if (b->mch) {
        device_cold_reset(DEVICE(b->mch));
    }
    pvh_setup_chipset(b);
    memory_region_transaction_commit();
    pvh_number_pci_buses(b);
    b->acpi_machine_done = true;
}

static void pvh_vga_out(void *opaque, uint16_t port, uint8_t val)
{
    address_space_stb(&address_space_io, port, val, MEMTXATTRS_UNSPECIFIED,
                      NULL);
}

static uint8_t pvh_vga_in(void *opaque, uint16_t port)
{
    return address_space_ldub(&address_space_io, port,
                              MEMTXATTRS_UNSPECIFIED, NULL);
}

/*
 * The mode set runs inside pvh_setup_devices()'s memory transaction.
 * A PCI VGA's memory (its BAR 0, see pvh_vga_ram()) is written in
 * place: @addr in the chain-4 window is that offset in it.  Otherwise
 * what the port writes remapped (the VGA's RAM alias of the window in
 * chain-4 mode) must take effect before the write, in one commit with
 * the chipset's changes: every commit rebuilds every address space's
 * view (some 0.1 ms).
 */
static void pvh_vga_write(void *opaque, uint32_t addr, const void *buf,
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
    pvh_platform_write(addr, buf, len);
    memory_region_transaction_begin();
}

static void pvh_find_vga(PCIBus *bus, PCIDevice *d, void *opaque)
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
static MemoryRegion *pvh_vga_ram(PCIDevice *vga)
{
    MemoryRegion *mr = vga ? vga->io_regions[0].memory : NULL;

    return mr && memory_region_is_ram(mr) &&
           memory_region_size(mr) >= PVH_VGA_BLOCK_SIZE ? mr : NULL;
}

/*
 * A VGA on the root PCI bus (a VGA class device; looked for at every
 * reset, as one may have been plugged) or an ISA one (looked for once)
 * decodes its legacy ranges.  Returns its type name, NULL when there is
 * none; *@ram: a PCI VGA's memory (pvh_vga_ram()).
 */
static const char *pvh_enable_vga(PVHBoot *b, MemoryRegion **ram)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(b->x86ms), TYPE_PC_MACHINE);
    PCIDevice *vga = NULL;

    if (pcms && pcms->pcibus) {
        pci_for_each_device(pcms->pcibus, 0, pvh_find_vga, &vga);
    }
    *ram = pvh_vga_ram(vga);
    if (vga && vga->has_vga) {
        /* Legacy ranges that follow the command register (others: always) */
        pvh_pci_write(vga, PCI_COMMAND,
                      pci_get_word(vga->config + PCI_COMMAND) |
                      PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    }
    if (vga) {
        return object_get_typename(OBJECT(vga));
    }
    if (!b->isa_vga_checked) {
        b->isa_vga = object_resolve_path_type("", "isa-vga", NULL) != NULL;
        b->isa_vga_checked = true;
    }
    return b->isa_vga ? "isa-vga" : NULL;
}

/*
 * What firmware and the video BIOS did to the devices: the chipset
 * (pvh_setup_chipset()), and a VGA that shows 80x25 text, font loaded,
 * so that a kernel told so (bzImage: screen_info) has a text console on
 * the display.  In one memory transaction (committed once more before
 * the VGA's memory is written where that goes through the window, see
 * pvh_vga_write()): each of these writes may remap something, and
 * every commit rebuilds every address space's view.  Returns false
 * when there is no VGA.
 */
static bool pvh_setup_devices(PVHBoot *b)
{
    PVHVgaOps ops = {
        .out = pvh_vga_out, .in = pvh_vga_in, .write = pvh_vga_write,
    };
    MemoryRegion *ram;
    const char *vga;

    memory_region_transaction_begin();
    pvh_setup_chipset(b);
    vga = pvh_enable_vga(b, &ram);
    ops.opaque = ram;
    if (ram) {
        pvh_small_pages(ram, 0, PVH_VGA_BLOCK_SIZE);
    }
    if (vga) {
        pvh_vga_text_mode(&ops, vgafont16);
    }
    memory_region_transaction_commit();
    trace_pvh_direct_vga(vga);
    return vga;
}

/*
 * ACPI tables only where QEMU builds them: pc and q35 with ACPI on.
 * @size, what firmware reserved for ACPI, also held the SMBIOS tables.
 */
static uint64_t pvh_acpi_area(X86MachineState *x86ms, uint64_t size)
{
    PCMachineState *pcms = (PCMachineState *)
        object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE);

    if (!pcms || !pcms->acpi_build_enabled ||
        !x86_machine_is_acpi_enabled(x86ms) || size <= PVH_SMBIOS_SIZE) {
        return 0;
    }
    return size - PVH_SMBIOS_SIZE;
}

/*
 * WRITE_POINTER: firmware wrote the guest address of a blob into a
 * writable fw_cfg file, and the device behind the file (vmgenid) takes
 * it from there; write it the way a guest write does.
 */
/* WRITE_POINTER commands, kept to be replayed at the next reset */
static bool pvh_acpi_record_pointer(void *opaque, const char *dest,
                                    uint32_t offset, uint8_t size,
                                    uint64_t value)
{
    PVHAcpiCache *c = opaque;
    PVHAcpiPointer *p;

    if (c->nr_pointers == ARRAY_SIZE(c->pointers)) {
        return false;
    }
    p = &c->pointers[c->nr_pointers++];
    g_strlcpy(p->dest, dest, sizeof(p->dest));
    p->offset = offset;
    p->size = size;
    p->value = value;
    return true;
}

static void pvh_acpi_cache_clear(PVHAcpiCache *c)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        g_free(c->files[i].data);
    }
    memset(c, 0, sizeof(*c));
}

/*
 * A file for the table-loader: a copy of @size bytes at @data, less the
 * zero padding the script @cmd does not reach (of the 128 KiB of
 * "etc/acpi/tables", ~10 KiB are tables): a full copy would fault in
 * 32 fresh pages of host memory for nothing.
 */
static PVHAcpiFile pvh_acpi_file(const char *name, const void *data,
                                 size_t size, const uint8_t *cmd,
                                 size_t cmd_len)
{
    uint64_t keep = MIN(size, MAX(pvh_acpi_data_end(data, size),
                                  pvh_acpi_extent(cmd, cmd_len, name)));

    return (PVHAcpiFile) { name, g_memdup2(data, keep), keep, 0, size };
}

/*
 * The tables acpi_setup() put in fw_cfg after pvh_prepare_tables(), and
 * the table-loader script in *@cmd (owned by fw_cfg), for the first
 * reset of a machine nothing was plugged into since.  False when there
 * are none.
 */
static bool pvh_acpi_take_fw_cfg(PVHBoot *b, PVHAcpiFile *files,
                                 const uint8_t **cmd, size_t *cmd_len)
{
    static const char *const names[PVH_ACPI_FILES] = {
        ACPI_BUILD_TABLE_FILE, ACPI_BUILD_RSDP_FILE, ACPI_BUILD_TPMLOG_FILE,
        VMGENID_GUID_FW_CFG_FILE,
    };
    FWCfgState *fw_cfg = b->x86ms->fw_cfg;
    const void *data;
    size_t len;
    unsigned i;

    if (!b->acpi_machine_done || b->started || !fw_cfg ||
        qdev_machine_modified()) {
        return false;
    }
    *cmd = fw_cfg_get_file(fw_cfg, ACPI_BUILD_LOADER_FILE, cmd_len);
    if (!*cmd || !fw_cfg_get_file(fw_cfg, ACPI_BUILD_TABLE_FILE, &len)) {
        return false;
    }
    for (i = 0; i < PVH_ACPI_FILES; i++) {
        data = fw_cfg_get_file(fw_cfg, names[i], &len);
        files[i] = pvh_acpi_file(names[i], data, data ? len : 0, *cmd,
                                 *cmd_len);
    }
    return true;
}

/*
 * Build the tables as the machine is now (or, at the first reset, take
 * those acpi_setup() built) and run QEMU's table-loader script on them
 * host-side (firmware used to), into the cache.
 */
static bool pvh_acpi_build(PVHBoot *b, Error **errp)
{
    PVHAcpiCache *c = &b->acpi;
    g_autofree char *why = NULL;
    AcpiBuildTables tables;
    PVHAcpiFile *files = c->files;
    PVHAcpiLinker l = {
        .files = files, .nr_files = ARRAY_SIZE(c->files),
        .base = b->lay.tables, .size = b->acpi_size,
        .write_pointer = pvh_acpi_record_pointer, .opaque = c,
    };
    const uint8_t *cmd;
    size_t cmd_len;
    bool built = false;
    PVHAcpiError err;
    unsigned i;

    pvh_acpi_cache_clear(c);
    if (!pvh_acpi_take_fw_cfg(b, files, &cmd, &cmd_len)) {
        built = true;
        acpi_build_tables_init(&tables);
        acpi_build(&tables, MACHINE(b->x86ms));
        cmd = (const uint8_t *)tables.linker->cmd_blob->data;
        cmd_len = tables.linker->cmd_blob->len;
        files[0] = pvh_acpi_file(ACPI_BUILD_TABLE_FILE,
                                 tables.table_data->data,
                                 tables.table_data->len, cmd, cmd_len);
        files[1] = pvh_acpi_file(ACPI_BUILD_RSDP_FILE, tables.rsdp->data,
                                 tables.rsdp->len, cmd, cmd_len);
        files[2] = pvh_acpi_file(ACPI_BUILD_TPMLOG_FILE, tables.tcpalog->data,
                                 tables.tcpalog->len, cmd, cmd_len);
        files[3] = pvh_acpi_file(VMGENID_GUID_FW_CFG_FILE,
                                 tables.vmgenid->data, tables.vmgenid->len,
                                 cmd, cmd_len);
    }
    trace_pvh_direct_acpi_source(built ? "acpi_build" : "machine-done");
    err = pvh_acpi_link(&l, cmd, cmd_len);
    if (built) {
        acpi_build_tables_cleanup(&tables, true);
    }
    if (err) {
        why = pvh_acpi_describe(err, &l);
        error_setg(errp, "ACPI tables: %s%s", why,
                   err == PVH_ACPI_UNKNOWN_FILE ?
                   "; this device needs firmware, use pvh-direct=off" : "");
        pvh_acpi_cache_clear(c);
        return false;
    }
    c->base = b->lay.tables;
    c->size = b->acpi_size;
    c->used = l.used;
    c->facs = pvh_acpi_find_facs(files, ARRAY_SIZE(c->files), files[1].addr);
    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        c->data_end[i] = pvh_acpi_data_end(files[i].data, files[i].size);
    }
    return true;
}

/*
 * Put the tables in the ACPI area; the layout gets the RSDP's address.
 * They are built at the first reset and again whenever the machine may
 * have changed (a device added or removed since start-up, which
 * includes CPU and memory hotplug) or the area moved; otherwise the
 * cached, linked tables are written again: a reset puts back what the
 * guest may have changed, without the cost of acpi_build().
 */
static bool pvh_acpi_install(PVHBoot *b, Error **errp)
{
    PVHAcpiCache *c = &b->acpi;
    FWCfgState *fw_cfg = b->x86ms->fw_cfg;
    bool cached = c->base && c->base == b->lay.tables &&
                  c->size == b->acpi_size && !qdev_machine_modified();
    uint8_t le[8];
    unsigned i;

    if (!cached && !pvh_acpi_build(b, errp)) {
        return false;
    }
    for (i = 0; i < ARRAY_SIZE(c->files); i++) {
        if (c->files[i].addr) {
            pvh_platform_write(c->files[i].addr, c->files[i].data,
                               c->data_end[i]);
            pvh_platform_clear(c->files[i].addr + c->data_end[i],
                               pvh_acpi_room(&c->files[i]) - c->data_end[i]);
        }
    }
    /* WRITE_POINTER: tell the device behind the fw_cfg file (vmgenid) */
    for (i = 0; i < c->nr_pointers; i++) {
        const PVHAcpiPointer *p = &c->pointers[i];

        stq_le_p(le, p->value);
        if (!fw_cfg || !fw_cfg_write_file(fw_cfg, p->dest, p->offset, le,
                                          p->size)) {
            error_setg(errp, "ACPI tables: WRITE_POINTER into '%s' refused",
                       p->dest);
            return false;
        }
    }
    b->lay.rsdp = c->files[1].addr;
    /* A copy where OSes that do not read rsdp_paddr scan for it */
    if (c->files[1].size <= PVH_RSDP_LEGACY_SIZE) {
        address_space_write_rom(&address_space_memory, PVH_RSDP_LEGACY_ADDR,
                                MEMTXATTRS_UNSPECIFIED, c->files[1].data,
                                c->files[1].size);
    }
    b->facs = c->facs;
    trace_pvh_direct_acpi(c->files[1].addr, c->used, b->acpi_size, cached);
    return true;
}

/* The size the SMBIOS tables QEMU built take in the tables area */
static uint64_t pvh_smbios_size(void)
{
    const uint8_t *tables, *anchor;
    size_t tables_len, anchor_len;

    if (!fw_cfg_get_smbios(&tables, &tables_len, &anchor, &anchor_len)) {
        return PVH_SMBIOS_SIZE;
    }
    return MAX(PVH_SMBIOS_SIZE, QEMU_ALIGN_UP(tables_len, 0x1000));
}

/*
 * The SMBIOS tables QEMU built for firmware: the structure table at the
 * end of the tables area, the entry point where OSes without EFI scan
 * for it (the F segment, ROM here, so written as ROM).
 */
static bool pvh_smbios_install(PVHBoot *b, Error **errp)
{
    const uint8_t *tables, *anchor;
    size_t tables_len, anchor_len;
    g_autofree uint8_t *ep = NULL;
    uint64_t at = b->lay.tables + b->acpi_size;

    if (!fw_cfg_get_smbios(&tables, &tables_len, &anchor, &anchor_len)) {
        return true;
    }
    if (tables_len > b->smbios_size) {
        /* pvh_refresh() sized the area from the same tables */
        error_setg(errp, "SMBIOS tables: %zu bytes, more than the %" PRIu64
                   " reserved for them", tables_len, b->smbios_size);
        return false;
    }
    ep = g_memdup2(anchor, anchor_len);
    if (!pvh_smbios_fix_anchor(ep, anchor_len, at)) {
        error_setg(errp, "SMBIOS tables: malformed entry point");
        return false;
    }
    pvh_platform_write(at, tables, tables_len);
    address_space_write_rom(&address_space_memory, PVH_SMBIOS_ANCHOR_ADDR,
                            MEMTXATTRS_UNSPECIFIED, ep, anchor_len);
    return true;
}

/*
 * SMBIOS tables where QEMU builds them: pc and q35.  Their BIOS
 * information (type 0), which firmware adds on its path, is QEMU's here.
 */
static uint64_t pvh_smbios_area(X86MachineState *x86ms)
{
    if (!object_dynamic_cast(OBJECT(x86ms), TYPE_PC_MACHINE)) {
        return 0;
    }
    smbios_set_type0_defaults(PVH_SMBIOS_BIOS_VENDOR, QEMU_VERSION,
                              PVH_SMBIOS_BIOS_DATE, QEMU_VERSION_MAJOR,
                              QEMU_VERSION_MINOR);
    return PVH_SMBIOS_SIZE;
}

#else
static uint64_t pvh_smbios_size(void)
{
    return 0;
}

static bool pvh_smbios_install(PVHBoot *b, Error **errp)
{
    return true;
}

static uint64_t pvh_smbios_area(X86MachineState *x86ms)
{
    return 0;
}

static void pvh_setup_chipset(PVHBoot *b)
{
}

static bool pvh_reserve_mmcfg(PVHBoot *b, Error **errp)
{
    return true;
}

static bool pvh_setup_devices(PVHBoot *b)
{
    return false;
}

static void pvh_prepare_tables(PVHBoot *b)
{
}

static uint64_t pvh_acpi_area(X86MachineState *x86ms, uint64_t size)
{
    return 0;
}

static bool pvh_acpi_install(PVHBoot *b, Error **errp)
{
    return true;
}
#endif

/*
 * Put the kernel image, its bss, the initrd, the tables and the boot
 * information in RAM.
 */
static bool pvh_restore_memory(PVHBoot *b, Error **errp)
{
    const PVHLayout *lay = &b->lay;
    unsigned i;

    for (i = 0; i < b->load.nr_segments; i++) {
        const PVHSegment *s = &b->load.segments[i];

        if (!pvh_file_to_guest(b->image, s->offset, s->paddr, s->filesz,
                               errp)) {
            return false;
        }
        if (!b->load.scratch) {
            address_space_set(&address_space_memory, s->paddr + s->filesz, 0,
                              s->memsz - s->filesz, MEMTXATTRS_UNSPECIFIED);
        }
    }
    if (lay->initrd_size &&
        !pvh_file_to_guest(&b->initrd, 0, lay->initrd, lay->initrd_size,
                           errp)) {
        return false;
    }
    b->vga_text = pvh_setup_devices(b);
    if (!pvh_reserve_mmcfg(b, errp)) {
        return false;
    }
    if ((b->acpi_size && !pvh_acpi_install(b, errp)) ||
        (b->smbios_size && !pvh_smbios_install(b, errp))) {
        return false;
    }
    pvh_platform_write(lay->cmdline, b->cmdline, lay->cmdline_size);
    b->proto->install(b);
    return true;
}

static SegmentCache pvh_seg_cache(const PVHCpuSeg *seg)
{
    return (SegmentCache){ .selector = seg->selector, .base = seg->base,
                           .limit = seg->limit, .flags = seg->flags };
}

/*
 * Put the boot CPU in the state of pvh-cpu.c (the ABI's, see there).
 * The CPU was reset before this runs (in the hold phase; this is the
 * exit phase), so everything else holds reset values; APs stay in
 * wait-for-SIPI.  Under KVM this state reaches the vCPU through
 * cpu_synchronize_all_post_reset(), with no accelerator-specific code.
 */
static void pvh_set_boot_cpu(X86CPU *cpu, const PVHCpuState *st)
{
    static const int segs[] = {
        [PVH_SEG_ES] = R_ES, [PVH_SEG_CS] = R_CS, [PVH_SEG_SS] = R_SS,
        [PVH_SEG_DS] = R_DS, [PVH_SEG_FS] = R_FS, [PVH_SEG_GS] = R_GS,
    };
    CPUX86State *env = &cpu->env;
    PVHCpuState s = *st;
    int i;

    cpu_x86_update_cr4(env, s.cr4);
    cpu_x86_update_cr0(env, s.cr0);
    cpu_x86_update_cr3(env, s.cr3);
    cpu_load_efer(env, s.efer);
    for (i = 0; i < ARRAY_SIZE(segs); i++) {
        cpu_x86_load_seg_cache(env, segs[i], s.seg[i].selector,
                               s.seg[i].base, s.seg[i].limit, s.seg[i].flags);
    }
    env->ldt = pvh_seg_cache(&s.seg[PVH_SEG_LDTR]);
    env->tr = pvh_seg_cache(&s.seg[PVH_SEG_TR]);
    env->gdt = (SegmentCache){ .base = s.gdtr.base, .limit = s.gdtr.limit };
    env->idt = (SegmentCache){ .base = s.idtr.base, .limit = s.idtr.limit };
    env->dr[7] = s.dr7;
    env->eflags = s.eflags;
    env->regs[R_EAX] = s.eax;
    env->regs[R_EBX] = s.ebx;
    env->regs[R_ESI] = s.esi;
    env->regs[R_EBP] = 0;
    env->regs[R_EDI] = 0;
    env->eip = s.eip;
    env->mtrr_deftype = s.mtrr_deftype;
}

/*
 * Load what this reset boots.  A file that changes while it is being
 * loaded is loaded again, so that the guest never runs a mix of two
 * versions of it.
 */
static bool pvh_load(PVHBoot *b, Error **errp)
{
    Error *err = NULL;
    int i;

    if (b->smbios_size) {
        b->smbios_size = pvh_smbios_size();
    }
    for (i = 0; i < PVH_LOAD_TRIES; i++) {
        error_free(err);
        err = NULL;
        if (pvh_refresh(b, &err) && pvh_restore_memory(b, &err)) {
            if (!pvh_changed(&b->kernel) && !pvh_changed(&b->initrd)) {
                return true;
            }
            error_setg(&err, "%s '%s': changed while being loaded, %d times",
                       pvh_changed(&b->kernel) ? "kernel" : "initrd",
                       pvh_changed(&b->kernel) ? b->kernel.name :
                       b->initrd.name, PVH_LOAD_TRIES);
        }
    }
    error_propagate(errp, err);
    return false;
}

/*
 * Wakeup from S3: guest RAM was kept, so nothing is loaded.  Do what
 * firmware's resume path did: program the chipset again, clear the
 * CMOS shutdown status that marked the suspend, and enter the OS's
 * waking vector from the FACS in real mode.  Returns false when the OS
 * left no vector: the reset then boots the kernel afresh.
 */
static bool pvh_wakeup(PVHBoot *b)
{
    X86CPU *cpu = X86_CPU(first_cpu);
    uint8_t sig[4];
    uint32_t vector;

    /*
     * The FACS where this QEMU put it.  A guest that came in by migration
     * from a QEMU that laid out other files, or drew another KASLR base,
     * has its FACS elsewhere: no signature there, boot afresh.
     */
    if (!b->facs ||
        address_space_read(&address_space_memory, b->facs,
                           MEMTXATTRS_UNSPECIFIED, sig, sizeof(sig)) !=
        MEMTX_OK || memcmp(sig, "FACS", 4)) {
        return false;
    }
    vector = address_space_ldl_le(&address_space_memory,
                                  b->facs + PVH_FACS_WAKING_VECTOR,
                                  MEMTXATTRS_UNSPECIFIED, NULL);
    trace_pvh_direct_wakeup(b->facs, vector);
    if (!vector || vector > 0xfffff) {
        return false;
    }
    memory_region_transaction_begin();
    pvh_setup_chipset(b);
    memory_region_transaction_commit();
    if (b->x86ms->rtc) {
        mc146818rtc_set_cmos_data(MC146818_RTC(b->x86ms->rtc), 0xf, 0);
    }
    cpu_x86_load_seg_cache(&cpu->env, R_CS, vector >> 4, vector & ~0xf,
                           0xffff, DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK |
                           DESC_R_MASK | DESC_A_MASK);
    cpu->env.eip = vector & 0xf;
    return true;
}

static void pvh_reset_exit(Object *obj, ResetType type)
{
    PVHBoot *b = PVH_BOOT(obj);
    int64_t start = g_get_monotonic_time();
    Error *err = NULL;
    PVHCpuState st;

    if (type == RESET_TYPE_WAKEUP && pvh_wakeup(b)) {
        return;
    }
    trace_pvh_direct_reset_begin();
    if (!pvh_load(b, &err)) {
        if (!b->started) {
            /* Still starting up: a configuration error, as at load. */
            error_report_err(err);
            exit(1);
        }
        /*
         * The files changed into something that cannot boot.  Stop with
         * a failure status, so that scripts do not see a clean poweroff.
         */
        error_reportf_err(err, "PVH reset failed: ");
        qemu_system_shutdown_request_with_code(SHUTDOWN_CAUSE_HOST_ERROR,
                                               EXIT_FAILURE);
        return;
    }
    b->proto->entry(b, &st);
    pvh_set_boot_cpu(X86_CPU(first_cpu), &st);
    b->started = true;
    trace_pvh_direct_reset_end(st.eip, st.ebx | st.esi,
                               g_get_monotonic_time() - start);
}

static ResettableState *pvh_get_reset_state(Object *obj)
{
    return &PVH_BOOT(obj)->reset_state;
}

static void pvh_boot_init(Object *obj)
{
    PVHBoot *b = PVH_BOOT(obj);

    b->kernel = (PVHFile) { .what = "kernel", .fd = -1 };
    b->image = &b->kernel;
    b->initrd = (PVHFile) { .what = "initrd", .fd = -1 };
}

void pvh_platform_close(PVHFile *f)
{
    if (f->fd >= 0) {
        qemu_close(f->fd);
        f->fd = -1;
    }
    g_free(f->name);
    f->name = NULL;
}

static void pvh_boot_finalize(Object *obj)
{
    PVHBoot *b = PVH_BOOT(obj);

    if (pvh_boot == b) {
        pvh_boot = NULL;
    }
    pvh_platform_close(&b->kernel);
    pvh_platform_close(&b->initrd);
#ifdef CONFIG_PC
    pvh_acpi_cache_clear(&b->acpi);
#endif
    if (b->proto && b->proto->cleanup) {
        b->proto->cleanup(b);
    }
    g_free(b->proto_state);
}

static void pvh_boot_class_init(ObjectClass *oc, void *data)
{
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    rc->get_state = pvh_get_reset_state;
    rc->phases.exit = pvh_reset_exit;
}

static const TypeInfo pvh_boot_info = {
    .name = TYPE_PVH_BOOT,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(PVHBoot),
    .instance_init = pvh_boot_init,
    .instance_finalize = pvh_boot_finalize,
    .class_init = pvh_boot_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_RESETTABLE_INTERFACE },
        { }
    },
};

static void pvh_boot_register_types(void)
{
    type_register_static(&pvh_boot_info);
}

type_init(pvh_boot_register_types)

void pvh_direct_machine_done(X86MachineState *x86ms)
{
    if (pvh_boot && pvh_boot->x86ms == x86ms && pvh_boot->acpi_size) {
        pvh_prepare_tables(pvh_boot);
    }
}

bool pvh_platform_load(X86MachineState *x86ms, const PVHProtocol *proto,
                       void *proto_state, uint64_t acpi_size, Error **errp)
{
    MachineState *ms = MACHINE(x86ms);
    g_autoptr(Object) obj = object_new(TYPE_PVH_BOOT);
    PVHBoot *b = PVH_BOOT(obj);
    unsigned i;

    b->proto = proto;
    b->proto_state = proto_state;
    b->x86ms = x86ms;
    b->cmdline = ms->kernel_cmdline ? ms->kernel_cmdline : "";
    b->acpi_size = pvh_acpi_area(x86ms, acpi_size);
    b->smbios_size = pvh_smbios_area(x86ms);
    if (proto->keeps_image) {
        b->kernel.name = g_strdup(ms->kernel_filename);
    }
    if ((!proto->keeps_image &&
         !pvh_platform_open(&b->kernel, "kernel", ms->kernel_filename,
                            errp)) ||
        !proto->parse(b, &b->img, errp) ||
        (ms->initrd_filename && !proto->keeps_image &&
         !pvh_platform_open(&b->initrd, "initrd", ms->initrd_filename,
                            errp)) ||
        !pvh_layout(b, errp)) {
        return false;
    }
    pvh_small_pages_low();
    trace_pvh_direct_kernel(proto->name, b->kernel.name, b->img.entry,
                            b->img.nr_segments, b->img.is64);
    for (i = 0; i < b->img.nr_segments; i++) {
        const PVHSegment *s = &b->img.segments[i];

        trace_pvh_direct_segment(i, s->paddr, s->filesz, s->memsz);
    }
    pvh_boot = b;
    qemu_register_resettable(g_steal_pointer(&obj));
    pvh_boot_path_direct(x86ms, proto->id);
    return true;
}
