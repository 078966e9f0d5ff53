package org.mirage4j.dsl;

import java.net.URL;
import org.eclipse.emf.common.util.URI;

/** Where the standard library {@code std.mirage} is: a resource of this module's jar. */
public final class StdLib {

  /** The resource path of the standard library. */
  public static final String RESOURCE = "org/mirage4j/dsl/std.mirage";

  /** The name under which diagnostics show the standard library. */
  public static final String DISPLAY_NAME = "std.mirage";

  private static final URI URI_ = locate();

  private StdLib() {}

  private static URI locate() {
    URL url = StdLib.class.getClassLoader().getResource(RESOURCE);
    if (url == null) {
      throw new IllegalStateException(RESOURCE + " is missing from the mirage4j-dsl jar");
    }
    return URI.createURI(url.toString());
  }

  /**
   * The standard library's URI, taken from this module's own class loader ({@code jar:file:...!/...}
   * or {@code file:...}), which EMF reads directly whatever the user's class path is.
   */
  public static URI uri() {
    return URI_;
  }

  /** Whether {@code uri} is the standard library. */
  public static boolean isStd(URI uri) {
    return URI_.equals(uri);
  }
}
