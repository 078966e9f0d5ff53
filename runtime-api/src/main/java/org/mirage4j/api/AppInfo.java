package org.mirage4j.api;

import java.util.List;
import java.util.Objects;

/**
 * What the unikernel was built from, as MirageOS's {@code app_info}: its name, its version and the
 * libraries linked into it, recorded when it was generated (the same inputs give the same record),
 * never looked up at run time.
 */
public interface AppInfo extends Device {

  /** The unikernel's name ({@code unikernel hello}). */
  String name();

  /** Its version: the Maven project's version, or what {@code mirage configure --version} gave. */
  String version();

  /** The libraries in it, sorted by name, each once. */
  List<Library> libraries();

  /**
   * A library of the build.
   *
   * @param name {@code groupId:artifactId} for a Maven artifact, else the jar's file name without
   *     {@code .jar}
   * @param version its version, or {@code ""} when the jar does not say
   */
  record Library(String name, String version) {
    /** Requires both parts. */
    public Library {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
    }

    @Override
    public String toString() {
      return version.isEmpty() ? name : name + " " + version;
    }
  }
}
