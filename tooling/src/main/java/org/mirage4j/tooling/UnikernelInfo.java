package org.mirage4j.tooling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.UnikernelModel;

/**
 * What the last generation produced, for the goals and commands that come after it ({@code
 * mirage:assemble}, {@code mirage:image}): {@code <buildDir>/mirage/unikernel.properties} with the
 * unikernel's name, target, architecture, wiring class and the Maven artifacts of its drivers.
 *
 * @param name the unikernel's name; its runnable jar is {@code <buildDir>/<name>.jar}
 * @param target the target generated for
 * @param arch the architecture
 * @param mainClass the wiring class, with the {@code main} to run
 * @param artifacts {@code groupId:artifactId} of every driver artifact the configuration uses
 * @param configureKeys every configure-time key with the value it had ({@code kv_ro=direct}), as
 *     lines {@code key.NAME = VALUE}: a test of the program can tell how it was built
 */
public record UnikernelInfo(String name, String target, String arch, String mainClass, List<String> artifacts,
    Map<String, String> configureKeys) {

  /** The file below the build directory. */
  public static final String FILE = "mirage/unikernel.properties";

  /** Copies the list. */
  public UnikernelInfo {
    artifacts = List.copyOf(artifacts);
    configureKeys = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(configureKeys));
  }

  static UnikernelInfo of(UnikernelModel model, String mainClass) {
    List<String> artifacts = new ArrayList<>();
    for (Artifact a : model.artifacts()) {
      artifacts.add(a.groupId() + ":" + a.artifactId());
    }
    Map<String, String> keys = new LinkedHashMap<>();
    model.configureKeys().forEach(k -> keys.put(k.name(), k.value().display()));
    return new UnikernelInfo(model.name(), model.target(), model.arch(), mainClass, artifacts, keys);
  }

  void write(Path buildDir) throws IOException {
    String text = "# written by mirage4j's generate (mirage:generate, mirage configure) for the goals after it\n"
        + "name = " + name + "\ntarget = " + target + "\narch = " + arch + "\nmain-class = " + mainClass
        + "\nartifacts = " + String.join(" ", artifacts) + "\n";
    for (Map.Entry<String, String> k : configureKeys.entrySet()) {
      text += "key." + k.getKey() + " = " + k.getValue().replace("\\", "\\\\").replace("\n", "\\n") + "\n";
    }
    Path file = buildDir.resolve(FILE);
    Files.createDirectories(file.getParent());
    if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }

  /**
   * What was generated below {@code buildDir}.
   *
   * @throws IOException naming the goal to run when nothing was generated
   */
  public static UnikernelInfo read(Path buildDir) throws IOException {
    Path file = buildDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("nothing generated in " + buildDir + " (no " + FILE + "): run mirage:generate first"
          + " (it is bound to generate-sources), or mirage configure");
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        f.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    String artifacts = f.getOrDefault("artifacts", "");
    Map<String, String> keys = new LinkedHashMap<>();
    f.forEach((k, v) -> {
      if (k.startsWith("key.")) {
        keys.put(k.substring(4), v);
      }
    });
    return new UnikernelInfo(f.get("name"), f.get("target"), f.get("arch"), f.get("main-class"),
        artifacts.isBlank() ? List.of() : Arrays.asList(artifacts.split("\\s+")), keys);
  }
}
