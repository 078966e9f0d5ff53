#!/bin/sh
# /init of mirage4j's Xen-in-a-box dom0, written by the guest boot tool: a busybox dom0 with
# Debian's Xen toolstack. It starts xenstored and xenconsoled, puts eth0 on the bridge br0 (the
# bridge the generated .xl names), checks every .xl under /guest/check with Xen's own parser
# (xl -N create), creates the guest from its generated .xl with xl create, streams the guest's
# console, takes "xl ..." commands from its own console, and when the guest is gone prints its
# exit status and powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-@XEN_VERSION@/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /run /tmp /var/run/xen /var/lib/xen /var/lib/xenstored /var/log/xen/console /var/lock /var/run/xenstored
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mkdir -p /run/xen /run/xenstored
while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null; done < /lib/modules/order
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /run/xenstored.pid
n=0; while ! xenstore-read / >/dev/null 2>&1 && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
xen-init-dom0
xenconsoled --log=all --log-dir=/var/log/xen/console
ip link set lo up
n=0; while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
brctl addbr br0
ip link set eth0 up
brctl addif br0 eth0
ip addr add @DOM0_ADDRESS@/24 dev br0
ip link set br0 up
ip route add default via @GATEWAY@
echo "mirage4j-xenbox: dom0 ready"

cd /guest
for f in check/*.xl; do
  [ -e "$f" ] || continue
  if xl -N create "$f" >/tmp/xl-check.out 2>&1; then
    echo "mirage4j-xenbox: xl -N create accepts $f"
  else
    echo "mirage4j-xenbox: xl -N create refuses $f:"
    cat /tmp/xl-check.out
  fi
done
name="@NAME@"
if [ -z "$name" ]; then
  echo "mirage4j-xenbox: no guest to create"
  echo "mirage4j-guest: dom0 exited with status 0"
  poweroff -f
fi

# the guest, from its generated .xl; only the kernel command line is given on xl's command line
xl -N create "$name.xl" >/dev/null 2>/tmp/xl-n.err && echo "mirage4j-xenbox: xl -N create accepts $name.xl" \
  || { echo "mirage4j-xenbox: xl -N create refuses $name.xl:"; cat /tmp/xl-n.err; }
# xl create -F stays with the guest until Xen has destroyed it for good: it restarts a guest that
# rebooted (the .xl's on_reboot, 'restart' by default; under nested, emulated SVM a triple fault
# early in the guest's boot is such a reboot) and returns when the guest is gone
xl create -F "$name.xl" 'extra="@EXTRA@"' >/tmp/xl-create.out 2>&1 &
monitor=$!
n=0; while ! xl domid "$name" >/dev/null 2>&1 && kill -0 $monitor 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
if ! domid=$(xl domid "$name" 2>/dev/null); then
  echo "mirage4j-xenbox: xl create $name.xl failed:"
  cat /tmp/xl-create.out
  echo "mirage4j-guest: $name exited with status 1"
  poweroff -f
fi
echo "mirage4j-xenbox: created $name (domain $domid)"
n=0; while [ ! -e "/var/log/xen/console/guest-$name.log" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
tail -n +1 -f "/var/log/xen/console/guest-$name.log" &
tailer=$!

# commands from the console, for a developer or a test: xl shutdown NAME, xl list, ...
(while read -r cmd; do
  case "$cmd" in
    "xl "*) echo "mirage4j-xenbox: $cmd"; $cmd ;;
    "") ;;
    *) echo "mirage4j-xenbox: only xl commands are taken here" ;;
  esac
done </dev/console) &

while kill -0 $monitor 2>/dev/null; do
  sleep 1
  if now=$(xl domid "$name" 2>/dev/null) && [ "$now" != "$domid" ]; then
    echo "mirage4j-xenbox: $name rebooted; xl created it again (domain $now):"
    grep -i "shutdown reason\|rebooting" /tmp/xl-create.out | tail -n 2
    domid=$now
  fi
done
sleep 1
kill $tailer 2>/dev/null
status=$(grep -o "mirage4j-guest: $name exited with status [0-9]*" "/var/log/xen/console/guest-$name.log" | tail -n 1 | grep -o '[0-9]*$')
echo "mirage4j-xenbox: $name is gone (exit status ${status:-unknown})"
sync
poweroff -f
