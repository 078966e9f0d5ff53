package org.mirage4j.generator;

import java.util.Objects;

/**
 * One file the generator wants to exist, before anything is written.
 *
 * @param root which output directory it goes to
 * @param path its path below that directory, {@code /}-separated
 * @param content its bytes
 * @param executable whether it is a script to be made executable
 * @param marked whether it carries the generated marker (crunched copies of the user's files
 *     cannot)
 */
record OutputFile(Root root, String path, byte[] content, boolean executable, boolean marked) {

  /** The output directories of a request. */
  enum Root {
    /** {@link GeneratorRequest#javaOutput()}. */
    JAVA,
    /** {@link GeneratorRequest#resourcesOutput()}. */
    RESOURCES,
    /** {@link GeneratorRequest#artifactsDir()}. */
    ARTIFACTS
  }

  OutputFile {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
  }

  /** A text file carrying the marker. */
  static OutputFile text(Root root, String path, String text, boolean executable) {
    return new OutputFile(
        root, path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), executable, true);
  }
}
