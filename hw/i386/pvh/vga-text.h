/*
 * Direct kernel boot: VGA text mode without a video BIOS (pure code)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_I386_PVH_VGA_TEXT_H
#define HW_I386_PVH_VGA_TEXT_H

#define PVH_VGA_FONT_HEIGHT     16
#define PVH_VGA_FONT_SIZE       (256 * PVH_VGA_FONT_HEIGHT)
#define PVH_VGA_COLS            80
#define PVH_VGA_LINES           25
/* Video memory as load_memory() writes it: 8 KiB of each plane */
#define PVH_VGA_BLOCK_BASE      0xa0000
#define PVH_VGA_BLOCK_SIZE      (256 * 32 * 4)

typedef struct PVHVgaOps {
    void (*out)(void *opaque, uint16_t port, uint8_t val);
    uint8_t (*in)(void *opaque, uint16_t port);
    void (*write)(void *opaque, uint32_t addr, const void *buf, uint32_t len);
    void *opaque;
} PVHVgaOps;

/**
 * pvh_vga_text_mode: what a video BIOS does for mode 3
 * @ops: port and memory access to a VGA that decodes its legacy ranges
 * @font: the 8x16 glyphs to load into plane 2
 *
 * Programs the registers of the standard 80x25 colour text mode (720x400,
 * 16-line characters, text at 0xb8000), the 64-colour EGA palette,
 * loads @font and clears the screen to grey on black, cursor at 0,0.
 */
void pvh_vga_text_mode(const PVHVgaOps *ops, const uint8_t *font);

/* screen_info (struct screen_info, 64 bytes) for that mode */
#define PVH_SCREEN_INFO_SIZE    0x40
void pvh_vga_text_screen_info(uint8_t si[PVH_SCREEN_INFO_SIZE]);

#endif
