package org.mirage4j.samples.skeleton.locallibrary.hello;

/** The original's {@code hello/hello.ml}: {@code let hello = "Hello!"}. */
public final class Hello {

  private Hello() {}

  /**
   * The message. A method rather than a {@code static final} constant, which javac would copy into
   * the caller's class: the unikernel really calls into this library's jar at run time.
   */
  public static String hello() {
    return "Hello!";
  }
}
