package org.mirage4j.drivers.dns;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** DNS messages (RFC 1035, EDNS0 of RFC 6891): A and AAAA queries, and what their answers say. */
final class DnsMessage {
  private DnsMessage() {}

  static final int A = 1;
  static final int CNAME = 5;
  static final int AAAA = 28;
  static final int OPT = 41;
  static final int IN = 1;
  /** The UDP payload size we advertise (the DNS flag day 2020 value). */
  static final int EDNS_SIZE = 1232;

  static final int NOERROR = 0;
  static final int SERVFAIL = 2;
  static final int NXDOMAIN = 3;
  static final int REFUSED = 5;

  /** A response that does not parse, or does not answer our question: it is ignored. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What a response says.
   *
   * @param rcode the response code
   * @param truncated whether it was cut to fit UDP (ask again over TCP)
   * @param addresses the addresses of the name asked for, CNAMEs followed
   * @param ttlSeconds the smallest TTL of the records used
   */
  record Answer(int rcode, boolean truncated, List<InetAddress> addresses, long ttlSeconds) {}

  /**
   * The canonical ASCII form of a host name (IDNA for non-ASCII names, lower case, no trailing
   * dot), checked: labels of 1 to 63 letters, digits, hyphens or underscores, 253 bytes at most.
   */
  static String canonical(String host) throws UnknownHostException {
    String name = host;
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    try {
      name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw new UnknownHostException("not a valid host name: '" + host + "'");
    }
    name = name.toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.length() > 253) {
      throw new UnknownHostException("not a valid host name: '" + host + "'");
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63
          || !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw new UnknownHostException("not a valid host name: '" + host + "'");
      }
    }
    return name;
  }

  /** A recursive query for {@code type} records of {@code name} (canonical), with EDNS0. */
  static byte[] query(int id, String name, int type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    short16(out, id);
    short16(out, 0x0100); // standard query, recursion desired
    short16(out, 1); // one question
    short16(out, 0);
    short16(out, 0);
    short16(out, 1); // the OPT record
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.write(0);
    short16(out, type);
    short16(out, IN);
    // OPT: root name, type 41, class = UDP payload size, TTL 0 (rcode/version/flags), no data
    out.write(0);
    short16(out, OPT);
    short16(out, EDNS_SIZE);
    short16(out, 0);
    short16(out, 0);
    short16(out, 0);
    return out.toByteArray();
  }

  private static void short16(ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xff);
    out.write(v & 0xff);
  }

  /**
   * Reads the response to our query {@code id} for {@code type} records of {@code name}.
   *
   * @throws Malformed if it does not parse, is not a response, or answers another question
   */
  static Answer parse(byte[] msg, int length, int id, String name, int type) throws Malformed {
    Reader r = new Reader(msg, length);
    if (r.u16() != id) {
      throw new Malformed("another query's id");
    }
    int flags = r.u16();
    if ((flags & 0x8000) == 0) {
      throw new Malformed("not a response");
    }
    if (((flags >> 11) & 0xf) != 0) {
      throw new Malformed("not a standard query's response");
    }
    boolean truncated = (flags & 0x0200) != 0;
    int rcode = flags & 0xf;
    int questions = r.u16();
    int answers = r.u16();
    r.u16(); // authority
    r.u16(); // additional
    if (questions != 1) {
      if (truncated && questions == 0) {
        return new Answer(rcode, true, List.of(), 0);
      }
      throw new Malformed(questions + " questions in the response");
    }
    String qname = r.name();
    int qtype = r.u16();
    int qclass = r.u16();
    if (!qname.equalsIgnoreCase(name) || qtype != type || qclass != IN) {
      throw new Malformed("the response is to another question (" + qname + ")");
    }
    if (truncated) {
      return new Answer(rcode, true, List.of(), 0);
    }
    Map<String, String> aliases = new HashMap<>();
    Map<String, List<InetAddress>> found = new HashMap<>();
    Map<String, Long> ttls = new HashMap<>();
    for (int i = 0; i < answers; i++) {
      String owner = r.name().toLowerCase(Locale.ROOT);
      int rtype = r.u16();
      int rclass = r.u16();
      long ttl = r.u32();
      int rdlength = r.u16();
      int rdata = r.position();
      r.need(rdlength);
      if (rclass == IN) {
        if (rtype == CNAME) {
          aliases.put(owner, r.nameAt(rdata).toLowerCase(Locale.ROOT));
          ttls.merge("cname:" + owner, ttl, Math::min);
        } else if (rtype == type && (rtype == A && rdlength == 4 || rtype == AAAA && rdlength == 16)) {
          byte[] address = java.util.Arrays.copyOfRange(msg, rdata, rdata + rdlength);
          try {
            found.computeIfAbsent(owner, k -> new ArrayList<>()).add(InetAddress.getByAddress(address));
          } catch (UnknownHostException e) {
            throw new Malformed("bad address length");
          }
          ttls.merge(owner, ttl, Math::min);
        }
      }
      r.skip(rdlength);
    }
    // follow the CNAME chain from the name asked for
    Set<String> chain = new LinkedHashSet<>();
    String at = name.toLowerCase(Locale.ROOT);
    long ttl = Long.MAX_VALUE;
    while (at != null && chain.add(at) && chain.size() <= 16) {
      if (aliases.containsKey(at)) {
        ttl = Math.min(ttl, ttls.get("cname:" + at));
      }
      at = aliases.get(at);
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String owner : chain) {
      List<InetAddress> a = found.get(owner);
      if (a != null) {
        addresses.addAll(a);
        ttl = Math.min(ttl, ttls.get(owner));
      }
    }
    return new Answer(rcode, false, addresses, ttl == Long.MAX_VALUE ? 0 : ttl);
  }

  /** Bounds-checked reading of a message. */
  private static final class Reader {
    private final byte[] msg;
    private final int length;
    private int pos;

    Reader(byte[] msg, int length) {
      this.msg = msg;
      this.length = length;
    }

    int position() {
      return pos;
    }

    void need(int n) throws Malformed {
      if (n < 0 || pos + n > length) {
        throw new Malformed("truncated message");
      }
    }

    void skip(int n) throws Malformed {
      need(n);
      pos += n;
    }

    int u16() throws Malformed {
      need(2);
      int v = ((msg[pos] & 0xff) << 8) | (msg[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    long u32() throws Malformed {
      long v = ((long) u16() << 16) | u16();
      return (v & 0x80000000L) != 0 ? 0 : v; // RFC 2181 8: a TTL with the top bit set is 0
    }

    String name() throws Malformed {
      int[] end = {-1};
      String n = nameFrom(pos, end);
      pos = end[0];
      return n;
    }

    String nameAt(int at) throws Malformed {
      return nameFrom(at, new int[] {-1});
    }

    /** The name at {@code at}, following compression pointers; {@code end[0]} gets where it ends. */
    private String nameFrom(int at, int[] end) throws Malformed {
      StringBuilder name = new StringBuilder();
      int p = at;
      int jumps = 0;
      while (true) {
        if (p >= length) {
          throw new Malformed("name runs past the message");
        }
        int len = msg[p] & 0xff;
        if ((len & 0xc0) == 0xc0) {
          if (p + 1 >= length) {
            throw new Malformed("name runs past the message");
          }
          if (end[0] < 0) {
            end[0] = p + 2;
          }
          if (++jumps > 64) {
            throw new Malformed("compression loop");
          }
          p = ((len & 0x3f) << 8) | (msg[p + 1] & 0xff);
          continue;
        }
        if ((len & 0xc0) != 0) {
          throw new Malformed("unknown label type");
        }
        if (len == 0) {
          if (end[0] < 0) {
            end[0] = p + 1;
          }
          return name.length() == 0 ? "." : name.toString();
        }
        if (p + 1 + len > length) {
          throw new Malformed("label runs past the message");
        }
        if (name.length() > 0) {
          name.append('.');
        }
        for (int i = 0; i < len; i++) {
          char c = (char) (msg[p + 1 + i] & 0xff);
          name.append(c);
        }
        if (name.length() > 255) {
          throw new Malformed("name too long");
        }
        p += 1 + len;
      }
    }
  }
}
