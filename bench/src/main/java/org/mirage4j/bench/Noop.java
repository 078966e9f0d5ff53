package org.mirage4j.bench;

/** Does nothing: the cost of starting a JVM, the baseline of the cold command-line figures. */
public final class Noop {
  private Noop() {}

  public static void main(String[] args) {
    // nothing
  }
}
