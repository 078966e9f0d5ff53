#!/bin/sh
# Xen's vif hotplug script for a busybox dom0 (the stock one needs bash): puts the guest's vif on
# the bridge the .xl names and tells the toolstack it is connected. xl runs it with $vif set and
# $XENBUS_PATH the backend's path.
bridge=$(xenstore-read "$XENBUS_PATH/bridge" 2>/dev/null)
[ -n "$bridge" ] || bridge=br0
case "$1" in
  online|add)
    brctl addif "$bridge" "$vif" 2>/dev/null
    ip link set "$vif" up
    xenstore-write "$XENBUS_PATH/hotplug-status" connected
    ;;
  offline|remove)
    brctl delif "$bridge" "$vif" 2>/dev/null
    true
    ;;
esac
