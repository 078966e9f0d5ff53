package org.mirage4j.api.http;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RouterTest {

  /** A handler that names its route and the parameters it got. */
  static HttpHandler named(String name) {
    return request -> HttpResponse.text(200, name + " " + request.pathParams());
  }

  static HttpResponse call(HttpHandler h, String method, String path) throws IOException {
    return h.handle(HttpRequest.builder(method, path).build());
  }

  final Router router =
      Router.builder()
          .get("/", named("root"))
          .get("/items", named("list"))
          .post("/items", named("create"))
          .get("/items/{id}", named("show"))
          .put("/items/{id}", named("replace"))
          .delete("/items/{id}", named("remove"))
          .get("/items/new", named("form"))
          .get("/items/{id}/tags/{tag}", named("tag"))
          .get("/files/{path...}", named("file"))
          .route("PURGE", "/cache/{key}", named("purge"))
          .build();

  @Test
  void dispatchesOnMethodAndPathWithParameters() throws Exception {
    assertThat(call(router, "GET", "/").bodyText()).isEqualTo("root {}");
    assertThat(call(router, "GET", "/items").bodyText()).isEqualTo("list {}");
    assertThat(call(router, "POST", "/items").bodyText()).isEqualTo("create {}");
    assertThat(call(router, "GET", "/items/42").bodyText()).isEqualTo("show {id=42}");
    assertThat(call(router, "PUT", "/items/42").bodyText()).isEqualTo("replace {id=42}");
    assertThat(call(router, "DELETE", "/items/a b").bodyText()).isEqualTo("remove {id=a b}");
    assertThat(call(router, "GET", "/items/7/tags/red").bodyText()).isEqualTo("tag {id=7, tag=red}");
    assertThat(call(router, "PURGE", "/cache/x").bodyText()).isEqualTo("purge {key=x}");
  }

  @Test
  void aLiteralSegmentBeatsAParameter() throws Exception {
    assertThat(call(router, "GET", "/items/new").bodyText()).isEqualTo("form {}");
    // the literal route has no PUT; the parameter route does
    assertThat(call(router, "PUT", "/items/new").bodyText()).isEqualTo("replace {id=new}");
  }

  @Test
  void aRestParameterTakesTheRestOfThePath() throws Exception {
    assertThat(call(router, "GET", "/files/a/b/c.txt").bodyText()).isEqualTo("file {path=a/b/c.txt}");
    assertThat(call(router, "GET", "/files/").bodyText()).isEqualTo("file {path=}");
    assertThat(call(router, "GET", "/files").status()).isEqualTo(404);
  }

  @Test
  void parametersMatchOneNonEmptySegment() throws Exception {
    assertThat(call(router, "GET", "/items/").status()).isEqualTo(404);
    assertThat(call(router, "GET", "/items/1/2").status()).isEqualTo(404);
    assertThat(call(router, "GET", "/nothing").status()).isEqualTo(404);
  }

  @Test
  void headUsesGetAndOptionsAndOtherMethodsGetAllow() throws Exception {
    assertThat(call(router, "HEAD", "/items/1").bodyText()).isEqualTo("show {id=1}");
    HttpResponse options = call(router, "OPTIONS", "/items/1");
    assertThat(options.status()).isEqualTo(204);
    assertThat(options.header("allow")).hasValue("GET, PUT, DELETE, HEAD, OPTIONS");
    HttpResponse patch = call(router, "PATCH", "/items/1");
    assertThat(patch.status()).isEqualTo(405);
    assertThat(patch.header("Allow")).hasValue("GET, PUT, DELETE, HEAD, OPTIONS");
    assertThat(call(router, "POST", "/items/1").status()).isEqualTo(405);
  }

  @Test
  void theFallbackGetsWhatMatchesNothing() throws Exception {
    Router r = Router.builder().get("/a", named("a")).otherwise(named("fallback")).build();
    assertThat(call(r, "GET", "/b").bodyText()).isEqualTo("fallback {}");
    assertThat(call(r, "OPTIONS", "*").bodyText()).isEqualTo("fallback {}");
    assertThat(call(r, "POST", "/a").status()).isEqualTo(405); // the path matches: not the fallback
  }

  @Test
  void badPatternsAndDuplicatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Router.builder().get("items", named("x")));
    assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a/{rest...}/b", named("x")));
    assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a/x{id}", named("x")));
    assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a/{1x}", named("x")));
    assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a/{id}/{id}", named("x")));
    assertThrows(IllegalArgumentException.class, () -> Router.builder().route("BAD METHOD", "/", named("x")));
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> Router.builder().get("/a/{id}", named("x")).get("/a/{name}", named("y")));
    assertThat(dup).hasMessageThat().contains("matches the same paths as GET /a/{id}");
    Router.builder().get("/a/{id}", named("x")).put("/a/{name}", named("y")).build(); // other method: fine
  }

  @Test
  void aMissingPathParameterIsAProgrammingError() {
    HttpRequest r = HttpRequest.builder("GET", "/").build().withPathParams(java.util.Map.of("id", "1"));
    assertThat(r.pathParam("id")).isEqualTo("1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.pathParam("key"));
    assertThat(e).hasMessageThat().contains("no path parameter 'key'");
  }

  @Test
  void queryParametersAreDecoded() {
    HttpRequest r = HttpRequest.builder("GET", "/s?q=a+b&x=%C3%A9&flag&q=2&bad=%zz").build();
    assertThat(r.queryParams().get("q")).containsExactly("a b", "2").inOrder();
    assertThat(r.queryParam("x")).hasValue("é");
    assertThat(r.queryParam("flag")).hasValue("");
    assertThat(r.queryParam("bad")).hasValue("%zz");
    assertThat(r.queryParam("none")).isEmpty();
  }
}
