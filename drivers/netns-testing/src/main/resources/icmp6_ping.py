# Sends three ICMPv6 echo requests to argv[1] (an address, with %interface for a link-local one)
# through the kernel's stack; exit 0 if all are answered. The kernel computes ICMPv6 checksums.
import socket, struct, sys

target = sys.argv[1]
info = socket.getaddrinfo(target, None, socket.AF_INET6)[0][4]
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.settimeout(3)
ok = 0
for seq in range(3):
    p = struct.pack('!BBHHH', 128, 0, 0, 0x4d36, seq) + b'mirage4j' * 4
    s.sendto(p, info)
    try:
        while True:
            d, a = s.recvfrom(2048)
            if d[0] == 129 and struct.unpack('!HH', d[4:8]) == (0x4d36, seq):
                ok += 1
                break
    except socket.timeout:
        pass
print('%d/3 echo replies from %s' % (ok, target))
sys.exit(0 if ok == 3 else 1)
