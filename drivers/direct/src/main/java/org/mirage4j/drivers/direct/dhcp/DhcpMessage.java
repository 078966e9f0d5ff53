package org.mirage4j.drivers.direct.dhcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MacAddress;

/**
 * A DHCP message (RFC 2131 2, the BOOTP format with the options of RFC 2132): parsing with every
 * length checked, and building. Only Ethernet hardware addresses are taken.
 *
 * @param op 1 for a request (client to server), 2 for a reply
 * @param xid the transaction identifier
 * @param secs seconds since the client began
 * @param flags the flags field (bit 15: broadcast)
 * @param ciaddr the client's address when it has one
 * @param yiaddr the address offered or assigned ("your" address)
 * @param siaddr the next server's address
 * @param giaddr the relay agent's address
 * @param chaddr the client's hardware address
 * @param options the options by code, in the order they came (values without code and length)
 */
public record DhcpMessage(int op, int xid, int secs, int flags, Ipv4Address ciaddr,
    Ipv4Address yiaddr, Ipv4Address siaddr, Ipv4Address giaddr, MacAddress chaddr,
    Map<Integer, byte[]> options) {

  public static final int BOOTREQUEST = 1;
  public static final int BOOTREPLY = 2;
  public static final int SERVER_PORT = 67;
  public static final int CLIENT_PORT = 68;
  public static final int MAGIC = 0x63825363;
  public static final int BROADCAST_FLAG = 0x8000;

  /** Message types (option 53). */
  public static final int DISCOVER = 1;
  public static final int OFFER = 2;
  public static final int REQUEST = 3;
  public static final int DECLINE = 4;
  public static final int ACK = 5;
  public static final int NAK = 6;
  public static final int RELEASE = 7;
  public static final int INFORM = 8;

  /** Option codes (RFC 2132). */
  public static final int OPT_SUBNET_MASK = 1;
  public static final int OPT_ROUTERS = 3;
  public static final int OPT_DNS = 6;
  public static final int OPT_HOSTNAME = 12;
  public static final int OPT_REQUESTED_ADDRESS = 50;
  public static final int OPT_LEASE_TIME = 51;
  public static final int OPT_OVERLOAD = 52;
  public static final int OPT_MESSAGE_TYPE = 53;
  public static final int OPT_SERVER_ID = 54;
  public static final int OPT_PARAMETER_LIST = 55;
  public static final int OPT_MESSAGE = 56;
  public static final int OPT_RENEWAL_TIME = 58;
  public static final int OPT_REBINDING_TIME = 59;
  public static final int OPT_CLIENT_ID = 61;

  /** The fixed part before the options: 236 bytes of BOOTP and the magic cookie. */
  static final int FIXED = 240;

  /** The copied options (the map is never modified). */
  public DhcpMessage {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * Parses a UDP payload.
   *
   * @return the message, or empty when it is not a well-formed DHCP message with an Ethernet
   *     address and a message type
   */
  public static Optional<DhcpMessage> parse(ByteBuffer p) {
    int n = p.remaining();
    if (n < FIXED || (p.get(1) & 0xff) != 1 || (p.get(2) & 0xff) != 6 || p.getInt(236) != MAGIC) {
      return Optional.empty();
    }
    Map<Integer, byte[]> options = new LinkedHashMap<>();
    int i = FIXED;
    while (i < n) {
      int code = p.get(i) & 0xff;
      if (code == 255) {
        break;
      }
      if (code == 0) {
        i++;
        continue;
      }
      if (i + 1 >= n) {
        return Optional.empty();
      }
      int len = p.get(i + 1) & 0xff;
      if (i + 2 + len > n) {
        return Optional.empty();
      }
      byte[] v = new byte[len];
      p.get(i + 2, v);
      // RFC 3396: an option split in several instances is their concatenation
      options.merge(code, v, (a, b) -> {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
      });
      i += 2 + len;
    }
    byte[] type = options.get(OPT_MESSAGE_TYPE);
    if (type == null || type.length != 1) {
      return Optional.empty();
    }
    long mac = 0;
    for (int k = 0; k < 6; k++) {
      mac = (mac << 8) | (p.get(28 + k) & 0xff);
    }
    return Optional.of(new DhcpMessage(p.get(0) & 0xff, p.getInt(4), p.getShort(8) & 0xffff,
        p.getShort(10) & 0xffff, new Ipv4Address(p.getInt(12)), new Ipv4Address(p.getInt(16)),
        new Ipv4Address(p.getInt(20)), new Ipv4Address(p.getInt(24)), new MacAddress(mac),
        options));
  }

  /** The message type (option 53). */
  public int type() {
    return options.get(OPT_MESSAGE_TYPE)[0] & 0xff;
  }

  /** An option holding one IPv4 address, if present and well formed. */
  public Optional<Ipv4Address> address(int code) {
    byte[] v = options.get(code);
    return v == null || v.length != 4 ? Optional.empty() : Optional.of(Ipv4Address.of(v));
  }

  /** An option holding text (a hostname), if present, without control characters. */
  public Optional<String> text(int code) {
    byte[] v = options.get(code);
    if (v == null || v.length == 0) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : v) {
      int c = b & 0xff;
      if (c == 0) {
        break;
      }
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
  }

  /** What identifies the client: its client identifier (option 61) or else its hardware address. */
  public String clientKey() {
    byte[] id = options.get(OPT_CLIENT_ID);
    if (id != null && id.length >= 2) {
      return "id:" + java.util.HexFormat.of().formatHex(id);
    }
    return "hw:" + chaddr;
  }

  /** Whether the client asked for broadcast replies. */
  public boolean broadcast() {
    return (flags & BROADCAST_FLAG) != 0;
  }

  /** A reply to {@code request}: the same transaction, flags, relay and client fields. */
  public static DhcpMessage reply(DhcpMessage request, Ipv4Address yiaddr, Map<Integer, byte[]> options) {
    return new DhcpMessage(BOOTREPLY, request.xid(), 0, request.flags(),
        request.type() == INFORM ? request.ciaddr() : Ipv4Address.ANY, yiaddr, Ipv4Address.ANY,
        request.giaddr(), request.chaddr(), options);
  }

  /** The message as a UDP payload (at least 300 bytes, as BOOTP clients expect). */
  public ByteBuffer encode() {
    int size = FIXED + 1;
    for (byte[] v : options.values()) {
      size += 2 * ((v.length + 254) / 255) + v.length;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.max(300, size));
    b.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
    b.putShort((short) secs).putShort((short) flags);
    b.putInt(ciaddr.bits()).putInt(yiaddr.bits()).putInt(siaddr.bits()).putInt(giaddr.bits());
    long m = chaddr.bits();
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (m >>> s));
    }
    b.position(236);
    b.putInt(MAGIC);
    for (Map.Entry<Integer, byte[]> e : options.entrySet()) {
      byte[] v = e.getValue();
      int off = 0;
      do { // RFC 3396: long options split in pieces of at most 255 bytes
        int k = Math.min(255, v.length - off);
        b.put((byte) (int) e.getKey()).put((byte) k).put(v, off, k);
        off += k;
      } while (off < v.length);
    }
    b.put((byte) 255);
    b.position(0);
    return b;
  }

  /** Option values: one byte, four bytes, addresses, text. */
  public static final class Options {
    private final Map<Integer, byte[]> map = new LinkedHashMap<>();

    public Options type(int messageType) {
      map.put(OPT_MESSAGE_TYPE, new byte[] {(byte) messageType});
      return this;
    }

    public Options address(int code, Ipv4Address a) {
      map.put(code, a.octets());
      return this;
    }

    public Options addresses(int code, List<Ipv4Address> list) {
      if (!list.isEmpty()) {
        ByteBuffer b = ByteBuffer.allocate(4 * list.size());
        for (Ipv4Address a : list) {
          b.putInt(a.bits());
        }
        map.put(code, b.array());
      }
      return this;
    }

    public Options seconds(int code, long seconds) {
      map.put(code, ByteBuffer.allocate(4).putInt((int) Math.min(seconds, 0xffff_ffffL)).array());
      return this;
    }

    public Options text(int code, String s) {
      map.put(code, s.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    public Map<Integer, byte[]> build() {
      return new LinkedHashMap<>(map);
    }

    /** The codes in a parameter request list (option 55). */
    public static List<Integer> requested(DhcpMessage m) {
      List<Integer> out = new ArrayList<>();
      byte[] v = m.options().get(OPT_PARAMETER_LIST);
      if (v != null) {
        for (byte b : v) {
          out.add(b & 0xff);
        }
      }
      return out;
    }
  }
}
