# Sends three ICMP echo requests to argv[1] through the kernel's stack; exit 0 if all are answered.
import socket, struct, sys

def checksum(b):
    if len(b) % 2:
        b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    t += t >> 16
    return ~t & 0xffff

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(3)
ok = 0
for seq in range(3):
    p = struct.pack('!BBHHH', 8, 0, 0, 0x4d34, seq) + b'mirage4j' * 4
    p = p[:2] + struct.pack('!H', checksum(p)) + p[4:]
    s.sendto(p, (sys.argv[1], 0))
    try:
        while True:
            d, a = s.recvfrom(2048)
            ih = (d[0] & 15) * 4
            if d[ih] == 0 and struct.unpack('!HH', d[ih + 4:ih + 8]) == (0x4d34, seq):
                ok += 1
                break
    except socket.timeout:
        pass
print('%d/3 echo replies from %s' % (ok, sys.argv[1]))
sys.exit(0 if ok == 3 else 1)
