package org.mirage4j.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as bin/mirage runs it ({@code java -jar mirage4j-cli-VERSION-all.jar}), in a
 * fresh JVM with nothing else on the class path: everything the front end loads is in it. Runs in
 * the integration-test phase, after the shade plugin has built the jar.
 */
class ShadedJarIT {

  @TempDir Path dir;

  private static Path jar() {
    String p = System.getProperty("mirage4j.cli.jar");
    assertWithMessage("system property mirage4j.cli.jar").that(p).isNotNull();
    Path jar = Path.of(p);
    assertWithMessage("%s exists", jar).that(Files.isRegularFile(jar)).isTrue();
    return jar;
  }

  private String[] run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertWithMessage("mirage %s ended", String.join(" ", args)).that(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String[] {Integer.toString(p.exitValue()), out};
  }

  @Test
  void configuresAGuestWhoseKeysHoldAddresses() throws Exception {
    // the guest's stack reads --ipv4 and --ipv4-gateway: lowering parses their defaults with the
    // value types of runtime-api, which the jar must therefore hold
    Files.writeString(dir.resolve("config.mirage"), String.join("\n",
        "unikernel web",
        "key port : port = 8080 \"where it listens\"",
        "device http = http_server(default_stack, port)",
        "job org.example.web.Site(default_console, http)", ""));
    String[] r = run("configure", "-t", "xen", "-f", "config.mirage", "-o", "out");
    assertWithMessage(r[1]).that(r[0]).isEqualTo("0");
    assertThat(r[1]).startsWith("configured web for xen (x86_64)");
    assertThat(r[1]).doesNotContain("Exception");
    assertThat(Files.isRegularFile(dir.resolve("out/mirage/xen/web.xl"))).isTrue();
  }

  @Test
  void aBadConfigurationIsReportedWithoutAStackTrace() throws Exception {
    Files.writeString(dir.resolve("config.mirage"), "unikernel web\ndevice c = default_consol\njob org.example.App(c)\n");
    String[] r = run("check", "config.mirage");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).contains("config.mirage:2:12: error: unknown device, key or driver 'default_consol'; did you mean 'default_console'?");
    assertThat(r[1]).doesNotContain("\tat ");
  }
}
