/*
 * Direct kernel boot: the one place for what differs between the QEMU
 * releases that the new files build against (10.0 and 10.2)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_COMPAT_H
#define HW_I386_PVH_COMPAT_H

/*
 * QEMU 10.1 moved the memory API's headers from exec/ to system/, and
 * made the class data of TypeInfo.class_init const.
 */
#if QEMU_VERSION_MAJOR > 10 || \
    (QEMU_VERSION_MAJOR == 10 && QEMU_VERSION_MINOR >= 1)
#include "system/memory.h"
#include "system/address-spaces.h"
typedef const void PVHClassData;
#else
#include "exec/memory.h"
#include "exec/address-spaces.h"
typedef void PVHClassData;
#endif

/* The release date of the base's x.y.0, for DMI's BIOS information */
#if QEMU_VERSION_MAJOR == 10 && QEMU_VERSION_MINOR == 0
#define PVH_QEMU_RELEASE_DATE "04/23/2025"
#elif QEMU_VERSION_MAJOR == 10 && QEMU_VERSION_MINOR == 2
#define PVH_QEMU_RELEASE_DATE "12/23/2025"
#else
#error "a new base: add the release date of its x.y.0"
#endif

#endif
