#!/bin/sh
# /init of the mirage4j guest "@NAME@", written by mirage4j's guest image builder.
# It mounts the kernel's file systems, loads the NIC and disk drivers this machine has (Xen's or
# virtio's), brings the NICs up without an address (the unikernel's own TCP/IP stack owns them),
# runs the unikernel with the words after "--" on the kernel command line as its options, and
# powers the guest off with the unikernel's exit status on the console.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp

# drivers, dependencies first; a driver for hardware this machine lacks refuses to load, quietly
while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null; done < /lib/modules/order

# every disk the guest configuration attaches: /dev/xvdb ... under Xen; under QEMU a virtio disk
# whose serial number names it (-drive ...,serial=xvdb)
for s in /sys/block/vd*/serial; do
  [ -r "$s" ] || continue
  want=$(cat "$s"); dev=${s%/serial}; dev=${dev##*/}
  case "$want" in xvd*) [ -e "/dev/$want" ] || ln -s "$dev" "/dev/$want" ;; esac
done

ip link set lo up
for nic in @NETWORKS@; do
  n=0
  while [ ! -e "/sys/class/net/$nic" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  ip link set "$nic" up || echo "mirage4j-guest: no network interface $nic" >&2
done
for disk in @DISKS@; do
  n=0
  while [ ! -e "/dev/$disk" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  [ -e "/dev/$disk" ] || echo "mirage4j-guest: no disk /dev/$disk" >&2
done

# the unikernel, not as PID 1 (the kernel would log every signal the JVM handles). A shutdown
# request stops it with SIGTERM: Xen's "xl shutdown" runs /sbin/poweroff (busybox: SIGUSR2 to
# PID 1); a reboot request, /sbin/reboot (SIGTERM to PID 1) or Ctrl-Alt-Del (SIGINT to PID 1,
# which is what Linux does with Xen's "xl reboot" once ctrl-alt-del is 0, rather than restarting
# at once under the running unikernel), stops it the same way and then reboots the guest
echo 0 > /proc/sys/kernel/ctrl-alt-del
/jre/bin/java @JAVA_OPTIONS@ -jar /app/@JAR@ "$@" &
pid=$!
then=poweroff
trap 'kill -TERM $pid 2>/dev/null' HUP USR1 USR2
trap 'then=reboot; kill -TERM $pid 2>/dev/null' TERM INT
status=
while [ -z "$status" ]; do
  wait $pid
  s=$?
  if ! kill -0 $pid 2>/dev/null; then
    wait $pid 2>/dev/null
    r=$?
    [ $r -ne 127 ] && s=$r
    status=$s
  fi
done
# under Xen the console is a ring that dom0's xenconsoled drains on its own time: give it a moment
# to take the exit line before the domain goes (under QEMU the serial console is synchronous)
drain() {
  sync
  [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] && sleep 1
}
if [ "$then" = reboot ]; then
  echo "mirage4j-guest: @NAME@ exited with status $status; rebooting"
  drain
  reboot -f
fi
echo "mirage4j-guest: @NAME@ exited with status $status"
drain
poweroff -f
