package org.mirage4j.api.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A handler that dispatches on the method and the path, so that a job does not parse paths by
 * hand:
 *
 * <pre>{@code
 * HttpHandler api = Router.builder()
 *     .get("/kv/{key...}", this::get)
 *     .put("/kv/{key...}", this::put)
 *     .delete("/kv/{key...}", this::delete)
 *     .get("/health", request -> HttpResponse.text(200, "ok\n"))
 *     .build();
 * }</pre>
 *
 * <p>A pattern is a path of {@code /}-separated segments, each a literal, a parameter {@code
 * {name}} that matches one non-empty segment, or, last, {@code {name...}} that matches the rest of
 * the path (zero or more segments, {@code /} included). Matching is on the decoded path; the
 * values are in {@link HttpRequest#pathParam}. When several patterns match, the most specific wins:
 * segment by segment, a literal beats a parameter, which beats a rest parameter.
 *
 * <p>Methods: {@code HEAD} is served by the {@code GET} route unless it has its own (the server
 * sends no body); {@code OPTIONS} is answered {@code 204} with {@code Allow} unless routed; a path
 * that matches only routes of other methods is answered {@code 405} with {@code Allow}; a path
 * that matches nothing goes to the {@linkplain Builder#otherwise fallback}, by default {@code 404}.
 * A router is immutable and thread-safe.
 */
public final class Router implements HttpHandler {

  private enum Kind {
    LITERAL,
    PARAM,
    REST
  }

  private record Segment(Kind kind, String text) {}

  private record Route(String method, String pattern, List<Segment> segments, HttpHandler handler) {
    /** The parameters if {@code path} (split into segments) matches, else {@code null}. */
    Map<String, String> match(String[] path) {
      Map<String, String> params = null;
      int n = segments.size();
      for (int i = 0; i < n; i++) {
        Segment s = segments.get(i);
        if (s.kind == Kind.REST) {
          if (path.length <= i) {
            return null; // '/files/{p...}' matches '/files/' and below, not '/files'
          }
          StringBuilder rest = new StringBuilder();
          for (int j = i; j < path.length; j++) {
            if (j > i) {
              rest.append('/');
            }
            rest.append(path[j]);
          }
          if (params == null) {
            params = new LinkedHashMap<>();
          }
          params.put(s.text, rest.toString());
          return params;
        }
        if (i >= path.length) {
          return null;
        }
        if (s.kind == Kind.LITERAL) {
          if (!s.text.equals(path[i])) {
            return null;
          }
        } else {
          if (path[i].isEmpty()) {
            return null;
          }
          if (params == null) {
            params = new LinkedHashMap<>();
          }
          params.put(s.text, path[i]);
        }
      }
      if (path.length != n) {
        return null;
      }
      return params == null ? Map.of() : params;
    }

    /** The pattern with parameter names erased: two routes of one shape match the same paths. */
    String shape() {
      StringBuilder b = new StringBuilder();
      for (Segment s : segments) {
        b.append('/').append(switch (s.kind) {
          case LITERAL -> "L" + s.text;
          case PARAM -> "{}";
          case REST -> "{...}";
        });
      }
      return b.toString();
    }
  }

  /** More specific first: segment by segment, literal before parameter before rest. */
  private static final Comparator<Route> SPECIFICITY =
      (a, b) -> {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
          int c = a.segments.get(i).kind.compareTo(b.segments.get(i).kind);
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(b.segments.size(), a.segments.size());
      };

  private final List<Route> routes;
  private final HttpHandler otherwise;

  private Router(List<Route> routes, HttpHandler otherwise) {
    this.routes = routes;
    this.otherwise = otherwise;
  }

  /** Starts a router. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HttpResponse handle(HttpRequest request) throws IOException {
    String path = request.path();
    if (!path.startsWith("/")) {
      return otherwise.handle(request); // OPTIONS *
    }
    String[] segments = path.substring(1).split("/", -1);
    String method = request.method();
    Route best = null;
    Map<String, String> bestParams = null;
    Route bestGet = null;
    Map<String, String> bestGetParams = null;
    Set<String> allowed = null;
    for (Route route : routes) { // sorted most specific first
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (route.method.equals(method)) {
        best = route;
        bestParams = params;
        break;
      }
      if (method.equals("HEAD") && route.method.equals("GET") && bestGet == null) {
        bestGet = route;
        bestGetParams = params;
      }
      if (allowed == null) {
        allowed = new LinkedHashSet<>();
      }
      allowed.add(route.method);
    }
    if (best == null && bestGet != null) {
      best = bestGet;
      bestParams = bestGetParams;
    }
    if (best != null) {
      return best.handler.handle(request.withPathParams(bestParams));
    }
    if (allowed == null) {
      return otherwise.handle(request);
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    String allow = String.join(", ", allowed);
    if (method.equals("OPTIONS")) {
      return HttpResponse.empty(204).withHeader("Allow", allow);
    }
    return HttpResponse.text(405, "405 Method Not Allowed: " + method + " " + path + " (allowed: " + allow + ")\n")
        .withHeader("Allow", allow);
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Route r : routes) {
      names.add(r.method + " " + r.pattern);
    }
    return "Router" + names;
  }

  /** Collects routes; {@link #build()} makes the router. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private HttpHandler otherwise = request -> HttpResponse.text(404, "404 Not Found: " + request.path() + "\n");

    private Builder() {}

    /** Routes {@code GET} (and {@code HEAD}) of {@code pattern} to {@code handler}. */
    public Builder get(String pattern, HttpHandler handler) {
      return route("GET", pattern, handler);
    }

    /** Routes {@code POST} of {@code pattern} to {@code handler}. */
    public Builder post(String pattern, HttpHandler handler) {
      return route("POST", pattern, handler);
    }

    /** Routes {@code PUT} of {@code pattern} to {@code handler}. */
    public Builder put(String pattern, HttpHandler handler) {
      return route("PUT", pattern, handler);
    }

    /** Routes {@code DELETE} of {@code pattern} to {@code handler}. */
    public Builder delete(String pattern, HttpHandler handler) {
      return route("DELETE", pattern, handler);
    }

    /** Routes {@code PATCH} of {@code pattern} to {@code handler}. */
    public Builder patch(String pattern, HttpHandler handler) {
      return route("PATCH", pattern, handler);
    }

    /**
     * Routes {@code method} of {@code pattern} to {@code handler}.
     *
     * @throws IllegalArgumentException if the method is not a token, the pattern is malformed, or a
     *     route of the same method already matches exactly the same paths
     */
    public Builder route(String method, String pattern, HttpHandler handler) {
      Objects.requireNonNull(handler, "handler");
      if (method == null || method.isEmpty() || !method.chars().allMatch(Builder::tokenChar)) {
        throw new IllegalArgumentException("not an HTTP method: " + method);
      }
      Route route = new Route(method, pattern, parse(pattern), handler);
      for (Route r : routes) {
        if (r.method.equals(method) && r.shape().equals(route.shape())) {
          throw new IllegalArgumentException(
              "route " + method + " " + pattern + " matches the same paths as " + r.method + " " + r.pattern);
        }
      }
      routes.add(route);
      return this;
    }

    /** Where requests that match no pattern go (default: {@code 404}). */
    public Builder otherwise(HttpHandler handler) {
      this.otherwise = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The router. */
    public Router build() {
      List<Route> sorted = new ArrayList<>(routes);
      sorted.sort(SPECIFICITY); // stable: registration order among equals
      return new Router(List.copyOf(sorted), otherwise);
    }

    private static boolean tokenChar(int c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static List<Segment> parse(String pattern) {
      if (pattern == null || !pattern.startsWith("/")) {
        throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
      }
      String[] parts = pattern.substring(1).split("/", -1);
      List<Segment> segments = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        if (p.startsWith("{") && p.endsWith("}") && p.length() > 2) {
          String name = p.substring(1, p.length() - 1);
          Kind kind = Kind.PARAM;
          if (name.endsWith("...")) {
            kind = Kind.REST;
            name = name.substring(0, name.length() - 3);
            if (i != parts.length - 1) {
              throw new IllegalArgumentException(
                  "'{" + name + "...}' must be the last segment of the pattern " + pattern);
            }
          }
          if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))
              || !name.chars().allMatch(Character::isJavaIdentifierPart)) {
            throw new IllegalArgumentException("bad parameter name '" + name + "' in pattern " + pattern);
          }
          if (!names.add(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' twice in pattern " + pattern);
          }
          segments.add(new Segment(kind, name));
        } else {
          if (p.indexOf('{') >= 0 || p.indexOf('}') >= 0) {
            throw new IllegalArgumentException(
                "a parameter must be a whole segment, such as /{id}: " + pattern);
          }
          segments.add(new Segment(Kind.LITERAL, p));
        }
      }
      return segments;
    }
  }
}
