# Sends one router advertisement on interface argv[1] to ff02::1 from the interface's link-local
# address: router lifetime argv[3] seconds, one prefix information option for argv[2] (a /64) with
# the on-link and autonomous flags, valid 3600 s and preferred 1800 s.
import socket, struct, sys

iface, prefix, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3])
index = socket.if_nametoindex(iface)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
net = socket.inet_pton(socket.AF_INET6, prefix.split('/')[0])
ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, lifetime, 0, 0)
ra += struct.pack('!BBBBIII', 3, 4, 64, 0xc0, 3600, 1800, 0) + net
s.sendto(ra, ('ff02::1', 0, 0, index))
print('router advertisement for %s sent on %s' % (prefix, iface))
