package org.mirage4j.samples.skeleton.appinfo;

import org.mirage4j.api.AppInfo;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

/** Prints {@code libraries:} and then one {@code   - name version} line per library of the build. */
public final class AppInfoJob implements Job {
  private final Console console;
  private final AppInfo info;

  /** The job receives the console and the build information from the wiring. */
  public AppInfoJob(Console console, AppInfo info) {
    this.console = console;
    this.info = info;
  }

  @Override
  public void start() {
    console.log("libraries:");
    for (AppInfo.Library library : info.libraries()) {
      console.log("  - " + library.name() + (library.version().isEmpty() ? " n/a" : " " + library.version()));
    }
  }
}
