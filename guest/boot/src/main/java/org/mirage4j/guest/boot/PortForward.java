package org.mirage4j.guest.boot;

/**
 * A TCP port of the host's loopback address forwarded to the guest ({@code 18080:8080}).
 *
 * @param hostPort the port on 127.0.0.1
 * @param guestPort the guest's port
 */
public record PortForward(int hostPort, int guestPort) {

  /** Checks the ports. */
  public PortForward {
    if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
      throw new IllegalArgumentException("ports are 1 to 65535: " + hostPort + ":" + guestPort);
    }
  }

  /**
   * {@code HOST:GUEST}, or {@code PORT} for the same port on both sides.
   *
   * @throws IllegalArgumentException with a message for the user when the text is not that
   */
  public static PortForward parse(String text) {
    String t = text.trim();
    try {
      int colon = t.indexOf(':');
      if (colon < 0) {
        int p = Integer.parseInt(t);
        return new PortForward(p, p);
      }
      return new PortForward(Integer.parseInt(t.substring(0, colon)), Integer.parseInt(t.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a port forward is HOST:GUEST or PORT (1 to 65535), not '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return hostPort + ":" + guestPort;
  }
}
