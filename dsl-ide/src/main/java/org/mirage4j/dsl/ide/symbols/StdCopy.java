package org.mirage4j.dsl.ide.symbols;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;
import org.mirage4j.dsl.StdLib;

/**
 * A read-only copy of the standard library as a plain file, so that go-to-definition into
 * {@code std.mirage} opens in any editor: inside the language jar its URI is {@code jar:file:...!/},
 * which editors cannot open. The copy lives in {@code $XDG_CACHE_HOME/mirage4j/std/<hash>/} (or
 * {@code ~/.cache/...}, else the temporary directory), named by the hash of its content so that
 * several versions never clash.
 */
public final class StdCopy {

  private static final Logger LOG = Logger.getLogger(StdCopy.class);

  private static volatile URI copy;

  private StdCopy() {}

  /**
   * The {@code file:} URI of the copy, or the standard library's own URI if no copy could be
   * written (then editors that cannot read {@code jar:} URIs show nothing).
   */
  public static URI uri() {
    URI u = copy;
    if (u == null) {
      synchronized (StdCopy.class) {
        u = copy;
        if (u == null) {
          u = write();
          copy = u;
        }
      }
    }
    return u;
  }

  private static URI write() {
    byte[] content;
    try (InputStream in = StdLib.class.getClassLoader().getResourceAsStream(StdLib.RESOURCE)) {
      if (in == null) {
        return StdLib.uri();
      }
      content = in.readAllBytes();
    } catch (IOException e) {
      LOG.warn("cannot read the standard library: " + e.getMessage());
      return StdLib.uri();
    }
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path base : bases()) {
      try {
        Path dir = base.resolve("mirage4j").resolve("std").resolve(hash);
        Path file = dir.resolve(StdLib.DISPLAY_NAME);
        if (!Files.isRegularFile(file) || Files.size(file) != content.length) {
          Files.createDirectories(dir);
          Path tmp = Files.createTempFile(dir, "std", ".tmp");
          Files.write(tmp, content);
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          file.toFile().setReadOnly();
        }
        return URI.createFileURI(file.toAbsolutePath().toString());
      } catch (IOException | RuntimeException e) {
        LOG.info("cannot write the standard library under " + base + ": " + e.getMessage());
      }
    }
    return StdLib.uri();
  }

  private static Path[] bases() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path home = Path.of(System.getProperty("user.home", "."));
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    if (xdg != null && !xdg.isBlank()) {
      return new Path[] {Path.of(xdg), home.resolve(".cache"), tmp};
    }
    return new Path[] {home.resolve(".cache"), tmp};
  }
}
