package org.mirage4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mirage init NAME}: a unikernel project of one's own, the same one the Maven archetype
 * ({@code org.mirage4j:mirage4j-archetype}) writes, from the same templates.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Creates a unikernel project: a pom with the mirage plugin and mirage4j's BOM, config.mirage, a job, a test.",
    description = {
      "Writes the project into DIR (default: ./NAME), which must not exist or be empty: nothing of yours is",
      "overwritten. The same project as: mvn archetype:generate -DarchetypeGroupId=org.mirage4j"
          + " -DarchetypeArtifactId=mirage4j-archetype.",
      "mirage4j is not on Maven Central yet: install it into your local repository first (in its checkout:"
          + " ./mvnw install -DskipTests)."
    })
final class InitCommand implements Callable<Integer> {

  /** Where a template goes: as it is, below the job's package, or as it is and unfilled (the wrapper). */
  enum Placement { AS_IS, IN_PACKAGE, VERBATIM }

  /** The templates of the archetype, in the jar under {@code init/}. */
  static final Map<String, Placement> TEMPLATES = new LinkedHashMap<>();

  static {
    TEMPLATES.put("pom.xml", Placement.AS_IS);
    TEMPLATES.put("config.mirage", Placement.AS_IS);
    TEMPLATES.put("README.md", Placement.AS_IS);
    TEMPLATES.put("src/main/java/Greeter.java", Placement.IN_PACKAGE);
    TEMPLATES.put("src/test/java/GreeterTest.java", Placement.IN_PACKAGE);
    TEMPLATES.put("mvnw", Placement.VERBATIM);
    TEMPLATES.put(".mvn/wrapper/maven-wrapper.properties", Placement.VERBATIM);
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Pattern JAVA_PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

  @Parameters(paramLabel = "NAME", description = "The unikernel's name (letters, digits, _), also the artifactId.")
  String name;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", description = "Where the project goes (default: ./NAME).")
  Path directory;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "com.example",
      description = "The project's groupId (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(names = "--package", paramLabel = "PKG",
      description = "The job's Java package (default: GROUP.NAME in lower case).")
  String packageName;

  @Option(names = "--project-version", paramLabel = "V", defaultValue = "1.0-SNAPSHOT",
      description = "The project's version (default: ${DEFAULT-VALUE}).")
  String projectVersion;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new Main.UsageException("'" + name + "' is not a unikernel name: letters, digits and _, starting with a letter");
    }
    String pkg = packageName != null ? packageName : group + "." + name.toLowerCase();
    if (!JAVA_PACKAGE.matcher(pkg).matches()) {
      throw new Main.UsageException("'" + pkg + "' is not a Java package name; give one with --package");
    }
    Path dir = directory != null ? directory : Path.of(name);
    if (Files.exists(dir) && !(Files.isDirectory(dir) && isEmpty(dir))) {
      spec.commandLine().getErr().println("mirage init: " + dir + " exists and is not empty; nothing was written"
          + " (choose another directory with -d)");
      return Main.CONFIG_ERROR;
    }
    Map<String, String> values = Map.of("groupId", group, "artifactId", name, "version", projectVersion,
        "package", pkg, "unikernel", name);
    for (Map.Entry<String, Placement> t : TEMPLATES.entrySet()) {
      String text = t.getValue() == Placement.VERBATIM ? template(t.getKey()) : fill(template(t.getKey()), values);
      Path target = t.getValue() == Placement.IN_PACKAGE
          ? dir.resolve(t.getKey().substring(0, t.getKey().lastIndexOf('/')))
              .resolve(pkg.replace('.', '/')).resolve(t.getKey().substring(t.getKey().lastIndexOf('/') + 1))
          : dir.resolve(t.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, text, StandardCharsets.UTF_8);
      if (t.getKey().equals("mvnw")) {
        makeExecutable(target);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("created " + dir + ": unikernel " + name + " (job " + pkg + ".Greeter); next: cd " + dir
        + " && ./mvnw package");
    out.flush();
    return Main.OK;
  }

  /** A template's text, with the archetype's {@code @mirage4j.version@} filled in. */
  static String template(String name) throws IOException {
    try (InputStream in = InitCommand.class.getResourceAsStream("init/" + name)) {
      if (in == null) {
        throw new IOException("the template " + name + " is missing from the mirage jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@mirage4j.version@", Main.version());
    }
  }

  /** The archetype's Velocity references of the given properties, replaced; every other {@code ${...}} stays. */
  static String fill(String text, Map<String, String> values) {
    String out = text;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace("${" + v.getKey() + "}", v.getValue());
    }
    return out;
  }

  private static void makeExecutable(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(file));
      perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
      Files.setPosixFilePermissions(file, perms);
    } catch (UnsupportedOperationException e) {
      file.toFile().setExecutable(true, false);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** The template names, for the test that they are the archetype's. */
  static List<String> templateNames() {
    return List.copyOf(TEMPLATES.keySet());
  }
}
