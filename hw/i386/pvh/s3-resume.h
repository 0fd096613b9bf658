/*
 * Direct kernel boot: resume from S3 as firmware's resume path did
 * (QEMU glue)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_S3_RESUME_H
#define HW_I386_PVH_S3_RESUME_H

#include "hw/i386/x86.h"

/**
 * pvh_s3_resume: a wakeup reset enters the OS's waking vector
 * @x86ms: the machine
 *
 * Returns false when the OS left no vector in the FACS the tables put
 * in RAM (or there is none, as after a migration from a QEMU that laid
 * out other files): the reset then boots the kernel afresh.
 */
bool pvh_s3_resume(X86MachineState *x86ms);

#endif
