/*
 * Direct kernel boot: resume from S3 as firmware's resume path did
 * (QEMU glue)
 *
 * Guest RAM was kept, so nothing is loaded: program the chipset again,
 * clear the CMOS shutdown status that marked the suspend, and enter the
 * OS's waking vector from the FACS in real mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "compat.h"
#include "hw/rtc/mc146818rtc.h"
#include "target/i386/cpu.h"
#include "chipset.h"
#include "table-loader.h"
#include "tables.h"
#include "s3-resume.h"
#include "trace.h"

bool pvh_s3_resume(X86MachineState *x86ms)
{
    X86CPU *cpu = X86_CPU(first_cpu);
    uint64_t facs = pvh_tables_facs();
    uint8_t sig[4];
    uint32_t vector;

    /*
     * The FACS where this QEMU put it.  A guest that came in by migration
     * from a QEMU that laid out other files, or drew another KASLR base,
     * has its FACS elsewhere: no signature there, boot afresh.
     */
    if (!facs ||
        address_space_read(&address_space_memory, facs,
                           MEMTXATTRS_UNSPECIFIED, sig, sizeof(sig)) !=
        MEMTX_OK || memcmp(sig, "FACS", 4)) {
        return false;
    }
    vector = address_space_ldl_le(&address_space_memory,
                                  facs + PVH_FACS_WAKING_VECTOR,
                                  MEMTXATTRS_UNSPECIFIED, NULL);
    trace_pvh_direct_wakeup(facs, vector);
    if (!vector || vector > 0xfffff) {
        return false;
    }
    memory_region_transaction_begin();
    pvh_chipset_setup(x86ms);
    memory_region_transaction_commit();
    if (x86ms->rtc) {
        mc146818rtc_set_cmos_data(MC146818_RTC(x86ms->rtc), 0xf, 0);
    }
    cpu_x86_load_seg_cache(&cpu->env, R_CS, vector >> 4, vector & ~0xf,
                           0xffff, DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK |
                           DESC_R_MASK | DESC_A_MASK);
    cpu->env.eip = vector & 0xf;
    return true;
}
