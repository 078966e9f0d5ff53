# Listens on [::]:argv[1], accepts one TCP connection, reads it to its end and prints the number of
# bytes and their SHA-256, then exits; gives up after argv[2] seconds.
import hashlib, socket, sys

port, limit = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('::', port))
s.listen(1)
s.settimeout(limit)
print('listening', flush=True)
c, a = s.accept()
c.settimeout(limit)
h = hashlib.sha256()
n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    h.update(d)
    n += len(d)
print('%d %s' % (n, h.hexdigest()), flush=True)
