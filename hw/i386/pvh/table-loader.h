/*
 * PVH direct boot: execute QEMU's ACPI table-loader script (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_TABLE_LOADER_H
#define HW_I386_PVH_TABLE_LOADER_H

/* The command layout of hw/acpi/bios-linker-loader.c */
#define PVH_LINKER_CMD_SIZE     128
#define PVH_LINKER_FILESZ       56
#define PVH_LINKER_MAX_ALIGN    0x10000

typedef enum PVHAcpiError {
    PVH_ACPI_OK = 0,
    PVH_ACPI_BAD_LENGTH,            /* script not a whole number of commands */
    PVH_ACPI_BAD_NAME,              /* file name without its NUL */
    PVH_ACPI_UNKNOWN_FILE,
    PVH_ACPI_NOT_ALLOCATED,         /* used before its ALLOCATE */
    PVH_ACPI_ALLOCATED_TWICE,
    PVH_ACPI_BAD_ALIGN,
    PVH_ACPI_BAD_ZONE,
    PVH_ACPI_EMPTY_FILE,
    PVH_ACPI_NO_ROOM,               /* the area is too small */
    PVH_ACPI_BAD_SIZE,              /* pointer size not 1, 2, 4 or 8 */
    PVH_ACPI_POINTER_OUT_OF_BOUNDS,
    PVH_ACPI_POINTER_OVERFLOW,      /* the result does not fit its size */
    PVH_ACPI_CHECKSUM_OUT_OF_BOUNDS,
    PVH_ACPI_WRITE_POINTER_FAILED,
} PVHAcpiError;

typedef struct PVHAcpiFile {
    const char *name;
    uint8_t *data;              /* patched in place */
    uint64_t size;
    uint64_t addr;              /* set by ALLOCATE; 0 until then */
    uint64_t room;              /* ALLOCATE's, if more than @size: zeroes */
} PVHAcpiFile;

/* What ALLOCATE reserves for @f in the area: its bytes, then zeroes */
static inline uint64_t pvh_table_loader_room(const PVHAcpiFile *f)
{
    return MAX(f->size, f->room);
}

/* WRITE_POINTER: tell the device behind fw_cfg file @dest where @value is */
typedef bool (*PVHWritePointer)(void *opaque, const char *dest,
                                uint32_t offset, uint8_t size,
                                uint64_t value);

typedef struct PVHAcpiLinker {
    PVHAcpiFile *files;
    unsigned nr_files;
    uint64_t base, size;        /* guest area the tables are placed in */
    uint64_t used;
    unsigned skipped;           /* commands of unknown type (padding) */
    PVHWritePointer write_pointer;
    void *opaque;
    /* Failure details */
    unsigned err_cmd;
    char err_file[PVH_LINKER_FILESZ];
    uint64_t err_a, err_b;
} PVHAcpiLinker;

/**
 * pvh_table_loader_link: run a table-loader script host-side
 * @l: files, the guest area [base, base + size) and an optional
 *     WRITE_POINTER handler
 * @cmds: the script (QEMU's "etc/table-loader"); every field is checked
 * @len: its length in bytes
 *
 * Allocates each file in the area (all zones alike), patches pointers
 * and checksums in the files' data.  Commands of unknown type are
 * skipped, as firmware does: QEMU pads the script with zeroes.  The
 * caller then copies each file with a nonzero addr into guest memory.
 */
PVHAcpiError pvh_table_loader_link(PVHAcpiLinker *l, const uint8_t *cmds,
                                   size_t len);

/* The FACS's firmware_waking_vector, a 32-bit real-mode address */
#define PVH_FACS_WAKING_VECTOR  12

/**
 * pvh_table_loader_find_facs: where the linked tables put the FACS
 * @files: the files after pvh_table_loader_link(), with their guest addresses
 * @nr: how many
 * @rsdp: the RSDP's guest address
 *
 * Follows the RSDP to the XSDT (or RSDT), to the FADT, to the FACS, in
 * the host's copy of the tables; every pointer is checked against the
 * files.  Returns the FACS's guest address, or 0 if there is none.
 */
uint64_t pvh_table_loader_find_facs(const PVHAcpiFile *files, unsigned nr,
                                    uint64_t rsdp);

/**
 * pvh_table_loader_data_end: how much of a file holds anything but zeroes
 * @data: the file's bytes
 * @size: their number
 *
 * QEMU pads "etc/acpi/tables" with zeroes to 128 KiB (for migration)
 * where the tables take some 10 KiB.  Returns the offset just past the
 * last nonzero byte, 0 for a file of zeroes.
 */
uint64_t pvh_table_loader_data_end(const uint8_t *data, uint64_t size);

/**
 * pvh_table_loader_extent: how far the table-loader script reaches into a file
 * @cmds: the script, untrusted
 * @len: its length in bytes
 * @name: the file's name
 *
 * The end of the furthest byte an ADD_POINTER or ADD_CHECKSUM command
 * of the script patches or sums in @name (every table QEMU builds has
 * its checksum over the whole table).  A copy of the file that holds
 * max(pvh_table_loader_data_end(), this) bytes links as the whole file does;
 * the rest are zeroes (PVHAcpiFile.room).  Commands that are not whole
 * or name no file with its NUL are ignored: pvh_table_loader_link()
 * refuses them.
 */
uint64_t pvh_table_loader_extent(const uint8_t *cmds, size_t len,
                                 const char *name);

/* One line naming the failed command and the defect, for g_free() */
char *pvh_table_loader_describe(PVHAcpiError err, const PVHAcpiLinker *l);

#endif
