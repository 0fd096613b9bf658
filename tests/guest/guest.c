/*
 * PVH test guest: checks the boot state from the inside and prints what
 * it found over isa-debugcon (port 0xe9); exits through isa-debug-exit
 * (port 0xf4).  Each boot checks that its data and bss were restored,
 * then spoils them and reboots until the command line's reboots=N.
 * Built with -DBZIMAGE, the same checks for a bzImage entered through
 * Linux's 32-bit boot protocol: boot_params instead of start_info.
 * Built with -DMULTIBOOT, for a multiboot kernel: the multiboot
 * information, its memory map and two modules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdbool.h>
#include "guest-io.h"

/*
 * The bzImage guest zeroes its own bss, as Linux does (its loader keeps
 * init_size free but does not zero it): what its entry records lives in
 * .data
 */
#ifdef BZIMAGE
#define ENTRY_VAR __attribute__((section(".data")))
#else
#define ENTRY_VAR
#endif
ENTRY_VAR uint32_t entry_ebx, entry_esp, entry_eflags, entry_cr0, entry_cr4;
ENTRY_VAR uint16_t entry_cs, entry_ds, entry_es, entry_ss, entry_tr;
#ifdef MULTIBOOT
ENTRY_VAR uint32_t entry_eax;
#endif
#ifdef BZIMAGE
ENTRY_VAR uint32_t entry_esi, entry_ebp, entry_edi;
ENTRY_VAR struct __attribute__((packed)) {
    uint16_t limit;
    uint32_t base;
} entry_gdtr;
#endif

static uint32_t data_word = 0x5a5aa5a5;     /* .data: restored at reset */
static uint32_t bss_words[1024];            /* .bss: zeroed at reset */

/* Survives resets: RAM nobody restores, far from the image */
#define BOOT_COUNTER ((volatile uint32_t *)0x800000)
#define BOOT_MAGIC   0xb007c0de

static int failures;

static void check(const char *what, uint64_t got, uint64_t want)
{
    puts_(got == want ? "ok " : "FAIL ");
    puts_(what);
    puts_(" = ");
    puthex(got);
    if (got != want) {
        failures++;
        puts_(" (expected ");
        puthex(want);
        puts_(")");
    }
    puts_("\n");
}

static uint32_t ld32(uint32_t a) { return *(volatile uint32_t *)a; }
static uint64_t ld64(uint32_t a) { return ld32(a) | ((uint64_t)ld32(a + 4) << 32); }

static bool starts_with(const char *s, const char *p)
{
    while (*p) {
        if (*s++ != *p++) {
            return false;
        }
    }
    return true;
}

static bool cmdline_has(const char *s, const char *word)
{
    for (; *s; s++) {
        if (starts_with(s, word)) {
            return true;
        }
    }
    return false;
}

/* The N of "reboots=N" on the command line, 0 if absent */
static unsigned cmdline_reboots(const char *s)
{
    unsigned n = 0;

    for (; *s; s++) {
        if (starts_with(s, "reboots=")) {
            for (s += 8; *s >= '0' && *s <= '9'; s++) {
                n = n * 10 + (*s - '0');
            }
            return n;
        }
    }
    return 0;
}

static void check_registers(uint32_t si)
{
    check("eflags", entry_eflags, 0x2);
    check("cr0", entry_cr0, 0x11);
    /*
     * Also under KVM on AMD, where the VMCB's CR4 holds the host's
     * CR4.MCE: KVM intercepts CR4 reads (the nested test machine's TCG
     * needs the series' SVM CR-read intercept fix for that)
     */
    check("cr4", entry_cr4, 0);
    check("efer", rdmsr(0xc0000080), 0);
    check("mtrr_def_type", rdmsr(0x2ff), 0x806);
#ifdef BZIMAGE
    /* Documentation/arch/x86/boot.rst, 32-bit boot protocol */
    check("ebx", entry_ebx, 0);
    check("ebp", entry_ebp, 0);
    check("edi", entry_edi, 0);
    check("cs", entry_cs, 0x10);
    check("ds", entry_ds, 0x18);
    check("es", entry_es, 0x18);
    check("ss", entry_ss, 0x18);
    check("gdt limit", entry_gdtr.limit, 0x27);
    check("gdt after boot_params", entry_gdtr.base, si + 0x1000);
    check("gdt[0x10] __BOOT_CS", ld64(entry_gdtr.base + 0x10),
          0x00cf9b000000ffffULL);
    check("gdt[0x18] __BOOT_DS", ld64(entry_gdtr.base + 0x18),
          0x00cf93000000ffffULL);
    check("tr", entry_tr, 0x20);
#else
    check("ds==ss==es", entry_ds == entry_ss && entry_es == entry_ss, 1);
    check("tr", entry_tr, 0x18);
#endif
#ifdef MULTIBOOT
    check("eax", entry_eax, 0x2badb002);
#endif
}

static void check_initrd(uint32_t base, uint32_t size)
{
    uint32_t i, sum = 0;

#ifdef MULTIBOOT
    /* The header asked for modules on page boundaries */
    check("module page-aligned", base & 0xfff, 0);
#endif

    /*
     * 4 KiB of (i * 7 + 3) & 0xff, or 8 KiB once change-test.py grew the
     * file in place: every reset must load it whole
     */
    check("initrd size", size, size == 8192 ? 8192 : 4096);
    for (i = 0; i < size; i++) {
        sum = sum * 31 + *(volatile uint8_t *)(base + i);
    }
    check("initrd checksum", sum, size == 8192 ? 0xfaddf000 : 0x756ef800);
}

#ifdef BZIMAGE
static void check_boot_params(uint32_t bp, const char **cmdline)
{
    uint32_t e = bp + 0x2d0, rsdp = ld64(bp + 0x70);

    check("HdrS", ld32(bp + 0x202), 0x53726448);
    check("protocol", ld32(bp + 0x206) & 0xffff, 0x20f);
    check("type_of_loader", *(volatile uint8_t *)(bp + 0x210), 0xb0);
    check("code32_start", ld32(bp + 0x214), 0x100000);
    check("setup_data", ld64(bp + 0x250), 0);
    check("e820[0]", ld64(e) | ld64(e + 8) << 32 | ld32(e + 16),
          0xa000000000001ULL);
    check("e820[1].type", ld32(e + 20 + 16), 2);
    check("e820[1].end", ld64(e + 20) + ld64(e + 28), 0x100000);
    check("e820 entries <= 128", *(volatile uint8_t *)(bp + 0x1e8) <= 128, 1);
    check("acpi_rsdp_addr -> RSD PTR", ld64(rsdp), 0x2052545020445352ULL);
    check_initrd(ld32(bp + 0x218), ld32(bp + 0x21c));
    check("initrd under initrd_addr_max",
          ld32(bp + 0x218) + ld32(bp + 0x21c) <= 0x80000000u, 1);
    *cmdline = (const char *)(uintptr_t)ld32(bp + 0x228);
    puts_("cmdline: ");
    puts_(*cmdline);
    puts_("\n");
}
#elif defined(MULTIBOOT)
/* What follows the first space: the file names are the host's */
static void puts_args(const char *what, uint32_t s)
{
    const char *p = (const char *)(uintptr_t)s;

    while (*p && *p != ' ') {
        p++;
    }
    puts_(what);
    puts_(*p ? p + 1 : p);
    puts_("\n");
}

static void check_mbi(uint32_t mbi, const char **cmdline)
{
    uint32_t mm = ld32(mbi + 48), len = ld32(mbi + 44), mods = ld32(mbi + 24);
    uint32_t i, upper_end = 0, acpi = 0, sizes = 1;

    check("flags", ld32(mbi), 0x24f);
    check("mem_lower", ld32(mbi + 4), 640);
    check("BDA base memory", *(volatile uint16_t *)0x413, 640);
    /* int 15h: the BIOS trap's handler 0x15 at 0060:0069 */
    check("IVT int 15h", ld32(0x15 * 4), 0x00600069);
    check("int 15h handler: mov $0x15, %al", ld32(0x669) & 0xffff, 0x15b0);
    check("mmap_length % 24", len % 24, 0);
    check("mmap[0]", ld64(mm + 4) | ld64(mm + 12) << 32 | ld32(mm + 20),
          0xa000000000001ULL);
    for (i = 0; i < len; i += 24) {
        uint64_t base = ld64(mm + i + 4), size = ld64(mm + i + 12);

        sizes &= ld32(mm + i) == 20;
        if (ld32(mm + i + 20) == 1 && base <= 0x100000 &&
            0x100000 < base + size) {
            upper_end = base + size;
        }
        acpi |= ld32(mm + i + 20) == 3;
    }
    check("mmap entry sizes 20", sizes, 1);
    check("mmap has an ACPI range", acpi, 1);
    check("mem_upper: the RAM run at 1 MiB",
          0x100000 + ld32(mbi + 8) * 1024 == upper_end && upper_end, 1);
    check("mods_count", ld32(mbi + 20), 2);
    for (i = 0; i < 2; i++) {
        check_initrd(ld32(mods + i * 16), ld32(mods + i * 16 + 4) -
                     ld32(mods + i * 16));
        puts_args("module cmdline: ", ld32(mods + i * 16 + 8));
    }
    puts_("boot_loader_name: ");
    puts_((const char *)(uintptr_t)ld32(mbi + 64));
    puts_("\n");
    *cmdline = (const char *)(uintptr_t)ld32(mbi + 16);
    puts_args("cmdline: ", ld32(mbi + 16));
}
#else
static void check_start_info(uint32_t si, const char **cmdline)
{
    uint32_t mm = ld64(si + 40), n = ld32(si + 48);
    uint32_t mod = ld64(si + 16);

    check("magic", ld32(si), 0x336ec578);
    check("version", ld32(si + 4), 1);
    check("memmap[0]", ld64(mm) | ld64(mm + 8) << 32 | ld32(mm + 16),
          0xa000000000001ULL);
    check("memmap[1].type", ld32(mm + 24 + 16), 2);
    check("memmap[1].end", ld64(mm + 24) + ld64(mm + 32), 0x100000);
    check("memmap entries <= 127", n <= 127, 1);
    check("nr_modules", ld32(si + 12), 1);
    check_initrd(ld64(mod), ld64(mod + 8));
    *cmdline = (const char *)(uintptr_t)ld64(si + 24);
    puts_("cmdline: ");
    puts_(*cmdline);
    puts_("\n");
}
#endif

static void check_a20(void)
{
    /*
     * With A20 masked, 1 MiB + x aliases x.  Both words are put back:
     * 1 MiB + 0x7f0 is inside the bzImage guest's own code
     */
    uint32_t lo = 0x7f0, hi = 0x1007f0;
    uint32_t old_lo = ld32(lo), old_hi = ld32(hi), seen;

    *(volatile uint32_t *)lo = 0x11111111;
    *(volatile uint32_t *)hi = 0x22222222;
    seen = ld32(lo);
    *(volatile uint32_t *)hi = old_hi;
    *(volatile uint32_t *)lo = old_lo;
    check("a20", seen, 0x11111111);
}

void guest_main(uint32_t si);
void guest_main(uint32_t si)
{
    const char *cmdline;
    unsigned boot, i, dirty = 0;

    if (BOOT_COUNTER[0] != BOOT_MAGIC) {
        BOOT_COUNTER[0] = BOOT_MAGIC;
        BOOT_COUNTER[1] = 0;
    }
    boot = BOOT_COUNTER[1]++;
    puts_("boot ");
    puthex(boot);
    puts_("\n");
    check_registers(si);
#ifdef BZIMAGE
    check_boot_params(si, &cmdline);
#elif defined(MULTIBOOT)
    check_mbi(si, &cmdline);
#else
    check_start_info(si, &cmdline);
#endif
    check_a20();
    check("data restored", data_word, 0x5a5aa5a5);
    for (i = 0; i < 1024; i++) {
        dirty |= bss_words[i];
    }
    check("bss zeroed", dirty, 0);
    /* Spoil what the next reset must restore */
    data_word = 0;
    bss_words[7] = 1;
#ifdef BZIMAGE
    *(volatile uint32_t *)(si + 0x202) = 0;     /* boot_params' HdrS */
#elif defined(MULTIBOOT)
    *(volatile uint32_t *)si = 0;               /* the MBI's flags */
    *(volatile uint32_t *)ld32(si + 24) = 0;    /* module 0's start */
    *(volatile uint32_t *)(0x15 * 4) = 0;       /* the IVT's int 15h */
#else
    *(volatile uint32_t *)si = 0;               /* start_info's magic */
#endif
    if (failures) {
        puts_("result: FAIL\n");
        outb(0xf4, 0x10);
    }
    if (boot < cmdline_reboots(cmdline)) {
        /*
         * Alternate reset paths: PCI reset control, keyboard controller;
         * where the machine has neither (microvm), a triple fault
         */
        if (cmdline_has(cmdline, "triple")) {
            static const struct {
                uint16_t limit;
                uint64_t base;
            } __attribute__((packed)) no_idt;

            __asm__ volatile("lidt %0; int3" : : "m"(no_idt));
        } else if (boot & 1) {
            outb(0x64, 0xfe);
        } else {
            outb(0xcf9, 0x02);
            outb(0xcf9, 0x06);
        }
    }
    puts_("result: PASS\n");
    if (cmdline_has(cmdline, "halt")) {
        /* Wait for the host to reset us (QMP system_reset) */
        for (;;) {
            __asm__ volatile("cli; hlt");
        }
    }
    outb(0xf4, 0x00);
}
