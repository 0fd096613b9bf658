/*
 * The PVH boot CPU state against Intel's VM-entry guest-state checks.
 *
 * TCG can emulate AMD-V (the nested "kvm" test group runs KVM on it) but
 * not VMX, so KVM-Intel is checked on paper: the state the PVH entry
 * sets, as KVM loads it into the VMCS, must pass the checks of the SDM,
 * vol. 3C, 27.3.1 "Checks on the Guest-State Area", for a guest that is
 * not in IA-32e mode nor in virtual-8086 mode, with "unrestricted guest"
 * (which KVM uses whenever the CPU has it, and needs for CR0.PG = 0).
 *
 * How KVM and QEMU map the state (arch/x86/kvm/vmx/vmx.c,
 * target/i386/kvm/kvm.c):
 *   - access rights are the descriptor's bits 8-23 (type, S, DPL, P,
 *     AVL, L, D/B, G), plus bit 16 "unusable" for a segment that is not
 *     present (QEMU's set_seg(): unusable = !present);
 *   - the VMCS's CR0 and CR4 are the guest's with KVM's always-on bits:
 *     CR0.NE (KVM_VM_CR0_ALWAYS_ON_UNRESTRICTED_GUEST) and CR4.VMXE
 *     (KVM_VM_CR4_ALWAYS_ON_UNRESTRICTED_GUEST); the guest reads its own
 *     values through the read shadows.
 * Each check returns the rule that failed; mutated states prove that
 * every rule can fail.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/i386/pvh/cpu-state.h"

/* IA32_VMX_CR{0,4}_FIXED{0,1} as a current Intel CPU reports them */
#define CR0_FIXED0  0x80000021ull   /* PG, NE, PE */
#define CR0_FIXED1  0xffffffffull
#define CR4_FIXED0  0x00002000ull   /* VMXE */
#define CR4_FIXED1  0x00f727ffull

#define CR0_PG  (1ull << 31)
#define CR0_CD  (1ull << 30)
#define CR0_NW  (1ull << 29)
#define CR0_NE  (1ull << 5)
#define CR4_VMXE (1ull << 13)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

/* VMX access rights */
#define AR_TYPE(ar)     ((ar) & 0xf)
#define AR_S            (1u << 4)
#define AR_DPL(ar)      (((ar) >> 5) & 3)
#define AR_P            (1u << 7)
#define AR_L            (1u << 13)
#define AR_G            (1u << 15)
#define AR_UNUSABLE     (1u << 16)
#define AR_RESERVED     (0xf00u | 0xfffe0000u)

static uint32_t vmx_ar(const PVHCpuSeg *seg)
{
    uint32_t ar = (seg->flags >> 8) & 0xf0ff;

    return (seg->flags & PVH_SEG_P) ? ar : AR_UNUSABLE;
}

/* 27.3.1.2: the G bit must agree with the limit */
static bool limit_ok(const PVHCpuSeg *seg, uint32_t ar)
{
    if ((seg->limit & 0xfff) != 0xfff && (ar & AR_G)) {
        return false;
    }
    return !((seg->limit & 0xfff00000) && !(ar & AR_G));
}

static const char *check_common(const PVHCpuSeg *seg, uint32_t ar)
{
    if (ar & AR_RESERVED) {
        return "access rights: reserved bits set";
    }
    if (!(ar & AR_P)) {
        return "access rights: usable segment not present";
    }
    return limit_ok(seg, ar) ? NULL : "limit and G bit disagree";
}

static const char *check_cs(const PVHCpuState *s)
{
    const PVHCpuSeg *cs = &s->seg[PVH_SEG_CS];
    uint32_t ar = vmx_ar(cs), ss = vmx_ar(&s->seg[PVH_SEG_SS]);

    if (ar & AR_UNUSABLE) {
        return "CS unusable";
    }
    switch (AR_TYPE(ar)) {
    case 9: case 11:
        if (AR_DPL(ar) != AR_DPL(ss)) {
            return "CS: non-conforming code with DPL != SS.DPL";
        }
        break;
    case 13: case 15:
        if (AR_DPL(ar) > AR_DPL(ss)) {
            return "CS: conforming code with DPL > SS.DPL";
        }
        break;
    case 3:     /* allowed with unrestricted guest */
        if (AR_DPL(ar) != 0) {
            return "CS: type 3 with DPL != 0";
        }
        break;
    default:
        return "CS: type not accessed code (9, 11, 13, 15) or 3";
    }
    if (!(ar & AR_S)) {
        return "CS: S = 0";
    }
    if (ar & AR_L) {
        return "CS: L set outside IA-32e mode";
    }
    return check_common(cs, ar);
}

static const char *check_ss(const PVHCpuState *s)
{
    const PVHCpuSeg *ss = &s->seg[PVH_SEG_SS];
    uint32_t ar = vmx_ar(ss);

    if (ar & AR_UNUSABLE) {
        return NULL;
    }
    if (AR_TYPE(ar) != 3 && AR_TYPE(ar) != 7) {
        return "SS: type not read/write data (3 or 7)";
    }
    if (!(s->cr0 & PVH_CR0_PE) && AR_DPL(ar) != 0) {
        return "SS: DPL != 0 in real mode";
    }
    return check_common(ss, ar);
}

static const char *check_data(const PVHCpuState *s, PVHSegReg r)
{
    const PVHCpuSeg *seg = &s->seg[r];
    uint32_t ar = vmx_ar(seg);

    if (ar & AR_UNUSABLE) {
        return NULL;
    }
    if (!(AR_TYPE(ar) & 1)) {
        return "DS/ES/FS/GS: accessed bit clear";
    }
    if ((AR_TYPE(ar) & 8) && !(AR_TYPE(ar) & 2)) {
        return "DS/ES/FS/GS: code segment not readable";
    }
    if (!(ar & AR_S)) {
        return "DS/ES/FS/GS: S = 0";
    }
    return check_common(seg, ar);
}

static const char *check_system_segs(const PVHCpuState *s)
{
    const PVHCpuSeg *tr = &s->seg[PVH_SEG_TR], *ldtr = &s->seg[PVH_SEG_LDTR];
    uint32_t ar = vmx_ar(tr), ldt = vmx_ar(ldtr);
    const char *err;

    if (tr->selector & 4) {
        return "TR: selector TI set";
    }
    if (ar & AR_UNUSABLE) {
        return "TR unusable";
    }
    if (AR_TYPE(ar) != 11 && AR_TYPE(ar) != 3) {
        return "TR: type not a busy TSS (11, or 3)";
    }
    if (ar & AR_S) {
        return "TR: S = 1";
    }
    err = check_common(tr, ar);
    if (err || (ldt & AR_UNUSABLE)) {
        return err;
    }
    if (ldtr->selector & 4) {
        return "LDTR: selector TI set";
    }
    if (AR_TYPE(ldt) != 2 || (ldt & AR_S)) {
        return "LDTR: usable but not an LDT (type 2, S = 0)";
    }
    return check_common(ldtr, ldt);
}

/* 27.3.1.1: control registers, DR7, EFER; the VMCS values KVM loads */
static const char *check_control(const PVHCpuState *s)
{
    uint64_t cr0 = s->cr0 | CR0_NE, cr4 = s->cr4 | CR4_VMXE;
    uint64_t fixed0 = CR0_FIXED0 & ~(PVH_CR0_PE | CR0_PG);

    if ((cr0 & fixed0) != fixed0 || (cr0 & ~CR0_FIXED1)) {
        return "CR0: fixed bits (unrestricted guest)";
    }
    if ((cr0 & CR0_PG) && !(cr0 & PVH_CR0_PE)) {
        return "CR0: PG without PE";
    }
    if ((cr0 & CR0_NW) && !(cr0 & CR0_CD)) {
        return "CR0: NW without CD";
    }
    if ((cr4 & CR4_FIXED0) != CR4_FIXED0 || (cr4 & ~CR4_FIXED1)) {
        return "CR4: fixed bits";
    }
    if (s->dr7 >> 32) {
        return "DR7: bits 63:32 set";
    }
    if (s->efer & ~(1ull | EFER_LME | EFER_LMA | (1ull << 11))) {
        return "EFER: reserved bits set";
    }
    if ((s->efer & EFER_LMA) || ((cr0 & CR0_PG) && (s->efer & EFER_LME))) {
        return "EFER: LMA/LME outside IA-32e mode";
    }
    return NULL;
}

/* 27.3.1.4: RFLAGS */
static const char *check_rflags(const PVHCpuState *s)
{
    uint64_t reserved = ~0x3fffffull | (1 << 15) | (1 << 5) | (1 << 3);

    if ((s->eflags & reserved) || !(s->eflags & 2)) {
        return "RFLAGS: reserved bits";
    }
    if (!(s->cr0 & PVH_CR0_PE) && (s->eflags & (1 << 17))) {
        return "RFLAGS: VM set in real mode";
    }
    return NULL;
}

static const char *vmx_guest_state_check(const PVHCpuState *s)
{
    static const PVHSegReg data[] = {
        PVH_SEG_DS, PVH_SEG_ES, PVH_SEG_FS, PVH_SEG_GS
    };
    const char *err;
    size_t i;

    err = check_control(s);
    err = err ? err : check_rflags(s);
    err = err ? err : check_cs(s);
    err = err ? err : check_ss(s);
    for (i = 0; i < ARRAY_SIZE(data) && !err; i++) {
        err = check_data(s, data[i]);
    }
    return err ? err : check_system_segs(s);
}

static void boot_state(PVHCpuState *s)
{
    pvh_cpu_state_pvh(0x1000000, 0x6000, s);
}

static void test_boot_state_passes(void)
{
    PVHCpuState s;

    boot_state(&s);
    g_assert_null(vmx_guest_state_check(&s));
    /* The ABI itself */
    g_assert_cmphex(s.cr0, ==, PVH_CR0_PE | PVH_CR0_ET);
    g_assert_cmphex(s.cr4, ==, 0);
    g_assert_cmphex(s.efer, ==, 0);
    g_assert_cmphex(s.eflags, ==, 2);
    g_assert_cmphex(s.eip, ==, 0x1000000);
    g_assert_cmphex(s.ebx, ==, 0x6000);
    g_assert_cmphex(s.mtrr_deftype, ==, 0x806);
    g_assert_cmphex(vmx_ar(&s.seg[PVH_SEG_CS]), ==, 0xc09b);
    g_assert_cmphex(vmx_ar(&s.seg[PVH_SEG_SS]), ==, 0xc093);
    g_assert_cmphex(vmx_ar(&s.seg[PVH_SEG_TR]), ==, 0x8b);
    g_assert_cmphex(vmx_ar(&s.seg[PVH_SEG_LDTR]), ==, AR_UNUSABLE);
}

/* Linux's 32-bit boot protocol: what boot.rst asks, and VMX accepts */
static void test_linux32_state_passes(void)
{
    PVHCpuState s;
    uint8_t gdt[PVH_LINUX_GDT_SIZE];
    int i;

    pvh_cpu_state_linux32(0x1000000, 0x10000, 0x11000, &s);
    g_assert_null(vmx_guest_state_check(&s));
    g_assert_cmphex(s.eip, ==, 0x1000000);
    g_assert_cmphex(s.esi, ==, 0x10000);
    g_assert_cmphex(s.ebx, ==, 0);
    g_assert_cmphex(s.eflags, ==, 2);
    g_assert_cmphex(s.cr0, ==, PVH_CR0_PE | PVH_CR0_ET);
    g_assert_cmphex(s.gdtr.base, ==, 0x11000);
    g_assert_cmphex(s.gdtr.limit, ==, PVH_LINUX_GDT_SIZE - 1);
    g_assert_cmphex(s.seg[PVH_SEG_CS].selector, ==, 0x10);
    g_assert_cmphex(s.seg[PVH_SEG_DS].selector, ==, 0x18);
    g_assert_cmphex(s.seg[PVH_SEG_ES].selector, ==, 0x18);
    g_assert_cmphex(s.seg[PVH_SEG_SS].selector, ==, 0x18);
    /* Each segment cache holds what its descriptor in the GDT says */
    pvh_cpu_state_linux_gdt(gdt);
    for (i = 0; i < PVH_SEG_COUNT; i++) {
        const PVHCpuSeg *seg = &s.seg[i];
        uint64_t d;
        uint32_t limit;

        if (!seg->selector) {
            continue;
        }
        g_assert_cmpuint(seg->selector + 8, <=, PVH_LINUX_GDT_SIZE);
        d = ldq_le_p(gdt + seg->selector);
        limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
        if (d & (1ULL << 55)) {
            limit = (limit << 12) | 0xfff;
        }
        g_assert_cmphex((d >> 16 & 0xffffff) | (d >> 32 & 0xff000000), ==,
                        seg->base);
        g_assert_cmphex(limit, ==, seg->limit);
        g_assert_cmphex((d >> 32) & 0x00f0ff00, ==, seg->flags);
    }
}

/* Multiboot 0.6.96, section 3.2: what it asks, and VMX accepts */
static void test_multiboot_state_passes(void)
{
    static const PVHSegReg flat[] = {
        PVH_SEG_CS, PVH_SEG_DS, PVH_SEG_ES, PVH_SEG_FS, PVH_SEG_GS,
        PVH_SEG_SS
    };
    PVHCpuState s;
    size_t i;

    pvh_cpu_state_multiboot(0x100040, 0x9000, &s);
    g_assert_null(vmx_guest_state_check(&s));
    g_assert_cmphex(s.eax, ==, 0x2badb002);
    g_assert_cmphex(s.ebx, ==, 0x9000);
    g_assert_cmphex(s.eip, ==, 0x100040);
    /* IF clear, VM clear; paging off, protection on */
    g_assert_cmphex(s.eflags & ((1 << 9) | (1 << 17)), ==, 0);
    g_assert_cmphex(s.cr0 & (PVH_CR0_PE | (1u << 31)), ==, PVH_CR0_PE);
    for (i = 0; i < ARRAY_SIZE(flat); i++) {
        const PVHCpuSeg *seg = &s.seg[flat[i]];

        g_assert_cmphex(seg->base, ==, 0);
        g_assert_cmphex(seg->limit, ==, 0xffffffff);
        g_assert_true(seg->flags & PVH_SEG_DB);
        g_assert_true(seg->flags & PVH_SEG_P);
    }
    /* Code for CS, read/write data for the rest */
    g_assert_true(s.seg[PVH_SEG_CS].flags & (8u << PVH_SEG_TYPE_SHIFT));
    g_assert_false(s.seg[PVH_SEG_SS].flags & (8u << PVH_SEG_TYPE_SHIFT));
    g_assert_true(s.seg[PVH_SEG_SS].flags & (2u << PVH_SEG_TYPE_SHIFT));
}

/* Each row breaks one rule; the check must name it */
typedef struct Mutation {
    const char *name;
    void (*apply)(PVHCpuState *s);
    const char *want;
} Mutation;

static void tss_not_busy(PVHCpuState *s)
{
    s->seg[PVH_SEG_TR].flags &= ~(2u << PVH_SEG_TYPE_SHIFT);
}

static void tr_null(PVHCpuState *s)
{
    s->seg[PVH_SEG_TR].flags = 0;
}

static void tr_ti(PVHCpuState *s)
{
    s->seg[PVH_SEG_TR].selector |= 4;
}

static void ldtr_bad_type(PVHCpuState *s)
{
    s->seg[PVH_SEG_LDTR].flags = PVH_SEG_P | (9u << PVH_SEG_TYPE_SHIFT);
}

static void g_without_page_limit(PVHCpuState *s)
{
    s->seg[PVH_SEG_DS].limit = 0xfffff000;
}

static void big_limit_without_g(PVHCpuState *s)
{
    s->seg[PVH_SEG_SS].flags &= ~PVH_SEG_G;
}

static void cs_data(PVHCpuState *s)
{
    /* read-only data, accessed */
    s->seg[PVH_SEG_CS].flags &= ~(0xfu << PVH_SEG_TYPE_SHIFT);
    s->seg[PVH_SEG_CS].flags |= 1u << PVH_SEG_TYPE_SHIFT;
}

static void cs_dpl3(PVHCpuState *s)
{
    s->seg[PVH_SEG_CS].flags |= 3u << 13;
}

static void cs_long(PVHCpuState *s)
{
    s->seg[PVH_SEG_CS].flags |= PVH_SEG_L;
}

static void ss_code(PVHCpuState *s)
{
    s->seg[PVH_SEG_SS].flags |= 8u << PVH_SEG_TYPE_SHIFT;
}

static void ds_not_accessed(PVHCpuState *s)
{
    s->seg[PVH_SEG_DS].flags &= ~(1u << PVH_SEG_TYPE_SHIFT);
}

static void es_system(PVHCpuState *s)
{
    s->seg[PVH_SEG_ES].flags &= ~PVH_SEG_S;
}

static void nw_without_cd(PVHCpuState *s)
{
    s->cr0 |= CR0_NW;
}

static void cr4_vmx_reserved(PVHCpuState *s)
{
    s->cr4 |= 1ull << 15;       /* reserved in CR4 */
}

static void efer_lma(PVHCpuState *s)
{
    s->efer = EFER_LMA;
}

static void rflags_reserved(PVHCpuState *s)
{
    s->eflags = 0;
}

static const Mutation mutations[] = {
    { "tss-not-busy", tss_not_busy, "TR: type not a busy TSS (11, or 3)" },
    { "tr-null", tr_null, "TR unusable" },
    { "tr-ti", tr_ti, "TR: selector TI set" },
    { "ldtr-usable-not-ldt", ldtr_bad_type,
      "LDTR: usable but not an LDT (type 2, S = 0)" },
    { "g-without-page-limit", g_without_page_limit,
      "limit and G bit disagree" },
    { "big-limit-without-g", big_limit_without_g,
      "limit and G bit disagree" },
    { "cs-data", cs_data, "CS: type not accessed code (9, 11, 13, 15) or 3" },
    { "cs-dpl3", cs_dpl3, "CS: non-conforming code with DPL != SS.DPL" },
    { "cs-long", cs_long, "CS: L set outside IA-32e mode" },
    { "ss-code", ss_code, "SS: type not read/write data (3 or 7)" },
    { "ds-not-accessed", ds_not_accessed, "DS/ES/FS/GS: accessed bit clear" },
    { "es-system", es_system, "DS/ES/FS/GS: S = 0" },
    { "nw-without-cd", nw_without_cd, "CR0: NW without CD" },
    { "cr4-reserved", cr4_vmx_reserved, "CR4: fixed bits" },
    { "efer-lma", efer_lma, "EFER: LMA/LME outside IA-32e mode" },
    { "rflags-reserved", rflags_reserved, "RFLAGS: reserved bits" },
};

static void test_mutation(gconstpointer data)
{
    const Mutation *m = data;
    PVHCpuState s;

    boot_state(&s);
    m->apply(&s);
    g_assert_cmpstr(vmx_guest_state_check(&s), ==, m->want);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu-state/vmx-entry-checks/boot-state",
                    test_boot_state_passes);
    g_test_add_func("/cpu-state/vmx-entry-checks/multiboot-state",
                    test_multiboot_state_passes);
    g_test_add_func("/cpu-state/vmx-entry-checks/linux32-state",
                    test_linux32_state_passes);
    for (i = 0; i < ARRAY_SIZE(mutations); i++) {
        g_autofree char *path =
            g_strdup_printf("/cpu-state/vmx-entry-checks/fails/%s",
                            mutations[i].name);
        g_test_add_data_func(path, &mutations[i], test_mutation);
    }
    return g_test_run();
}
