/*
 * Direct kernel boot: VGA text mode without a video BIOS
 *
 * The register values of the standard VGA mode 3 (80x25 colour text,
 * 720x400, 9x16 cells), as IBM's VGA defined them and every video BIOS
 * programs them, and the order a mode set writes them in: sequencer
 * held in reset, miscellaneous output, sequencer, CRTC (unlocked
 * first), attribute controller, graphics controller, DAC; then the font
 * into plane 2 and a blank screen, in one write (load_memory()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "vga-text.h"

#define VGA_ATT_W       0x3c0
#define VGA_MIS_W       0x3c2
#define VGA_SEQ_I       0x3c4
#define VGA_SEQ_D       0x3c5
#define VGA_PEL_MSK     0x3c6
#define VGA_PEL_IW      0x3c8
#define VGA_PEL_D       0x3c9
#define VGA_GFX_I       0x3ce
#define VGA_GFX_D       0x3cf
#define VGA_CRT_IC      0x3d4
#define VGA_CRT_DC      0x3d5
#define VGA_IS1_RC      0x3da

static const uint8_t seq_regs[] = { 0x00, 0x03, 0x00, 0x02 };   /* 1-4 */
static const uint8_t crtc_regs[] = {
    0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f,
    0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00,
    0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};
static const uint8_t attr_regs[] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07,
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
    0x0c, 0x00, 0x0f, 0x08, 0x00,
};
static const uint8_t gfx_regs[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x0f, 0xff,
};

static void seq(const PVHVgaOps *ops, uint8_t i, uint8_t v)
{
    ops->out(ops->opaque, VGA_SEQ_I, i);
    ops->out(ops->opaque, VGA_SEQ_D, v);
}

static void gfx(const PVHVgaOps *ops, uint8_t i, uint8_t v)
{
    ops->out(ops->opaque, VGA_GFX_I, i);
    ops->out(ops->opaque, VGA_GFX_D, v);
}

static void crtc(const PVHVgaOps *ops, uint8_t i, uint8_t v)
{
    ops->out(ops->opaque, VGA_CRT_IC, i);
    ops->out(ops->opaque, VGA_CRT_DC, v);
}

/* The EGA palette: entry i is rgbRGB, each colour 0, 0x15, 0x2a or 0x3f */
static void ega_dac(const PVHVgaOps *ops)
{
    unsigned i, c;

    ops->out(ops->opaque, VGA_PEL_MSK, 0xff);
    ops->out(ops->opaque, VGA_PEL_IW, 0);
    for (i = 0; i < 64; i++) {
        for (c = 0; c < 3; c++) {
            /* c = 0: red (bits 2, 5), 1: green (1, 4), 2: blue (0, 3) */
            unsigned hi = (i >> (2 - c)) & 1, lo = (i >> (5 - c)) & 1;

            ops->out(ops->opaque, VGA_PEL_D, hi * 0x2a + lo * 0x15);
        }
    }
}

/*
 * The font and a blank screen in one memory write.  QEMU's VGA
 * (hw/display/vga.c) keeps the four planes interleaved, byte p of each
 * 4-byte group in plane p.  In chain-4 mode with doubleword addressing
 * a write at 0xa0000 + a lands on byte a of that array, whether it goes
 * through the VGA's RAM alias of the window or its byte-wise handler;
 * text mode then shows cell i from planes 0 (character) and 1
 * (attribute) of group i, with glyph c in plane 2 of groups 32c to
 * 32c + 15.  One 32 KiB block so replaces some 12,000 single-byte
 * accesses through the planar path (a real VGA's chain 4 would not
 * reach every byte of plane 2 this way; this is QEMU's model).
 */
static void load_memory(const PVHVgaOps *ops, const uint8_t *font)
{
    g_autofree uint8_t *m = g_malloc0(PVH_VGA_BLOCK_SIZE);
    unsigned i;

    for (i = 0; i < PVH_VGA_FONT_SIZE; i++) {
        unsigned ch = i / PVH_VGA_FONT_HEIGHT, row = i % PVH_VGA_FONT_HEIGHT;

        m[(ch * 32 + row) * 4 + 2] = font[i];
    }
    for (i = 0; i < PVH_VGA_COLS * PVH_VGA_LINES; i++) {
        m[i * 4] = ' ';
        m[i * 4 + 1] = 0x07;                    /* grey on black */
    }
    /* Chain 4 last in, first out: QEMU remaps the window on each */
    gfx(ops, 0x06, 0x01);                       /* graphics, 0xa0000 */
    crtc(ops, 0x14, crtc_regs[0x14] | 0x40);    /* doubleword */
    seq(ops, 0x02, 0x0f);                       /* all planes */
    seq(ops, 0x04, 0x0e);                       /* chain 4 */
    ops->write(ops->opaque, PVH_VGA_BLOCK_BASE, m, PVH_VGA_BLOCK_SIZE);
    /* Back to text mode's odd/even planes 0 and 1 at 0xb8000 */
    seq(ops, 0x04, seq_regs[3]);
    seq(ops, 0x02, seq_regs[1]);
    gfx(ops, 0x06, gfx_regs[6]);
    crtc(ops, 0x14, crtc_regs[0x14]);
}

void pvh_vga_text_mode(const PVHVgaOps *ops, const uint8_t *font)
{
    unsigned i;

    seq(ops, 0x00, 0x01);                       /* synchronous reset */
    ops->out(ops->opaque, VGA_MIS_W, 0x67);
    for (i = 0; i < ARRAY_SIZE(seq_regs); i++) {
        seq(ops, i + 1, seq_regs[i]);
    }
    seq(ops, 0x00, 0x03);
    crtc(ops, 0x11, crtc_regs[0x11] & 0x7f);   /* unlock 0-7 */
    for (i = 0; i < ARRAY_SIZE(crtc_regs); i++) {
        crtc(ops, i, crtc_regs[i]);
    }
    ops->in(ops->opaque, VGA_IS1_RC);           /* attribute: index next */
    for (i = 0; i < ARRAY_SIZE(attr_regs); i++) {
        ops->out(ops->opaque, VGA_ATT_W, i);
        ops->out(ops->opaque, VGA_ATT_W, attr_regs[i]);
    }
    ops->out(ops->opaque, VGA_ATT_W, 0x20);    /* palette on: display */
    for (i = 0; i < ARRAY_SIZE(gfx_regs); i++) {
        gfx(ops, i, gfx_regs[i]);
    }
    ega_dac(ops);
    load_memory(ops, font);
}

void pvh_vga_text_screen_info(uint8_t si[PVH_SCREEN_INFO_SIZE])
{
    memset(si, 0, PVH_SCREEN_INFO_SIZE);
    si[0x06] = 3;                       /* orig_video_mode */
    si[0x07] = PVH_VGA_COLS;            /* orig_video_cols */
    stw_le_p(si + 0x0a, 0x0003);        /* orig_video_ega_bx: colour, 256K */
    si[0x0e] = PVH_VGA_LINES;           /* orig_video_lines */
    si[0x0f] = 1;                       /* orig_video_isVGA */
    stw_le_p(si + 0x10, PVH_VGA_FONT_HEIGHT);   /* orig_video_points */
}
