#!/bin/sh
# Xen's block hotplug script for a busybox dom0 (the stock one needs bash): a disk file of the .xl
# becomes a loop device whose major:minor the block backend is given.
case "$1" in
  add)
    file=$(xenstore-read "$XENBUS_PATH/params")
    dev=$(losetup -f)
    losetup "$dev" "$file" || exit 1
    xenstore-write "$XENBUS_PATH/node" "$dev"
    major=$(stat -L -c %t "$dev"); minor=$(stat -L -c %T "$dev")
    xenstore-write "$XENBUS_PATH/physical-device" "$(printf '%x:%x' "0x$major" "0x$minor")"
    xenstore-write "$XENBUS_PATH/hotplug-status" connected
    ;;
  remove)
    dev=$(xenstore-read "$XENBUS_PATH/node" 2>/dev/null)
    [ -n "$dev" ] && losetup -d "$dev"
    true
    ;;
esac
