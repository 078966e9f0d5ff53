package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.stream.Collectors;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes the {@code unix} launcher: a POSIX shell script named after the unikernel that runs its
 * wiring class on a JVM, passing every argument through ({@code ./slides --port=8080}). The class
 * path is the request's, relative to the script's own directory; {@code MIRAGE_CLASSPATH} replaces
 * it, {@code JAVA} names the {@code java} command and {@code JAVA_OPTS} adds JVM options.
 */
final class LauncherWriter {

  private final UnikernelModel model;
  private final ClassName wiring;
  private final List<String> classpath;

  LauncherWriter(UnikernelModel model, ClassName wiring, List<String> classpath) {
    this.model = model;
    this.wiring = wiring;
    this.classpath = classpath;
  }

  /** The script. */
  String write() {
    String cp =
        classpath.stream()
            .map(e -> e.startsWith("/") ? sh(e) : "\"$here\"/" + sh(e))
            .collect(Collectors.joining(":"));
    return "#!/bin/sh\n"
        + "# " + Markers.header(model) + "\n"
        + "# Runs unikernel " + model.name() + " as a JVM process; try: " + model.name() + " --help\n"
        + "# MIRAGE_CLASSPATH replaces the class path, JAVA names the java command, JAVA_OPTS adds\n"
        + "# JVM options. The exit status is the unikernel's: 0, 1 on a device or job failure, 64 on\n"
        + "# a command-line error.\n"
        + "here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd) || exit 1\n"
        + "classpath=${MIRAGE_CLASSPATH:-" + (cp.isEmpty() ? "." : cp) + "}\n"
        + "# JAVA_OPTS is split into words on purpose\n"
        + "exec \"${JAVA:-java}\" ${JAVA_OPTS:-} -cp \"$classpath\" " + wiring.canonicalName() + " \"$@\"\n";
  }

  /** A word quoted for the shell. */
  static String sh(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
