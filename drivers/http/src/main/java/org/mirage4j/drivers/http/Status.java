package org.mirage4j.drivers.http;

import java.util.Map;

/** Reason phrases of the status codes. */
final class Status {
  private Status() {}

  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(100, "Continue"),
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(204, "No Content"),
          Map.entry(206, "Partial Content"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(303, "See Other"),
          Map.entry(304, "Not Modified"),
          Map.entry(307, "Temporary Redirect"),
          Map.entry(308, "Permanent Redirect"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(408, "Request Timeout"),
          Map.entry(411, "Length Required"),
          Map.entry(413, "Content Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(416, "Range Not Satisfiable"),
          Map.entry(417, "Expectation Failed"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(431, "Request Header Fields Too Large"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(505, "HTTP Version Not Supported"));

  /** The reason phrase of {@code status}, or a generic one. */
  static String reason(int status) {
    String reason = REASONS.get(status);
    if (reason != null) {
      return reason;
    }
    return switch (status / 100) {
      case 2 -> "Success";
      case 3 -> "Redirection";
      case 4 -> "Client Error";
      default -> "Server Error";
    };
  }

  /** Whether a response with {@code status} never has a body. */
  static boolean bodyless(int status) {
    return status == 204 || status == 304 || status < 200;
  }
}
