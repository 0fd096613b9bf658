/*
 * Platform probe guest: prints the machine's state as the kernel finds
 * it at its entry, one "name value" line each over isa-debugcon (port
 * 0xe9), then exits through isa-debug-exit (port 0xf4).  What firmware
 * leaves and a kernel written for a BIOS-prepared machine may rely on:
 * the two 8259s' masks and edge/level registers, the PCI interrupt
 * routing, the local APIC and the IOAPIC, the PIT, the RTC's status
 * registers, and every PCI function's command register, BARs,
 * interrupt line and bridge windows; whether edu answers at its BAR
 * (a multiboot test suite's check).  Last, where a PIC interrupt
 * lands: IRQ 11 raised through pc-testdev (port 0x2000 + 11) with an
 * IDT whose every vector records itself, and again in real mode with
 * such an IVT.
 *
 * Run on the firmware path and on the direct path of the same machine,
 * the two outputs compare field by field (tests/guest/platform-diff.sh).
 * Built as a PVH ELF (entry.S) and, with -DMULTIBOOT, as a multiboot
 * kernel (entry-mb.S).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdbool.h>
#include "guest-io.h"

/* What the entries record (entry-common.inc); not checked here */
uint32_t entry_ebx, entry_esp, entry_eflags, entry_cr0, entry_cr4;
uint16_t entry_cs, entry_ds, entry_es, entry_ss, entry_tr;
#ifdef MULTIBOOT
uint32_t entry_eax;
#endif

static void field(const char *what, uint64_t v)
{
    puts_(what);
    puts_(" ");
    puthex(v);
    puts_("\n");
}

/* A field whose name has a PCI address in it: "pci 00:1f.0 bar0" */
static void pci_field(int bus, int dev, int fn, const char *what, uint64_t v)
{
    char name[] = "pci 00:00.0 ";

    name[4] = "0123456789abcdef"[bus >> 4];
    name[5] = "0123456789abcdef"[bus & 15];
    name[7] = "0123456789abcdef"[dev >> 4];
    name[8] = "0123456789abcdef"[dev & 15];
    name[10] = '0' + fn;
    puts_(name);
    field(what, v);
}

static uint32_t mmio32(uint32_t a)
{
    return *(volatile uint32_t *)a;
}

static uint32_t pci_read(int bus, int dev, int fn, int reg)
{
    outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | reg);
    return inl(0xcfc);
}

/* The 8259s, the edge/level registers, the PIT and the RTC */
static void dump_legacy(void)
{
    field("pic master imr", inb(0x21));
    field("pic slave imr", inb(0xa1));
    field("elcr master", inb(0x4d0));
    field("elcr slave", inb(0x4d1));
    outb(0x43, 0xe2);               /* read-back: channel 0's status */
    field("pit ch0 status", inb(0x40) & 0x3f);     /* less OUT, null */
    outb(0x43, 0xe8);               /* channel 2's */
    field("pit ch2 status", inb(0x42) & 0x3f);
    field("port 0x61", inb(0x61) & 0x03);
    outb(0x70, 0x0a);
    field("rtc reg a", inb(0x71) & 0x7f);   /* less update-in-progress */
    outb(0x70, 0x0b);
    field("rtc reg b", inb(0x71));
    outb(0x70, 0x0d);
    field("rtc reg d", inb(0x71));
}

/* The local APIC (xAPIC MMIO at its base) and the IOAPIC's entries */
static void dump_apics(void)
{
    static const struct { const char *name; uint16_t reg; } lapic[] = {
        { "lapic tpr", 0x80 }, { "lapic ldr", 0xd0 }, { "lapic dfr", 0xe0 },
        { "lapic spiv", 0xf0 }, { "lapic lvt timer", 0x320 },
        { "lapic lvt lint0", 0x350 }, { "lapic lvt lint1", 0x360 },
        { "lapic lvt error", 0x370 }, { "lapic timer divide", 0x3e0 },
    };
    uint64_t base = rdmsr(0x1b);
    uint32_t mmio = base & 0xfffff000u;
    unsigned i, n;

    field("lapic base msr", base);
    for (i = 0; i < sizeof(lapic) / sizeof(lapic[0]); i++) {
        field(lapic[i].name, mmio32(mmio + lapic[i].reg));
    }
    *(volatile uint32_t *)0xfec00000 = 1;
    n = ((mmio32(0xfec00010) >> 16) & 0xff) + 1;
    for (i = 0; i < n; i++) {
        char name[] = "ioapic entry 00";

        *(volatile uint32_t *)0xfec00000 = 0x10 + 2 * i;
        name[13] = '0' + i / 10;
        name[14] = '0' + i % 10;
        field(name, mmio32(0xfec00010));
    }
}

/* The PCI interrupt routing: PIIX3's PIRQA-D, ICH9's PIRQA-H */
static void dump_pirq(void)
{
    uint32_t id = pci_read(0, 1, 0, 0), lpc = pci_read(0, 31, 0, 0);

    if (id == 0x70008086) {                 /* PIIX3 ISA bridge */
        field("piix3 pirq a-d", pci_read(0, 1, 0, 0x60));
    }
    if (lpc == 0x29188086) {                /* ICH9 LPC */
        field("ich9 pirq a-d", pci_read(0, 31, 0, 0x60));
        field("ich9 pirq e-h", pci_read(0, 31, 0, 0x68));
    }
}

static void dump_bars(int bus, int dev, int fn, int nbars)
{
    static const char *const names[] = {
        "bar0", "bar1", "bar2", "bar3", "bar4", "bar5",
    };
    int i;

    for (i = 0; i < nbars; i++) {
        pci_field(bus, dev, fn, names[i], pci_read(bus, dev, fn, 0x10 + 4 * i));
    }
}

static int next_bus = 1;

static void dump_bus(int bus);

static void dump_function(int bus, int dev, int fn)
{
    uint32_t hdr = (pci_read(bus, dev, fn, 0x0c) >> 16) & 0x7f;

    pci_field(bus, dev, fn, "id", pci_read(bus, dev, fn, 0));
    pci_field(bus, dev, fn, "command", pci_read(bus, dev, fn, 4) & 0xffff);
    pci_field(bus, dev, fn, "interrupt", pci_read(bus, dev, fn, 0x3c) & 0xffff);
    if (hdr == 0) {
        dump_bars(bus, dev, fn, 6);
        pci_field(bus, dev, fn, "rom", pci_read(bus, dev, fn, 0x30));
    } else if (hdr == 1) {
        uint32_t buses = pci_read(bus, dev, fn, 0x18);

        dump_bars(bus, dev, fn, 2);
        pci_field(bus, dev, fn, "buses", buses & 0xffffff);
        pci_field(bus, dev, fn, "io window", pci_read(bus, dev, fn, 0x1c) & 0xffff);
        pci_field(bus, dev, fn, "io window upper", pci_read(bus, dev, fn, 0x30));
        pci_field(bus, dev, fn, "mem window", pci_read(bus, dev, fn, 0x20));
        pci_field(bus, dev, fn, "pref window", pci_read(bus, dev, fn, 0x24));
        pci_field(bus, dev, fn, "pref base upper", pci_read(bus, dev, fn, 0x28));
        pci_field(bus, dev, fn, "pref limit upper", pci_read(bus, dev, fn, 0x2c));
        pci_field(bus, dev, fn, "bridge control",
                  pci_read(bus, dev, fn, 0x3c) >> 16);
        if (((buses >> 8) & 0xff) >= next_bus) {
            next_bus = ((buses >> 8) & 0xff) + 1;
            dump_bus((buses >> 8) & 0xff);
        }
    }
}

static void dump_bus(int bus)
{
    int dev, fn;

    for (dev = 0; dev < 32; dev++) {
        for (fn = 0; fn < 8; fn++) {
            if ((pci_read(bus, dev, fn, 0) & 0xffff) == 0xffff) {
                if (fn == 0) {
                    break;
                }
                continue;
            }
            dump_function(bus, dev, fn);
            if (fn == 0 && !(pci_read(bus, dev, 0, 0x0c) & 0x800000)) {
                break;
            }
        }
    }
}

/*
 * The rules every BAR that firmware left must keep, checked as a guest
 * that assigns nothing relies on them: each BAR sized (decode off while
 * its all-ones are written), then it must have an address, aligned to
 * its size, with its decode on, inside the I/O ports the DSDT gives PCI
 * (all but 0xcf8-0xcff) or its memory (the 32-bit hole above the probe's
 * 512 MiB, below the IOAPIC, apart from q35's MMCONFIG; or above 4 GiB),
 * inside the windows of the
 * bridges above it, and apart from every other BAR.  Prints how many
 * BARs were checked and how many broke a rule.
 */
#define MAX_BARS 64
static struct { uint64_t base, size; bool io; } bars_seen[MAX_BARS];
static unsigned nr_bars_seen, bar_errors;

typedef struct { uint64_t lo[3], hi[3]; } Windows;  /* io, mem, pref */

static bool within(uint64_t b, uint64_t s, uint64_t lo, uint64_t hi)
{
    return b >= lo && b + s - 1 <= hi && b + s - 1 >= b;
}

static void check_bar(int bus, int dev, int fn, int *i, uint16_t cmd,
                      const Windows *w, bool q35)
{
    int reg = 0x10 + 4 * *i;
    uint32_t orig = pci_read(bus, dev, fn, reg), mask, hi = 0, mask_hi = ~0u;
    uint64_t base, size;
    bool io = orig & 1, is64 = !io && (orig & 6) == 4, pref = orig & 8;
    unsigned k;

    outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | reg);
    outl(0xcfc, ~0u);
    mask = inl(0xcfc);
    outl(0xcfc, orig);
    if (is64) {
        hi = pci_read(bus, dev, fn, reg + 4);
        outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg + 4));
        outl(0xcfc, ~0u);
        mask_hi = inl(0xcfc);
        outl(0xcfc, hi);
        ++*i;
    }
    if (!mask) {
        return;                             /* not implemented */
    }
    if (io) {
        size = (uint16_t)(~(mask & ~3u) + 1);
        base = orig & ~3u;
    } else {
        size = ~(((uint64_t)mask_hi << 32) | (mask & ~0xfu)) + 1;
        base = ((uint64_t)hi << 32) | (orig & ~0xfu);
    }
    if (!size || !base || (base & (size - 1)) || !(cmd & (io ? 1 : 2)) ||
        (io ? !within(base, size, 0, 0xffff) ||
              (base < 0xd00 && base + size > 0xcf8) :
         !(within(base, size, 0x20000000, 0xfebfffff) ||
           base >= 0x100000000ull) ||
         (q35 && base < 0xc0000000 && base + size > 0xb0000000)) ||
        (bus && !within(base, size, w->lo[io ? 0 : pref ? 2 : 1],
                        w->hi[io ? 0 : pref ? 2 : 1]) &&
         !(pref && within(base, size, w->lo[1], w->hi[1])))) {
        bar_errors++;
    }
    for (k = 0; k < nr_bars_seen; k++) {
        if (bars_seen[k].io == io && base < bars_seen[k].base +
            bars_seen[k].size && bars_seen[k].base < base + size) {
            bar_errors++;
        }
    }
    if (nr_bars_seen < MAX_BARS) {
        bars_seen[nr_bars_seen].base = base;
        bars_seen[nr_bars_seen].size = size;
        bars_seen[nr_bars_seen++].io = io;
    }
}

static void check_bus(int bus, const Windows *w, bool q35, int depth)
{
    int dev, fn, i;

    for (dev = 0; dev < 32; dev++) {
        for (fn = 0; fn < 8; fn++) {
            uint32_t hdr;
            uint16_t cmd;

            if ((pci_read(bus, dev, fn, 0) & 0xffff) == 0xffff) {
                if (fn == 0) {
                    break;
                }
                continue;
            }
            hdr = (pci_read(bus, dev, fn, 0x0c) >> 16) & 0x7f;
            cmd = pci_read(bus, dev, fn, 4) & 0xffff;
            outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | 4);
            outw(0xcfc, cmd & ~3);          /* decode off while sizing */
            for (i = 0; i < (hdr == 0 ? 6 : hdr == 1 ? 2 : 0); i++) {
                check_bar(bus, dev, fn, &i, cmd, w, q35);
            }
            outl(0xcf8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | 4);
            outw(0xcfc, cmd);
            if (hdr == 1 && depth < 8) {
                uint32_t io = pci_read(bus, dev, fn, 0x1c);
                uint32_t mem = pci_read(bus, dev, fn, 0x20);
                uint32_t pref = pci_read(bus, dev, fn, 0x24);
                Windows c = {
                    { (io & 0xf0) << 8, (mem & 0xfff0) << 16,
                      ((uint64_t)pci_read(bus, dev, fn, 0x28) << 32) |
                      (pref & 0xfff0) << 16 },
                    { (io & 0xf000) | 0xfff, (mem & 0xfff00000) | 0xfffff,
                      ((uint64_t)pci_read(bus, dev, fn, 0x2c) << 32) |
                      (pref & 0xfff00000) | 0xfffff },
                };
                int sec = (pci_read(bus, dev, fn, 0x18) >> 8) & 0xff;

                if (sec > bus) {
                    check_bus(sec, &c, q35, depth + 1);
                }
            }
            if (fn == 0 && !(pci_read(bus, dev, 0, 0x0c) & 0x800000)) {
                break;
            }
        }
    }
}

static void check_bars(void)
{
    static const Windows root = { { 0, 0, 0 }, { ~0ull, ~0ull, ~0ull } };

    check_bus(0, &root, pci_read(0, 31, 0, 0) == 0x29188086, 0);
    field("pci bars checked", nr_bars_seen);
    field("pci bar rule errors", bar_errors);
}

/*
 * What a kernel written for a BIOS-prepared machine does with edu (a
 * test device): find it by its ID on bus 0, read its registers at its
 * BAR without assigning anything, and check that it answers (its
 * identification register, and the liveness register that returns
 * what is written inverted).  1 when it answers.
 */
static void probe_edu(void)
{
    uint32_t bar, alive = 0;
    int dev;

    for (dev = 0; dev < 32; dev++) {
        if (pci_read(0, dev, 0, 0) != 0x11e81234) {
            continue;
        }
        bar = pci_read(0, dev, 0, 0x10) & ~0xfu;
        if (bar && (pci_read(0, dev, 0, 4) & 2)) {
            *(volatile uint32_t *)(bar + 4) = 0x12345678;
            alive = mmio32(bar) == 0x010000ed &&
                    mmio32(bar + 4) == ~0x12345678u;
        }
        break;
    }
    field("edu alive", alive);
}

/*
 * Where IRQ 11 lands: every vector's handler records its number and
 * goes back to the wait's end, without IRET (which the nested KVM of
 * some hosts cannot run here: "emulation failure", on both paths)
 */
volatile uint32_t irq_vector, irq_count, irq_esp, irq_resume;
static uint64_t idt[256];
void irq_stubs(void);
__asm__(".text\n"
        ".balign 32\n"
        "irq_stubs:\n"
        ".rept 256\n"
        ".balign 32\n"                      /* a stub is 25 bytes */
        "movl $(. - irq_stubs) / 32, irq_vector\n"
        "incl irq_count\n"
        "movl irq_esp, %esp\n"
        "jmp *irq_resume\n"
        ".endr\n");

/*
 * A GDT of its own: neither boot protocol promises a usable one.  Flat
 * 32-bit code and data, and 16-bit ones (64 KiB at 0) to leave
 * protected mode through.
 */
static const uint64_t gdt[5] __attribute__((aligned(8))) = {
    0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,
    0x00009b000000ffffull, 0x000093000000ffffull,
};

static void load_gdt(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } gdtr = {
        sizeof(gdt) - 1, (uint32_t)gdt,
    };

    __asm__ volatile("lgdt %0\n"
                     "ljmp $0x08, $1f\n"
                     "1: mov $0x10, %%eax\n"
                     "mov %%eax, %%ds\n"
                     "mov %%eax, %%es\n"
                     "mov %%eax, %%ss\n" : : "m"(gdtr) : "eax", "memory");
}

static void probe_irq11(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr;
    unsigned i;

    load_gdt();
    for (i = 0; i < 256; i++) {
        uint32_t h = (uint32_t)irq_stubs + 32 * i;

        idt[i] = (h & 0xffff) | (uint64_t)0x08 << 16 |
                 (uint64_t)0x8e00 << 32 | (uint64_t)(h >> 16) << 48;
    }
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint32_t)idt;
    __asm__ volatile("lidt %0" : : "m"(idtr));
    outb(0x21, 0xfb);                       /* the cascade alone */
    outb(0xa1, 0xf7);                       /* and IRQ 11 */
    /*
     * Interrupts on first: a line raised while they are off is taken by
     * TCG at its next exit to the main loop, which a tight loop with
     * interrupts on may never make.  pc-testdev raises the line.
     */
    __asm__ volatile("mov %%esp, irq_esp\n"
                     "movl $1f, irq_resume\n"
                     "sti\n"
                     "mov $0x200b, %%dx\n"
                     "mov $1, %%al\n"
                     "out %%al, %%dx\n"
                     "mov $1000000, %%ecx\n"
                     "2: pause\n"
                     "dec %%ecx\n"
                     "jnz 2b\n"
                     "1: cli\n" : : : "eax", "ecx", "edx", "memory", "cc");
    outb(0x2000 + 11, 0);
    field("irq11 count", irq_count);
    field("irq11 vector", irq_count ? irq_vector : 0);
}

/*
 * Where IRQ 11 lands in real mode, through the IVT, as a kernel that a
 * BIOS-era loader started in real mode takes it: 16-bit code copied
 * below 1 MiB (RM_BASE) leaves protected mode, points every IVT vector
 * at a stub that records its number, raises IRQ 11 with interrupts on,
 * and goes back to protected mode.  A stub ends the wait without IRET,
 * as in protected mode.
 */
#define RM_BASE 0x6000u
#define RM_AT(label) "(" #label " - rm_code + 0x6000)"
extern char rm_code[], rm_code_end[], rm_stubs[], rm_vector[], rm_count[];
void rm_enter(void);
__asm__(".text\n"
        ".code16\n"
        "rm_code:\n"
        "mov $0x20, %ax\n"             /* 16-bit data, 64 KiB at 0 */
        "mov %ax, %ds\n"
        "mov %ax, %es\n"
        "mov %ax, %ss\n"
        "mov %cr0, %eax\n"
        "and $0xfffffffe, %eax\n"
        "mov %eax, %cr0\n"
        "ljmp $0, $" RM_AT(1f) "\n"
        "1: xor %ax, %ax\n"
        "mov %ax, %ds\n"
        "mov %ax, %es\n"
        "mov %ax, %ss\n"
        "mov $0x7ff0, %sp\n"
        "lidt " RM_AT(rm_idtr) "\n"
        "sti\n"
        "mov $0x200b, %dx\n"
        "mov $1, %al\n"
        "out %al, %dx\n"
        "mov $1000000, %ecx\n"
        "2: pause\n"
        "dec %ecx\n"
        "jnz 2b\n"
        "rm_back: cli\n"
        "mov $0x200b, %dx\n"
        "xor %al, %al\n"
        "out %al, %dx\n"
        "mov %cr0, %eax\n"
        "or $1, %eax\n"
        "mov %eax, %cr0\n"
        "ljmpl $0x08, $rm_return\n"
        ".balign 8\n"
        "rm_idtr: .word 0x3ff\n"
        ".long 0\n"
        "rm_vector: .long 0\n"
        "rm_count: .long 0\n"
        ".balign 8\n"
        "rm_stubs:\n"
        ".rept 256\n"
        ".balign 8\n"
        "movb $(. - rm_stubs) / 8, %al\n"
        "jmp rm_common\n"
        ".endr\n"
        "rm_common:\n"
        "movb %al, " RM_AT(rm_vector) "\n"
        "incl " RM_AT(rm_count) "\n"
        "mov $0x7ff0, %sp\n"
        "jmp rm_back\n"
        "rm_code_end:\n"
        ".code32\n"
        "rm_enter:\n"
        "mov %esp, rm_esp\n"
        "ljmp $0x18, $" RM_AT(rm_code) "\n"
        "rm_return:\n"
        "mov $0x10, %eax\n"
        "mov %eax, %ds\n"
        "mov %eax, %es\n"
        "mov %eax, %ss\n"
        "mov rm_esp, %esp\n"
        "ret\n");
uint32_t rm_esp;

static void probe_irq11_real_mode(void)
{
    volatile uint8_t *low = (volatile uint8_t *)RM_BASE;
    uintptr_t zero = 0;
    volatile uint32_t *ivt;
    uint32_t n = rm_code_end - rm_code, i;

    __asm__("" : "+r"(zero));       /* the IVT is at 0: not a null pointer */
    ivt = (volatile uint32_t *)zero;

    for (i = 0; i < n; i++) {
        low[i] = rm_code[i];
    }
    for (i = 0; i < 256; i++) {
        ivt[i] = RM_BASE + (rm_stubs - rm_code) + 8 * i;    /* 0000:off */
    }
    outb(0xa0, 0x20);                       /* end protected mode's IRQ 11 */
    outb(0x20, 0x20);
    outb(0x21, 0xfb);                       /* the cascade alone */
    outb(0xa1, 0xf7);                       /* and IRQ 11 */
    __asm__ volatile("call rm_enter" : : : "eax", "ecx", "edx", "memory",
                     "cc");
    field("irq11 real mode count", *(volatile uint32_t *)
          (RM_BASE + (rm_count - rm_code)));
    field("irq11 real mode vector", *(volatile uint32_t *)
          (RM_BASE + (rm_vector - rm_code)));
}

void guest_main(uint32_t info);
void guest_main(uint32_t info)
{
    (void)info;
    puts_("platform-probe start\n");
    dump_legacy();
    dump_pirq();
    dump_apics();
    dump_bus(0);
    check_bars();
    probe_edu();
    probe_irq11();
    probe_irq11_real_mode();
    puts_("platform-probe end\n");
    outb(0xf4, 0);
}
