package org.mirage4j.drivers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the head of one HTTP/1.x request (RFC 9112) from a {@link FlowInput}, enforcing the server's
 * limits, and decides how its body is framed; {@link BodyInput} then reads the body.
 */
final class RequestParser {

  /**
   * What was read.
   *
   * @param method the method
   * @param path the decoded path
   * @param query the raw query
   * @param headers header fields, names lower-cased
   * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
   * @param keepAlive whether the client wants to keep the connection
   * @param contentLength the body's length; -1 for a chunked body
   * @param expectContinue whether the client waits for {@code 100 Continue} before sending the body
   */
  record Head(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      int minorVersion,
      boolean keepAlive,
      long contentLength,
      boolean expectContinue) {

    boolean chunked() {
      return contentLength < 0;
    }
  }

  private static final int MAX_EMPTY_LINES = 8;

  private final StackHttpServer.Limits limits;

  RequestParser(StackHttpServer.Limits limits) {
    this.limits = limits;
  }

  /**
   * Reads the next request's head.
   *
   * @return the head, or {@code null} when the client closed the connection between requests
   * @throws HttpError for a request the server refuses
   */
  Head read(FlowInput in) throws IOException, HttpError {
    int budget = limits.maxHeaderBytes();
    String requestLine;
    int empty = 0;
    try {
      while (true) {
        requestLine = in.readLine(budget);
        if (requestLine == null) {
          return null;
        }
        if (!requestLine.isEmpty()) {
          break;
        }
        // RFC 9112 2.2: ignore at least one empty line before the request line.
        if (++empty > MAX_EMPTY_LINES) {
          throw new HttpError(400, "too many empty lines before the request");
        }
      }
    } catch (FlowInput.LineTooLong e) {
      throw new HttpError(414, "request line longer than " + limits.maxHeaderBytes() + " bytes");
    }
    budget -= requestLine.length() + 2;

    int sp1 = requestLine.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
      throw new HttpError(400, "malformed request line");
    }
    String method = requestLine.substring(0, sp1);
    String target = requestLine.substring(sp1 + 1, sp2);
    String version = requestLine.substring(sp2 + 1);
    if (!isToken(method)) {
      throw new HttpError(400, "malformed method");
    }
    int minor = parseVersion(version);

    Map<String, List<String>> headers = new HashMap<>();
    int count = 0;
    while (true) {
      String line;
      try {
        line = in.readLine(budget);
      } catch (FlowInput.LineTooLong e) {
        throw new HttpError(431, "header section larger than " + limits.maxHeaderBytes() + " bytes");
      }
      if (line == null) {
        throw new java.io.EOFException("stream ended inside the header section");
      }
      budget -= line.length() + 2;
      if (line.isEmpty()) {
        break;
      }
      if (++count > limits.maxHeaderCount()) {
        throw new HttpError(431, "more than " + limits.maxHeaderCount() + " header fields");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new HttpError(400, "obsolete line folding in header section");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new HttpError(400, "malformed header field");
      }
      String name = lowerToken(line, colon);
      if (name == null) {
        throw new HttpError(400, "malformed header field name");
      }
      String value = line.substring(colon + 1).strip();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new HttpError(400, "control character in header field value");
        }
      }
      List<String> values = headers.get(name);
      if (values == null) {
        headers.put(name, List.of(value));
      } else {
        List<String> more = new ArrayList<>(values);
        more.add(value);
        headers.put(name, more);
      }
    }

    List<String> hosts = headers.getOrDefault("host", List.of());
    if (minor >= 1 && hosts.size() != 1 || hosts.size() > 1) {
      throw new HttpError(400, "an HTTP/1.1 request needs exactly one Host header");
    }

    Target parsedTarget = parseTarget(method, target);
    boolean keepAlive = keepAlive(minor, headers.get("connection"));
    long length = bodyLength(headers, minor);
    boolean expectContinue = false;
    List<String> expect = headers.get("expect");
    if (expect != null) {
      for (String e : expect) {
        if (!e.equalsIgnoreCase("100-continue")) {
          throw new HttpError(417, "unsupported expectation: " + e);
        }
      }
      // RFC 9110 10.1.1: ignore it from an HTTP/1.0 client, and when there is no body to wait for
      expectContinue = minor >= 1 && length != 0;
    }
    return new Head(
        method, parsedTarget.path(), parsedTarget.query(), headers, minor, keepAlive, length, expectContinue);
  }

  /** The name before {@code colon}, lower-cased, or {@code null} if it is not a token. */
  private static String lowerToken(String line, int colon) {
    boolean lower = true;
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        lower = false;
      } else if (!tokenChar(c)) {
        return null;
      }
    }
    String name = line.substring(0, colon);
    return lower ? name : name.toLowerCase(Locale.ROOT);
  }

  private static int parseVersion(String version) throws HttpError {
    if (version.length() != 8 || !version.startsWith("HTTP/") || version.charAt(6) != '.') {
      throw new HttpError(400, "malformed HTTP version");
    }
    char major = version.charAt(5);
    char minor = version.charAt(7);
    if (major < '0' || major > '9' || minor < '0' || minor > '9') {
      throw new HttpError(400, "malformed HTTP version");
    }
    if (major != '1') {
      throw new HttpError(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    }
    return minor - '0';
  }

  private static boolean keepAlive(int minor, List<String> connection) {
    if (connection == null) {
      return minor >= 1;
    }
    boolean close = false;
    boolean keep = false;
    for (String value : connection) {
      for (String token : value.split(",")) {
        String t = token.strip();
        close |= t.equalsIgnoreCase("close");
        keep |= t.equalsIgnoreCase("keep-alive");
      }
    }
    if (close) {
      return false;
    }
    return minor >= 1 || keep;
  }

  /** The body's length from the framing headers: 0 for none, -1 for chunked. */
  private long bodyLength(Map<String, List<String>> headers, int minor) throws HttpError {
    List<String> transferEncoding = headers.get("transfer-encoding");
    List<String> contentLength = headers.get("content-length");
    if (transferEncoding != null) {
      if (contentLength != null) {
        throw new HttpError(400, "both Transfer-Encoding and Content-Length");
      }
      if (minor == 0) {
        throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      String codings = String.join(",", transferEncoding).strip().toLowerCase(Locale.ROOT);
      if (!codings.equals("chunked")) {
        throw new HttpError(501, "unsupported transfer coding: " + codings);
      }
      return -1;
    }
    if (contentLength == null) {
      return 0;
    }
    long length = -1;
    for (String value : contentLength) {
      for (String item : value.split(",", -1)) {
        String digits = item.strip();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new HttpError(400, "malformed Content-Length");
        }
        long parsed = Long.parseLong(digits);
        if (length >= 0 && parsed != length) {
          throw new HttpError(400, "conflicting Content-Length values");
        }
        length = parsed;
      }
    }
    if (length > limits.maxBodyBytes()) {
      throw new HttpError(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
    }
    return length;
  }

  /** The decoded path and raw query of a request target. */
  record Target(String path, String query) {}

  static Target parseTarget(String method, String target) throws HttpError {
    String rest = target;
    if (rest.equals("*")) {
      if (!method.equals("OPTIONS")) {
        throw new HttpError(400, "'*' is only a target for OPTIONS");
      }
      return new Target("*", "");
    }
    if (!rest.startsWith("/")
        && (rest.regionMatches(true, 0, "http://", 0, 7) || rest.regionMatches(true, 0, "https://", 0, 8))) {
      int authorityStart = rest.indexOf("//") + 2;
      int slash = rest.indexOf('/', authorityStart);
      int question = rest.indexOf('?', authorityStart);
      if (slash < 0 || (question >= 0 && question < slash)) {
        rest = "/" + (question >= 0 ? rest.substring(question) : "");
      } else {
        rest = rest.substring(slash);
      }
    }
    if (!rest.startsWith("/")) {
      throw new HttpError(400, "request target must start with '/'");
    }
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\' || c == '"' || c == '<' || c == '>') {
        throw new HttpError(400, "invalid character in request target");
      }
    }
    int question = rest.indexOf('?');
    String rawPath = question >= 0 ? rest.substring(0, question) : rest;
    String query = question >= 0 ? rest.substring(question + 1) : "";
    return new Target(decodePath(rawPath), query);
  }

  /**
   * Percent-decodes a path as UTF-8, refusing what could confuse a handler about where the path
   * leads: encoded {@code /} or {@code \}, NUL and other control characters, invalid encodings, and
   * {@code .} or {@code ..} segments.
   */
  static String decodePath(String raw) throws HttpError {
    if (raw.indexOf('%') < 0) {
      // nothing to decode (the target's characters are checked to be printable ASCII)
      checkSegments(raw);
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new HttpError(400, "truncated percent-encoding in path");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new HttpError(400, "invalid percent-encoding in path");
        }
        int b = hi * 16 + lo;
        if (b == '/' || b == '\\') {
          throw new HttpError(400, "encoded separator in path");
        }
        if (b < 0x20 || b == 0x7f) {
          throw new HttpError(400, "encoded control character in path");
        }
        bytes.write(b);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    String path;
    try {
      path =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "path is not valid UTF-8");
    }
    checkSegments(path);
    return path;
  }

  private static void checkSegments(String path) throws HttpError {
    int start = 0;
    int n = path.length();
    while (start <= n) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      int len = end - start;
      if ((len == 1 && path.charAt(start) == '.')
          || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
        throw new HttpError(400, "dot segment in path");
      }
      start = end + 1;
    }
  }

  static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!tokenChar(s.charAt(i))) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  static boolean tokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
