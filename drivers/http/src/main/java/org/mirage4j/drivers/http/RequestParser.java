package org.mirage4j.drivers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mirage4j.api.Flow;
import org.mirage4j.api.http.HttpRequest;

/** Reads one HTTP/1.x request (RFC 9112) from a {@link FlowInput}, enforcing the server's limits. */
final class RequestParser {

  /** What was read: the request, its protocol minor version and whether the client wants to keep the connection. */
  record Parsed(HttpRequest request, int minorVersion, boolean keepAlive) {}

  private static final int MAX_EMPTY_LINES = 8;
  private static final int MAX_CHUNK_LINE = 1024;

  private final StackHttpServer.Limits limits;

  RequestParser(StackHttpServer.Limits limits) {
    this.limits = limits;
  }

  /**
   * Reads the next request.
   *
   * @param continueTo where to send {@code 100 Continue} when the client expects it
   * @return the request, or {@code null} when the client closed the connection between requests
   * @throws HttpError for a request the server refuses
   */
  Parsed read(FlowInput in, Flow continueTo) throws IOException, HttpError {
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

    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3) {
      throw new HttpError(400, "malformed request line");
    }
    String method = parts[0];
    String target = parts[1];
    String version = parts[2];
    if (method.isEmpty() || !isToken(method)) {
      throw new HttpError(400, "malformed method");
    }
    int minor = parseVersion(version);

    Map<String, List<String>> headers = new LinkedHashMap<>();
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
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new HttpError(400, "obsolete line folding in header section");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new HttpError(400, "malformed header field");
      }
      String name = line.substring(0, colon);
      if (!isToken(name)) {
        throw new HttpError(400, "malformed header field name");
      }
      String value = line.substring(colon + 1).strip();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new HttpError(400, "control character in header field value");
        }
      }
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }

    List<String> hosts = headers.getOrDefault("host", List.of());
    if (minor >= 1 && hosts.size() != 1 || hosts.size() > 1) {
      throw new HttpError(400, "an HTTP/1.1 request needs exactly one Host header");
    }

    Target parsedTarget = parseTarget(method, target);
    boolean keepAlive = keepAlive(minor, headers.getOrDefault("connection", List.of()));
    byte[] body = readBody(in, headers, continueTo, minor);
    HttpRequest request =
        new HttpRequest(method, parsedTarget.path(), parsedTarget.query(), headers, body);
    return new Parsed(request, minor, keepAlive);
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
    boolean close = false;
    boolean keep = false;
    for (String value : connection) {
      for (String token : value.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        close |= t.equals("close");
        keep |= t.equals("keep-alive");
      }
    }
    if (close) {
      return false;
    }
    return minor >= 1 || keep;
  }

  private byte[] readBody(FlowInput in, Map<String, List<String>> headers, Flow continueTo, int minor)
      throws IOException, HttpError {
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
      sendContinue(headers, continueTo);
      return readChunked(in);
    }
    if (contentLength == null) {
      return new byte[0];
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
    if (length > 0 && minor >= 1) {
      sendContinue(headers, continueTo);
    }
    return in.readExactly((int) length);
  }

  private static void sendContinue(Map<String, List<String>> headers, Flow flow) throws IOException {
    for (String expect : headers.getOrDefault("expect", List.of())) {
      if (expect.equalsIgnoreCase("100-continue")) {
        flow.write(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        return;
      }
    }
  }

  private byte[] readChunked(FlowInput in) throws IOException, HttpError {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int trailerBudget = limits.maxHeaderBytes();
    try {
      while (true) {
        String line = in.readLine(MAX_CHUNK_LINE);
        if (line == null) {
          throw new java.io.EOFException("stream ended inside a chunked body");
        }
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          throw new HttpError(400, "malformed chunk size");
        }
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
          break;
        }
        if (body.size() + size > limits.maxBodyBytes()) {
          throw new HttpError(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
        }
        body.write(in.readExactly((int) size));
        String end = in.readLine(2);
        if (end == null || !end.isEmpty()) {
          throw new HttpError(400, "chunk not followed by CRLF");
        }
      }
      while (true) {
        String trailer = in.readLine(trailerBudget);
        if (trailer == null) {
          throw new java.io.EOFException("stream ended inside the trailer section");
        }
        trailerBudget -= trailer.length() + 2;
        if (trailer.isEmpty()) {
          return body.toByteArray();
        }
      }
    } catch (FlowInput.LineTooLong e) {
      throw new HttpError(400, "chunk line or trailer section too long");
    }
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
    String lower = rest.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      int authorityStart = lower.indexOf("//") + 2;
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
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new HttpError(400, "dot segment in path");
      }
    }
    return path;
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
