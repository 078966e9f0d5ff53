package org.mirage4j.drivers.info;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.AppInfo;

/**
 * The {@code build_info} driver: the {@link AppInfo} the generator recorded in {@value #RESOURCE}
 * when it generated the wiring — one {@code key<TAB>value} line each for {@code name} and {@code
 * version}, then one {@code library<TAB>name<TAB>version} line per library, sorted. Nothing is
 * looked up at run time: the record is part of the build, byte-identical for identical inputs.
 */
public final class BuildInfo implements AppInfo {

  /** Where the generator writes the record, below the generated resources. */
  public static final String RESOURCE = "META-INF/mirage/app-info.tsv";

  private final ClassLoader loader;
  private volatile String name;
  private volatile String version;
  private volatile List<Library> libraries;

  /** Reads the record from the class loader of this driver (the unikernel's jar). */
  public BuildInfo() {
    this(BuildInfo.class.getClassLoader());
  }

  /**
   * Reads the record through {@code loader} (tests).
   *
   * @param loader where {@value #RESOURCE} is looked up
   */
  public BuildInfo(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public void connect() throws IOException {
    URL url = loader.getResource(RESOURCE);
    if (url == null) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      url = context == null ? null : context.getResource(RESOURCE);
    }
    if (url == null) {
      throw new IOException("no build information in this build (missing resource " + RESOURCE
          + "; it is written by mirage:generate / mirage configure)");
    }
    String n = null;
    String v = null;
    List<Library> libs = new ArrayList<>();
    try (InputStream in = url.openStream();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.startsWith("#")) {
          continue; // the generator's marker
        }
        String[] f = line.split("\t", -1);
        if (f.length == 2 && f[0].equals("name")) {
          n = f[1];
        } else if (f.length == 2 && f[0].equals("version")) {
          v = f[1];
        } else if (f.length == 3 && f[0].equals("library")) {
          libs.add(new Library(f[1], f[2]));
        } else if (!line.isEmpty()) {
          throw new IOException(RESOURCE + ":" + number + ": not a name, version or library line");
        }
      }
    }
    if (n == null || v == null) {
      throw new IOException(RESOURCE + " names no unikernel or version");
    }
    name = n;
    version = v;
    libraries = List.copyOf(libs);
    System.getLogger("app_info").log(System.Logger.Level.DEBUG,
        () -> name + " " + version + ", " + libraries.size() + " libraries");
  }

  @Override
  public String name() {
    return connected(name);
  }

  @Override
  public String version() {
    return connected(version);
  }

  @Override
  public List<Library> libraries() {
    return connected(libraries);
  }

  private static <T> T connected(T value) {
    if (value == null) {
      throw new IllegalStateException("build_info is not connected");
    }
    return value;
  }
}
