package org.mirage4j.samples.skeleton.littlefs;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRw;

/**
 * Writes {@code /foo = "Hello World!"} to the store, reads it back and logs it as a hex dump, as
 * the original's {@code Unikernel.Make(Store : Mirage_kv.RW)} does (hxd's default layout).
 */
public final class Littlefs implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final KvRw store;

  /** The wiring passes the store. */
  public Littlefs(KvRw store) {
    this.store = store;
  }

  @Override
  public void start() throws IOException {
    store.set("/foo", "Hello World!".getBytes(StandardCharsets.UTF_8));
    byte[] read = store.get("/foo");
    LOG.log(Level.INFO, "foo: " + hexDump(read));
  }

  /** hxd's default: offset, 16 bytes as 8 groups of two, the printable characters. */
  static String hexDump(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int line = 0; line < bytes.length; line += 16) {
      if (line > 0) {
        out.append('\n');
      }
      out.append(String.format("%08x: ", line));
      StringBuilder text = new StringBuilder();
      for (int i = line; i < line + 16; i++) {
        if (i < bytes.length) {
          out.append(String.format("%02x", bytes[i] & 0xff));
          char c = (char) (bytes[i] & 0xff);
          text.append(c >= 0x20 && c < 0x7f ? c : '.');
        } else {
          out.append("  ");
        }
        if (i % 2 == 1) {
          out.append(' ');
        }
      }
      out.append(' ').append(text);
    }
    return out.toString();
  }
}
