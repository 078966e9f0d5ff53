package org.mirage4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a synthetic configuration: {@code WriteSyntheticConfig <devices> <file>}. */
public final class WriteSyntheticConfig {

  private WriteSyntheticConfig() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[1]), SyntheticConfig.of(Integer.parseInt(args[0])));
  }
}
