#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# libvirt-test.sh QEMU KERNEL INITRD [STOCK]: our QEMU under libvirt, as a
# user runs it: Debian's libvirtd and virtlogd, started by hand in a
# private mount namespace (their configuration, state, logs and sockets
# on tmpfs: nothing of the host's libvirt is touched, nothing is left),
# with user = "root" and no security driver in a private qemu.conf.
#
# For -M pc and q35, a domain with <kernel>, <initrd> and <cmdline>
# (Debian's vmlinux, the boot tests' init with pvh.action=acpi), and the
# devices virt-install gives one (VNC graphics, virtio video, user
# networking with virtio-net):
#  - the first guest block is the kernel's entry (-d exec,nochain
#    through <qemu:commandline>, logging on from start --paused to the
#    first block), and init is reached;
#  - virsh reboot --mode acpi boots it again, with no firmware (SeaBIOS
#    writes to isa-debugcon 0x402; nothing may appear there);
#  - virsh save / restore: the guest goes on running, and a later
#    reboot --mode acpi boots it again;
#  - with STOCK (Debian's QEMU of the same version): save, then restore
#    with STOCK as <emulator>, a QEMU that boots through firmware; its
#    reboot must run SeaBIOS and reach init with ACPI intact;
#  - virsh shutdown completes (the guest powers off on the ACPI button).
# Prints one line per check ("ok ..." / "FAIL ..."); exit status 1 if
# any failed.  Needs root (libvirtd as root, mount namespaces).
set -uo pipefail
if [ "${1:-}" != --inside ]; then
    [ "$(id -u)" = 0 ] || { echo "FAIL libvirt: needs root"; exit 1; }
    command -v libvirtd >/dev/null && command -v virsh >/dev/null ||
        { echo "FAIL libvirt: libvirtd or virsh missing (scripts/setup-apt.sh)"; exit 1; }
    exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
qemu=$(realpath "$1") kernel=$(realpath "$2") initrd=$(realpath "$3")
stock=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
failed=0

# Private libvirt: copies of /etc/libvirt, empty state, cache, logs, run
mkdir -p "$tmp/etc"
cp -a /etc/libvirt/. "$tmp/etc/"
rm -f "$tmp"/etc/qemu/networks/autostart/* 2>/dev/null
cat >"$tmp/etc/qemu.conf" <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = [ ]
cgroup_controllers = [ ]
CONF
mount --bind "$tmp/etc" /etc/libvirt
for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
    mkdir -p "$d"
    mount -t tmpfs tmpfs "$d"
done
mkdir -p /var/lib/libvirt/qemu /var/log/libvirt/qemu /run/libvirt/qemu
cleanup() {
    virsh -q list --name 2>/dev/null | while read -r d; do
        [ -z "$d" ] || virsh -q destroy "$d" >/dev/null 2>&1
    done
    [ ! -f /run/libvirtd.pid ] || kill "$(cat /run/libvirtd.pid)" 2>/dev/null
    pkill -f "virtlogd -d" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
virtlogd -d || { echo "FAIL libvirt: virtlogd did not start"; exit 1; }
libvirtd -d -p /run/libvirtd.pid 2>"$tmp/libvirtd.err" ||
    { echo "FAIL libvirt: libvirtd did not start: $(cat "$tmp/libvirtd.err")"; exit 1; }
for _ in $(seq 100); do
    virsh -q uri >/dev/null 2>&1 && break
    sleep 0.1
done
virsh -q version --daemon >"$tmp/version" 2>&1 ||
    { echo "FAIL libvirt: libvirtd does not answer: $(cat "$tmp/version")"; exit 1; }
echo "libvirt: $(libvirtd --version), emulator $("$qemu" --version | head -n 1)"

# The kernel's PVH entry, from its ELF note
entry=$(python3 "$here/../boot/pvh-entry.py" "$kernel") ||
    { echo "FAIL libvirt: no PVH entry in $kernel"; exit 1; }

domain_xml() {  # NAME MACHINE EMULATOR DIR
    cat <<XML
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$1</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='$2'>hvm</type>
    <kernel>$kernel</kernel>
    <initrd>$initrd</initrd>
    <cmdline>console=ttyS0 panic=-1 pvh.action=acpi</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <devices>
    <emulator>$3</emulator>
    <serial type='file'>
      <source path='$4/serial' append='on'/>
      <target port='0'/>
    </serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='virtio'/></video>
    <interface type='user'><model type='virtio'/></interface>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-chardev'/>
    <qemu:arg value='file,id=fw,path=$4/firmware,append=on'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='isa-debugcon,iobase=0x402,chardev=fw'/>
    <qemu:arg value='-D'/>
    <qemu:arg value='$4/exec.log'/>
  </qemu:commandline>
</domain>
XML
}

ok() { echo "ok libvirt $*"; }
# A failure shows the end of the guest's console, for the CI log
fail() {
    echo "FAIL libvirt $*"
    failed=$((failed + 1))
    [ ! -f "${dir:-}/serial" ] || tr -d '\r' <"$dir/serial" | tail -n 15 | sed 's/^/    /'
}
boots() { tr -d '\r' <"$dir/serial" 2>/dev/null | grep -ac '^PVH-ACTION: acpi' || true; }
wait_boots() {  # N: until init reported N times
    local i
    for i in $(seq 1800); do
        [ "$(boots)" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
wait_state() {  # STATE
    local i
    for i in $(seq 600); do
        [ "$(virsh -q domstate "$name" 2>/dev/null)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
hmp() { virsh -q qemu-monitor-command --hmp "$name" "$1" >/dev/null; }

for m in pc q35; do
    name=pvh-$m
    dir=$tmp/$m
    mkdir -p "$dir"
    label="$(basename "$kernel") $m"
    start=$(date +%s)
    domain_xml "$name" "$m" "$qemu" "$dir" >"$dir/domain.xml"
    if ! virsh -q define "$dir/domain.xml" >"$dir/out" 2>&1; then
        fail "$label define: $(cat "$dir/out")"
        continue
    fi
    # First block: log from the paused start to the first block only
    virsh -q start --paused "$name" >"$dir/out" 2>&1 ||
        { fail "$label start: $(cat "$dir/out")"; continue; }
    hmp 'log exec,nochain'
    virsh -q resume "$name" >/dev/null
    for _ in $(seq 300); do
        grep -q '^Trace' "$dir/exec.log" 2>/dev/null && break
        sleep 0.05
    done
    hmp 'log none'
    first=$(grep -m1 '^Trace' "$dir/exec.log" 2>/dev/null |
            sed 's/.*\[[0-9a-f]*\/\([0-9a-f]*\)\/.*/\1/')
    if [ -z "$first" ] || [ $((16#$first)) != $((entry)) ]; then
        fail "$label entry: first block at 0x${first:-none}, not at the kernel entry $entry"
    elif ! wait_boots 1; then
        fail "$label init: not reached: $(tail -c 300 "$dir/serial")"
    elif ! tr -d '\r' <"$dir/serial" | grep -aq '^PVH-NET: eth0 $'; then
        fail "$label init: no virtio-net NIC (user networking)"
    else
        ok "$label entry and init: first block at the kernel entry $entry"
    fi

    virsh -q reboot --mode acpi "$name" >/dev/null
    if wait_boots 2 && [ ! -s "$dir/firmware" ]; then
        ok "$label reboot --mode acpi: init again, no firmware output"
    else
        fail "$label reboot --mode acpi: $(boots) boots, firmware output: $(head -c 100 "$dir/firmware")"
    fi

    if virsh -q save "$name" "$dir/state" >"$dir/out" 2>&1 &&
       virsh -q restore "$dir/state" >>"$dir/out" 2>&1 && wait_state running; then
        virsh -q reboot --mode acpi "$name" >/dev/null
        if wait_boots 3 && [ ! -s "$dir/firmware" ]; then
            ok "$label save, restore, reboot --mode acpi: init again"
        else
            fail "$label save/restore: reboot after restore: $(boots) boots"
        fi
    else
        fail "$label save/restore: $(cat "$dir/out")"
    fi

    if [ -n "$stock" ]; then
        # Restore into a QEMU that boots through firmware
        if virsh -q save "$name" "$dir/state2" >"$dir/out" 2>&1; then
            virsh -q save-image-dumpxml "$dir/state2" |
                sed "s|<emulator>.*</emulator>|<emulator>$stock</emulator>|" >"$dir/stock.xml"
            if virsh -q restore "$dir/state2" --xml "$dir/stock.xml" >"$dir/out" 2>&1 &&
               wait_state running; then
                virsh -q reboot --mode acpi "$name" >/dev/null
                if ! wait_boots 4; then
                    fail "$label restore into stock QEMU: its reboot reached no init"
                elif [ ! -s "$dir/firmware" ]; then
                    fail "$label restore into stock QEMU: no firmware ran at its reboot"
                elif tr -d '\r' <"$dir/serial" | grep -aq 'AE_NO_ACPI_TABLES\|Corrupted DMI\|RSDP 0x00000000000F0040'; then
                    fail "$label restore into stock QEMU: the firmware boot found the stale RSDP"
                else
                    ok "$label restore into stock QEMU: its reboot ran SeaBIOS, init with ACPI"
                fi
            else
                fail "$label restore into stock QEMU: $(cat "$dir/out")"
            fi
        else
            fail "$label save for stock QEMU: $(cat "$dir/out") (state: $(virsh -q domstate --reason "$name"); console: $(tr -d "\r" <"$dir/serial" | tail -n 4 | tr "\n" " "))"
        fi
    fi

    virsh -q shutdown "$name" >/dev/null
    if wait_state 'shut off'; then
        ok "$label shutdown: shut off ($(($(date +%s) - start)) s for this domain)"
    else
        fail "$label shutdown: still $(virsh -q domstate "$name")"
        virsh -q destroy "$name" >/dev/null 2>&1
    fi
    virsh -q undefine "$name" >/dev/null 2>&1
done
[ -n "$stock" ] || echo "libvirt: no stock QEMU given, restore into it not run"
exit $((failed > 0))
