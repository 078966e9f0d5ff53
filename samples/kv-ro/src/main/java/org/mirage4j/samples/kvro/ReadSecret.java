package org.mirage4j.samples.kvro;

import java.nio.charset.StandardCharsets;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;

/** Reads key {@code secret} and checks it is "foo\n". */
public final class ReadSecret implements Job {
  private final Console console;
  private final KvRo data;

  /** The console and the store. */
  public ReadSecret(Console console, KvRo data) {
    this.console = console;
    this.data = data;
  }

  @Override
  public void start() throws Exception {
    String secret = new String(data.get("secret"), StandardCharsets.UTF_8);
    if (!secret.equals("foo\n")) {
      throw new IllegalStateException("secret is '" + secret + "', expected 'foo\\n'");
    }
    console.log("secret is foo, digest " + data.digest("secret"));
  }
}
