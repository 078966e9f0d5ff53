package org.mirage4j.guest.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Small runnable jars for guest tests, compiled from Java source in the test. */
public final class TestJars {

  private TestJars() {}

  /**
   * A jar whose {@code guest.Main} prints its arguments and a greeting on the console and exits
   * with the status given as {@code --exit=N} (0 by default).
   */
  public static Path echo(Path dir) throws IOException {
    String source = "package guest;\n"
        + "public final class Main {\n"
        + "  public static void main(String[] args) {\n"
        + "    int status = 0;\n"
        + "    for (String a : args) { if (a.startsWith(\"--exit=\")) status = Integer.parseInt(a.substring(7)); }\n"
        + "    System.out.println(\"hello from the guest, args=\" + String.join(\" \", args)\n"
        + "        + \" arch=\" + System.getProperty(\"os.arch\") + \" java=\" + Runtime.version());\n"
        + "    System.exit(status);\n"
        + "  }\n"
        + "}\n";
    Path src = Files.createDirectories(dir.resolve("src/guest")).resolve("Main.java");
    Files.writeString(src, source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString());
    if (rc != 0) {
      throw new IOException("javac failed: " + rc);
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "guest.Main");
    Path jar = dir.resolve("echo.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
      for (String name : List.of("guest/Main.class")) {
        JarEntry e = new JarEntry(name);
        e.setTime(0);
        j.putNextEntry(e);
        j.write(Files.readAllBytes(classes.resolve(name)));
        j.closeEntry();
      }
    }
    return jar;
  }

  /** Why real guest parts cannot be had here (no apt and nothing cached), or null if they can. */
  public static String partsUnavailable() {
    if (org.mirage4j.guest.debian.AptArchive.onThisHost(PartSources.defaultCacheDir().resolve("apt"),
        org.mirage4j.guest.debian.AptArchive.DEFAULT_SUITE).isPresent()) {
      return null;
    }
    return "the guest's Debian parts cannot be fetched here: "
        + org.mirage4j.guest.debian.AptArchive.unavailableReason();
  }
}
