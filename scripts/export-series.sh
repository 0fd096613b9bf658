#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# export-series.sh [OUTDIR]: export the whole, self-contained patch series
# for a QEMU base (new files included, git format-patch shape, one concern
# per patch, cover letter), then check that it applies to a pristine
# Debian QEMU tree and that scripts/checkpatch.pl finds 0 errors and 0
# warnings in every patch.  PVH_QEMU picks the base; without it, every
# supported base's series is written, each to its default OUTDIR:
# build/series for the default base, build/series-<base> for another.
# Exit status 1 if any check fails.
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -z "${PVH_QEMU:-}" ] && [ -z "${1:-}" ]; then
    rc=0
    for b in $PVH_BASES; do
        PVH_QEMU=$b bash "$0" || rc=1
    done
    exit $rc
fi
out=${1:-$PVH_OUT/series$PVH_BASE_SUFFIX}
pristine=$(bash "$PVH_ROOT/scripts/fetch-qemu.sh")
ver=${pristine##*/qemu-}
author="PVH Direct developers <dev@pvh-direct.invalid>"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
git_() { git -C "$repo" -c user.name="${author% <*}" -c user.email="dev@pvh-direct.invalid" \
    -c core.autocrlf=false "$@"; }

# The base commit: pristine copies of every existing file the hunks touch
mkdir -p "$repo"
git -C "$repo" init -q
for f in $(base_patched_files); do
    mkdir -p "$repo/$(dirname "$f")"
    cp "$pristine/$f" "$repo/$f"
done
git_ add -A
git_ commit -q -m "base: QEMU $ver (Debian source)"
base=$(git_ rev-parse HEAD)

# patches/maintainers.diff adds one MAINTAINERS section.  Each patch that
# adds files carries the part of it that names them (checkpatch asks for
# that): the section's F: lines are kept only once their files exist.
update_maintainers() {
    local keep=$tmp/section line path
    : > "$keep"
    sed -n '/^+++ /d; s/^+//p' "$(patch_file maintainers.diff)" |
    while IFS= read -r line; do
        case $line in
        F:*) path=${line#F: }
             # a file, a folder or a glob (hw/i386/pvh/layout.*)
             compgen -G "$repo/$path" >/dev/null && echo "$line" >> "$keep" ;;
        *) echo "$line" >> "$keep" ;;
        esac
    done
    grep -q '^F:' "$keep" || return 0
    cp "$pristine/MAINTAINERS" "$repo/MAINTAINERS"
    python3 - "$repo/MAINTAINERS" "$keep" <<'PY'
import sys
p, sec = sys.argv[1], open(sys.argv[2]).read()
s = open(p).read()
anchor = 'X86 Machines\n------------\n'
assert anchor in s
open(p, 'w').write(s.replace(anchor, anchor + sec, 1))
PY
}

# The staged build files: hw/i386/pvh/meson.build and tests/unit/meson.build
# (patches/unit-tests.diff) list one file or test per line, and
# hw/i386/pvh/trace-events has a section per file: each patch gets the
# lines that name what it has so far.  Their final versions:
final=$tmp/final
mkdir -p "$final/tests/unit" "$final/hw/i386/pvh"
cp "$pristine/tests/unit/meson.build" "$final/tests/unit/meson.build"
patch -d "$final" -p1 -s --no-backup-if-mismatch < "$(patch_file unit-tests.diff)"
cp "$PVH_ROOT/hw/i386/pvh/meson.build" "$PVH_ROOT/hw/i386/pvh/trace-events" \
    "$final/hw/i386/pvh/"
stage_build_files() {
    python3 - "$final" "$repo" "$pristine" <<'PY'
import os, re, sys
final, repo, pristine = sys.argv[1:4]

def wanted(rel, line):
    """Does @line name only files that the patch has?"""
    m = re.match(r"\s*'(test-pvh-[\w-]+)':", line)
    if rel.startswith('tests/'):
        return not m or os.path.exists(f'{repo}/tests/unit/{m.group(1)}.c')
    d = os.path.dirname(rel)
    return all(os.path.exists(f'{repo}/{d}/{t}')
               for t in re.findall(r"'([\w.-]+\.c)'", line))

def stage(rel):
    out, comments, dropped, section = [], [], False, None
    for line in open(f'{final}/{rel}').read().split('\n'):
        m = re.match(r'# ([\w-]+\.c)$', line)
        if rel.endswith('trace-events') and (m or not line):
            # trace-events: a section per file, "# name.c", blank-ended
            section = m and m.group(1)
        if section and not os.path.exists(f'{repo}/hw/i386/pvh/{section}'):
            continue
        if line.startswith('#') or line.lstrip().startswith('# '):
            if dropped:             # a group with nothing left
                comments, dropped = [], False
            comments.append(line)
        elif wanted(rel, line):
            # a comment whose lines all went is not kept for the next
            out += ([] if dropped else comments) + [line]
            comments, dropped = [], False
        else:
            dropped = True
    s = '\n'.join(out)
    if rel.endswith('trace-events'):
        # the blank lines that ended left-out sections
        s = re.sub(r'\n\n\n+', '\n\n', s).rstrip('\n') + '\n'
    # a files() list with nothing left, and its comment
    return re.sub(r"(?:#[^\n]*\n)?pvh_ss\.add\(files\(\n\)\)\n", '', s)

for rel in ['hw/i386/pvh/meson.build', 'hw/i386/pvh/trace-events']:
    if os.path.exists(f'{repo}/{rel}'):
        open(f'{repo}/{rel}', 'w').write(stage(rel))
s = stage('tests/unit/meson.build')
if "'test-pvh-" not in s:
    s = open(f'{pristine}/tests/unit/meson.build').read()
open(f'{repo}/tests/unit/meson.build', 'w').write(s)
PY
}

# One commit per block of patches/export.txt
commit_block() {
    local subject=$1 hunks=$2 files=$3 body=$4 stage=$5 h f any=
    # A patch that adds no file, and whose every hunk this base already
    # has (an empty patches/<series>/NAME), is not in this base's series
    for f in $files; do [ "$f" = - ] || any=1; done
    for h in $hunks; do
        [ "$h" = - ] || [ -z "$(patch_file "$h")" ] || any=1
    done
    [ -n "$any" ] || return 0
    # The previous patch's stage undone: its files are final again
    if [ -n "$staged" ]; then
        patch -d "$repo" -p1 -s -R --no-backup-if-mismatch \
            < "$PVH_ROOT/patches/stages/$staged.diff" ||
            die "patches/stages/$staged.diff does not undo"
    fi
    for h in $hunks; do
        [ "$h" = - ] && continue
        f=$(patch_file "$h")
        [ -n "$f" ] || continue
        patch -d "$repo" -p1 -s --no-backup-if-mismatch < "$f"
    done
    for f in $files; do
        [ "$f" = - ] && continue
        mkdir -p "$repo/$(dirname "$f")"
        cp "$PVH_ROOT/$f" "$repo/$f"
    done
    staged=$stage
    if [ -n "$staged" ]; then
        patch -d "$repo" -p1 -s --no-backup-if-mismatch \
            < "$PVH_ROOT/patches/stages/$staged.diff" ||
            die "patches/stages/$staged.diff does not apply to the final files"
    fi
    stage_build_files
    update_maintainers
    git_ add -A
    printf '%s\n\n%s\n\nSigned-off-by: %s\n' "$subject" "$body" "$author" |
        git_ commit -q -F -
}

subject= hunks= files= body= stage= staged=
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    '#'*) continue ;;
    '=== '*)
        [ -z "$subject" ] ||
            commit_block "$subject" "$hunks" "$files" "$body" "$stage"
        subject=${line#=== } hunks= files= body= stage= ;;
    "subject@$QEMU_SERIES: "*) subject=${line#subject@"$QEMU_SERIES": } ;;
    'subject@'*) ;;
    'hunks: '*) hunks=${line#hunks: } ;;
    'files: '*) files=${line#files: } ;;
    'stage: '*) stage=${line#stage: } ;;
    *) body=${body:+$body$'\n'}$line ;;
    esac
done < "$PVH_ROOT/patches/export.txt"
commit_block "$subject" "$hunks" "$files" "$body" "$stage"
[ -z "$staged" ] || die "the last patch is at stage $staged, not final"

# Every hunk and every new file must be in the series
for h in $(grep -v '^#' "$PVH_ROOT/patches/series"); do
    case $h in maintainers.diff|unit-tests.diff) continue ;; esac
    grep -q "hunks:.*\b$h\b" "$PVH_ROOT/patches/export.txt" ||
        die "patches/$h is in no exported patch"
done

rm -rf "$out"
mkdir -p "$out"
git_ format-patch -q --cover-letter --thread=shallow -o "$out" "$base..HEAD"
n=$(git_ rev-list --count "$base..HEAD")
cover=$(ls "$out"/0000-*.patch)
python3 - "$cover" "$n" "$ver" <<'PY'
import sys
p, n = sys.argv[1], sys.argv[2]
s = open(p).read()
s = s.replace('*** SUBJECT HERE ***', 'x86: boot PVH kernels without firmware')
s = s.replace('*** BLURB HERE ***', f'''\
QEMU boots a PVH ELF kernel (one with a XEN_ELFNOTE_PHYS32_ENTRY note)
on pc and q35 today by running SeaBIOS and the pvh.bin option ROM, fed
through fw_cfg.  That costs tens of milliseconds of firmware per boot
under TCG, keeps a second copy of the kernel in host memory, and its
note parser trusts the file (a huge n_namesz crashes QEMU; the desc is
read as 8 bytes whatever descsz says; the owner is never checked).

This series loads the kernel in QEMU itself, writes the boot
information into guest RAM and puts the boot CPU in the state the boot
protocol promises at every reset, so the first guest instruction is the
kernel's entry: a PVH ELF kernel (hvm_start_info), a Linux bzImage
(boot_params, its 32-bit entry) and, with direct-boot=on, a multiboot
kernel.  The same code serves TCG, KVM and Xen emulation.  The firmware
path stays, selected with -M pc,direct-boot=off and kept for the
machine types of earlier releases.

Patches 1-4 are fixes and speed-ups that stand alone (the first, TCG's
CR-read intercepts under SVM, showed as a nested KVM guest reading a
wrong CR4).  Then the documentation, the ABI header and the hooks the
series needs in fw_cfg, SMBIOS, PCI option ROMs and multiboot.  Then
the pure code, one piece per patch with its unit test in tests/unit:
the PVH ELF parser, the layout, the ACPI table-loader and SMBIOS
anchor, the boot CPU state, VGA text mode, the Linux setup header, the
multiboot information and the choice of boot path.  Then the platform
without firmware with PVH kernels on it, hooked into x86_load_linux();
then bzImage, multiboot, a bzImage unpacked host-side, and KASLR, one
patch each.  Last, the firmware path checks kernels with the same
parsers, the machine says which path booted, and pvh-test checks the
guest-visible result with qtest.

{n} patches, against QEMU {sys.argv[3]}.''')
open(p, 'w').write(s)
PY

# Check: applies to a pristine tree, checkpatch clean
check=$tmp/check
cp -a "$pristine" "$check"
status=0
for p in "$out"/0*.patch; do
    case $p in */0000-*) continue ;; esac
    if ! (cd "$check" && patch -p1 -s --no-backup-if-mismatch --dry-run < "$p" >/dev/null &&
          patch -p1 -s --no-backup-if-mismatch < "$p"); then
        log "$(basename "$p"): does not apply to pristine QEMU $ver"
        status=1
    fi
    res=$(cd "$check" && perl scripts/checkpatch.pl --no-tree "$p" 2>&1 | tail -n 1 || true)
    case $res in
    *"has no obvious style problems"*) log "$(basename "$p"): checkpatch clean" ;;
    *) log "$(basename "$p"): checkpatch: $res"
       (cd "$check" && perl scripts/checkpatch.pl --no-tree "$p" 2>&1 | head -n 40) >&2
       status=1 ;;
    esac
done
# git am, as a packager applies it: to the base commit (Debian's tree),
# where it must give the same tree, and to the upstream release
# (Debian's orig tarball, Debian's own patches left out), with no
# whitespace error
patches=$(ls "$out"/0*.patch | grep -v '/0000-')
am_check() {  # am_check DIR WHAT [same]: DIR holds the base files
    git -C "$1" init -q && git -C "$1" add -A &&
        git -C "$1" -c user.name=t -c user.email=t@t commit -q -m base
    if ! git -C "$1" -c user.name=t -c user.email=t@t am -q --whitespace=error \
            $patches >"$tmp/am.log" 2>&1; then
        log "git am does not apply the series to $2: $(grep -m1 'error\|fatal\|failed' "$tmp/am.log")"
        status=1
    elif [ -n "${3:-}" ] &&
         [ "$(git -C "$1" rev-parse 'HEAD^{tree}')" != "$(git_ rev-parse 'HEAD^{tree}')" ]; then
        log "git am on $2 gives another tree than the series' own"
        status=1
    else
        log "git am applies all $n patches to $2"
    fi
}
mkdir -p "$tmp/am-debian" "$tmp/am-upstream"
(cd "$repo" && git ls-tree -r --name-only "$base") |
    while read -r f; do
        mkdir -p "$tmp/am-debian/$(dirname "$f")"
        cp "$pristine/$f" "$tmp/am-debian/$f"
    done
am_check "$tmp/am-debian" "Debian's QEMU $ver" same
orig=$(ls "${pristine%/*}"/qemu_"$ver"*.orig.tar.xz)
tar -xJf "$orig" -C "$tmp/am-upstream" --strip-components=1 \
    $(git -C "$repo" ls-tree -r --name-only "$base" | sed "s|^|qemu-$ver/|")
am_check "$tmp/am-upstream" "upstream QEMU $ver (the orig tarball)"
# The series must give exactly the files the build uses
for f in $(overlay_files); do
    cmp -s "$PVH_ROOT/$f" "$check/$f" || { log "series does not produce $f"; status=1; }
done
# and the build's hunks to existing files: the tree build-qemu.sh builds
built=$tmp/built
mkdir -p "$built"
for f in $(base_patched_files); do
    mkdir -p "$built/$(dirname "$f")"
    cp "$pristine/$f" "$built/$f"
done
apply_base_patches "$built"
for f in $(cd "$built" && find . -type f | sed 's|^\./||'); do
    cmp -s "$built/$f" "$check/$f" || { log "series does not produce $f as the build has it"; status=1; }
done
log "series of $n patches in $out"
exit $status
