package org.mirage4j.guest.image;

/**
 * A problem building or booting a guest that the user can act on: the message says what is wrong
 * and how to fix it (a missing part and how to get it, a file whose SHA-256 does not match the lock
 * file, a tool that is not installed). Front ends print the message alone, never a stack trace.
 */
public class GuestImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With the message the user sees. */
  public GuestImageException(String message) {
    super(message);
  }

  /** With the message the user sees and the low-level cause (for debugging only). */
  public GuestImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
