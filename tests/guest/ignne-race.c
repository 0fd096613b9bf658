/*
 * IGNNE# race probe: CPU 0's NMI blocking and GIF while another CPU
 * restores x87 state.  In QEMU's TCG, every FLDENV, FRSTOR, FXRSTOR
 * and XRSTOR that leaves no unmasked x87 exception pending clears
 * IGNNE# in the *first* CPU's hflags2, from the thread of the CPU that
 * ran it; a plain read-modify-write there (QEMU up to 10.2) can write
 * back a value of CPU 0's word that CPU 0 has changed since: NMI
 * blocking left on after IRET (NMIs lost for good), left off inside an
 * NMI handler (a nested NMI), GIF left at 0 after STGI or at 1 after
 * CLGI.  Under nested SVM that corrupted the nested host's CPU 0.
 *
 * CPU 1, started with INIT-SIPI-SIPI, loops FLDENV in real mode.  CPU
 * 0 meanwhile sends itself NMIs: every other one its handler sends
 * another, which must wait for the IRET; and, where CPUID has SVM,
 * NMIs sent between CLGI and STGI, which must wait for the STGI.  It
 * prints one line per phase over isa-debugcon (port 0xe9) and exits
 * through isa-debug-exit (port 0xf4): 0 passed, 1 failed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest-io.h"

/* What the entry records (entry-common.inc); not checked here */
uint32_t entry_ebx, entry_esp, entry_eflags, entry_cr0, entry_cr4;
uint16_t entry_cs, entry_ds, entry_es, entry_ss, entry_tr;

#define APIC_BASE   0xfee00000u
#define APIC_ID     0x20
#define APIC_SVR    0xf0
#define APIC_ICR_LO 0x300
#define APIC_ICR    0xfee00300      /* APIC_BASE + APIC_ICR_LO, for asm() */
#define APIC_ICR_HI 0x310
#define ICR_NMI     0x4400          /* assert, NMI, physical destination */
#define ICR_INIT    0x4500u
#define ICR_SIPI    0x4600u

/* CPU 1's real-mode code, copied here: SIPI vector AP_BASE >> 12 */
#define AP_BASE     0x10000u
/*
 * NMIs per phase; how long to wait for a self-NMI (loops: it comes
 * from this CPU's own thread, so a loaded host does not delay it), for
 * CPU 1 to start (its thread may wait for the host's scheduler); how
 * long an NMI is held by GIF = 0
 */
#define ROUNDS      20000
#define AP_LOOPS    4000000         /* and until CPU 1 has run this many */
#define MAX_ROUNDS  20000000
#define WAIT        20000000
#define AP_WAIT     1000000000
#define HELD        200
/* A constant as text, for the asm() below */
#define STR(x)      #x
#define XSTR(x)     STR(x)

static void apic_write(unsigned reg, uint32_t v)
{
    *(volatile uint32_t *)(APIC_BASE + reg) = v;
}

static uint32_t apic_read(unsigned reg)
{
    return *(volatile uint32_t *)(APIC_BASE + reg);
}

/*
 * Busy waits without PAUSE: TCG runs PAUSE as a helper that leaves the
 * translated code, a slower round and fewer chances for the race
 */
static void spin(uint32_t n)
{
    while (n--) {
        __asm__ volatile("" : : : "memory");
    }
}

/*
 * The NMI handler: counts, notes an NMI taken inside another, and
 * sends itself one more NMI when nmi_again is set (it must stay
 * pending until the IRET).  Any other vector records itself and ends
 * the run.
 */
volatile uint32_t nmi_count, nmi_depth, nmi_nested, nmi_again;
volatile uint32_t bad_vector;
void nmi_entry(void);
void bad_stubs(void);
void bad_common(void);
__asm__(".text\n"
        ".balign 16\n"
        "nmi_entry:\n"
        "push %eax\n"
        "incl nmi_depth\n"
        "cmpl $1, nmi_depth\n"
        "je 1f\n"
        "incl nmi_nested\n"
        "1: incl nmi_count\n"
        "cmpl $0, nmi_again\n"
        "je 2f\n"
        "movl $0, nmi_again\n"
        "movl $" XSTR(ICR_NMI) ", " XSTR(APIC_ICR) "\n" /* to ourselves */
        "2: mov $" XSTR(HELD) ", %eax\n" /* room for a nested one */
        "3: dec %eax\n"
        "jnz 3b\n"
        "decl nmi_depth\n"
        "pop %eax\n"
        "iret\n"
        ".balign 16\n"
        "bad_stubs:\n"
        ".rept 256\n"
        ".balign 16\n"
        "movl $(. - bad_stubs) / 16, bad_vector\n"
        "jmp bad_common\n"
        ".endr\n");

static const uint64_t gdt[3] __attribute__((aligned(8))) = {
    0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,
};
static uint64_t idt[256];

static uint64_t gate(void (*h)(void))
{
    uint32_t a = (uint32_t)h;

    return (a & 0xffff) | (uint64_t)0x08 << 16 | (uint64_t)0x8e00 << 32 |
           (uint64_t)(a >> 16) << 48;
}

static void load_tables(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } gdtr = {
        sizeof(gdt) - 1, (uint32_t)gdt,
    }, idtr = {
        sizeof(idt) - 1, (uint32_t)idt,
    };
    unsigned i;

    for (i = 0; i < 256; i++) {
        idt[i] = gate((void (*)(void))((uint32_t)bad_stubs + 16 * i));
    }
    idt[2] = gate(nmi_entry);
    __asm__ volatile("lgdt %0\n"
                     "ljmp $0x08, $1f\n"
                     "1: mov $0x10, %%eax\n"
                     "mov %%eax, %%ds\n"
                     "mov %%eax, %%es\n"
                     "mov %%eax, %%ss\n"
                     "lidt %1\n" : : "m"(gdtr), "m"(idtr) : "eax", "memory");
}

/*
 * CPU 1: FNINIT, FNSTENV (a status word with no exception pending),
 * then FLDENV of that image for ever, counting, until ap_stop.
 */
extern char ap_code[], ap_code_end[], ap_up[], ap_loops[], ap_stop[];
__asm__(".text\n"
        ".code16\n"
        "ap_code:\n"
        "cli\n"
        "mov %cs, %ax\n"
        "mov %ax, %ds\n"
        "fninit\n"
        "fnstenv (ap_env - ap_code)\n"
        "movl $1, (ap_up - ap_code)\n"
        "1: fldenv (ap_env - ap_code)\n"
        "incl (ap_loops - ap_code)\n"
        "cmpb $0, (ap_stop - ap_code)\n"
        "je 1b\n"
        "2: hlt\n"
        "jmp 2b\n"
        ".balign 4\n"
        "ap_env: .space 28\n"
        "ap_up: .long 0\n"
        "ap_loops: .long 0\n"
        "ap_stop: .long 0\n"
        "ap_code_end:\n"
        ".code32\n");

#define AP_VAR(sym) (*(volatile uint32_t *)(AP_BASE + ((sym) - ap_code)))

static void finish(int failed)
{
    AP_VAR(ap_stop) = 1;
    puts_(failed ? "ignne-race FAIL\n" : "ignne-race end\n");
    outb(0xf4, failed);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

void bad_common(void)
{
    puts_("ignne-race: unexpected vector ");
    puthex(bad_vector);
    puts_("\n");
    finish(1);
}

static int start_ap(void)
{
    volatile uint8_t *low = (volatile uint8_t *)AP_BASE;
    uint32_t n = ap_code_end - ap_code, i;

    for (i = 0; i < n; i++) {
        low[i] = ap_code[i];
    }
    apic_write(APIC_ICR_HI, 1u << 24);      /* -smp 2: APIC ID 1 */
    apic_write(APIC_ICR_LO, ICR_INIT);
    spin(10000);
    for (i = 0; i < 2 && !AP_VAR(ap_up); i++) {
        apic_write(APIC_ICR_LO, ICR_SIPI | AP_BASE >> 12);
        spin(100000);
    }
    for (i = 0; i < AP_WAIT && !AP_VAR(ap_up); i++) {
        __asm__ volatile("" : : : "memory");
    }
    return AP_VAR(ap_up) != 0;
}

static void self_nmi(void)
{
    apic_write(APIC_ICR_LO, ICR_NMI);
}

/* Wait until nmi_count reaches want; 0 if it does not */
static int wait_nmis(uint32_t want)
{
    uint32_t i;

    for (i = 0; i < WAIT && nmi_count < want; i++) {
        __asm__ volatile("" : : : "memory");
    }
    return nmi_count >= want;
}

static void putdec(uint32_t v)
{
    char buf[11];
    int n = 10;

    buf[n] = 0;
    do {
        buf[--n] = '0' + v % 10;
        v /= 10;
    } while (v);
    puts_(buf + n);
}

static void report(const char *phase, uint32_t rounds, uint32_t loops,
                   const char *what)
{
    puts_("ignne-race ");
    puts_(phase);
    puts_(": ");
    puts_(what);
    puts_(" after ");
    putdec(rounds);
    puts_(" rounds, cpu 1 ran ");
    putdec(loops);
    puts_(" fldenv\n");
}

/* Another round: at least ROUNDS, and until CPU 1 has run AP_LOOPS */
static int more_rounds(uint32_t i, uint32_t loops_at_start)
{
    return i < MAX_ROUNDS &&
           (i < ROUNDS || AP_VAR(ap_loops) - loops_at_start < AP_LOOPS);
}

/* A phase that met no failure: it passes if CPU 1 ran meanwhile */
static int phase_end(const char *phase, uint32_t rounds,
                     uint32_t loops_at_start)
{
    uint32_t loops = AP_VAR(ap_loops) - loops_at_start;

    report(phase, rounds, loops, loops ? "ok" : "cpu 1 did not run");
    return !loops;
}

/* NMI blocking: every other NMI sends a second one from its handler */
static int phase_nmi(void)
{
    uint32_t loops = AP_VAR(ap_loops), i, want;

    for (i = 0; more_rounds(i, loops); i++) {
        nmi_again = i & 1;
        want = nmi_count + 1 + (i & 1);
        self_nmi();
        if (!wait_nmis(want)) {
            report("nmi", i, AP_VAR(ap_loops) - loops,
                   "NMI lost (blocking left on after IRET)");
            return 1;
        }
        if (nmi_nested) {
            report("nmi", i, AP_VAR(ap_loops) - loops,
                   "NMI taken inside the NMI handler");
            return 1;
        }
    }
    return phase_end("nmi", i, loops);
}

static int has_svm(void)
{
    uint32_t a = 0x80000000u, b, c, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    if (a < 0x80000001u) {
        return 0;
    }
    a = 0x80000001u;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    return (c >> 2) & 1;
}

/* GIF: an NMI sent between CLGI and STGI waits for the STGI */
static int phase_gif(void)
{
    uint32_t loops = AP_VAR(ap_loops), i, want, lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u));
    lo |= 1u << 12;                         /* EFER.SVME */
    __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(0xc0000080u));
    for (i = 0; more_rounds(i, loops); i++) {
        want = nmi_count + 1;
        __asm__ volatile("clgi" : : : "memory");
        self_nmi();
        spin(HELD);
        if (nmi_count == want) {
            __asm__ volatile("stgi" : : : "memory");
            report("gif", i, AP_VAR(ap_loops) - loops,
                   "NMI taken with GIF = 0");
            return 1;
        }
        __asm__ volatile("stgi" : : : "memory");
        if (!wait_nmis(want)) {
            report("gif", i, AP_VAR(ap_loops) - loops,
                   "NMI lost (GIF left at 0 after STGI)");
            return 1;
        }
    }
    return phase_end("gif", i, loops);
}

void guest_main(uint32_t info);
void guest_main(uint32_t info)
{
    (void)info;
    puts_("ignne-race start\n");
    load_tables();
    apic_write(APIC_SVR, 0x1ff);            /* software enable, vector 0xff */
    if (!start_ap()) {
        puts_("ignne-race: cpu 1 did not start\n");
        finish(1);
    }
    /* From here on every IPI is a self-NMI (the NMI handler's too) */
    apic_write(APIC_ICR_HI, apic_read(APIC_ID) & 0xff000000u);
    if (phase_nmi()) {
        finish(1);
    }
    if (has_svm()) {
        if (phase_gif()) {
            finish(1);
        }
    } else {
        puts_("ignne-race gif: no SVM in CPUID, not run\n");
    }
    finish(0);
}
