package org.mirage4j.runtime;

/**
 * The {@link System.LoggerFinder} of a unikernel, found by the JDK through {@code
 * META-INF/services}: every {@code System.getLogger(name)} in the program — the drivers', the jobs',
 * the JDK's own — returns a logger whose source is {@code name}, filtered by {@link Logs#settings()}
 * and written by the one reporter, {@link Logs}.
 */
public final class LogFinder extends System.LoggerFinder {

  /** Called by the JDK's service loader. */
  public LogFinder() {}

  @Override
  public System.Logger getLogger(String name, Module module) {
    return Logs.logger(name);
  }
}
