package org.mirage4j.drivers.kv;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;

/** Reads the fixtures under src/test/resources/META-INF/mirage/crunch, written in the generator's format. */
class CrunchKvRoTest {

  CrunchKvRo htdocs;

  @BeforeEach
  void setUp() throws IOException {
    htdocs = new CrunchKvRo("htdocs");
    htdocs.connect();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void readsEmbeddedFiles() throws IOException {
    assertThat(utf8(htdocs.get("index.html"))).isEqualTo("<html><body>hello</body></html>\n");
    assertThat(utf8(htdocs.get("/css/deck.css"))).isEqualTo("body { color: red; }\n");
    assertThat(htdocs.get("img/logo.png")).hasLength(12);
    assertThat(htdocs.get("empty.txt")).isEmpty();
    assertThat(htdocs.size("css/deck.css")).isEqualTo(21);
  }

  @Test
  void repeatedReadsReturnIndependentCopies() throws IOException {
    byte[] first = htdocs.get("index.html");
    first[0] = 'X';
    byte[] second = htdocs.get("index.html");
    assertThat(utf8(second)).isEqualTo("<html><body>hello</body></html>\n");
    assertThat(second).isNotSameInstanceAs(htdocs.get("index.html"));
  }

  @Test
  void digestIsTheSha256OfTheContent() throws IOException {
    for (String key : List.of("index.html", "css/deck.css", "img/logo.png", "empty.txt")) {
      String actual = Keys.hex(Keys.sha256().digest(htdocs.get(key)));
      assertThat(htdocs.digest(key)).isEqualTo(actual);
    }
    CrunchKvRo data = new CrunchKvRo("data");
    data.connect();
    assertThat(utf8(data.get("secret"))).isEqualTo("foo\n");
    assertThat(data.digest("secret")).isEqualTo(DirectoryKvRoTest.FOO_SHA256);
    assertThat(data.lastModified("secret")).isNotNull();
  }

  @Test
  void dictionariesComeFromThePaths() throws IOException {
    assertThat(htdocs.list(""))
        .containsExactly(
            new Entry("css", Kind.DICTIONARY),
            new Entry("docs", Kind.DICTIONARY),
            new Entry("empty.txt", Kind.VALUE),
            new Entry("img", Kind.DICTIONARY),
            new Entry("index.html", Kind.VALUE))
        .inOrder();
    assertThat(htdocs.list("docs")).containsExactly(new Entry("deep", Kind.DICTIONARY));
    assertThat(htdocs.list("/docs/deep/")).containsExactly(new Entry("note.txt", Kind.VALUE));
    assertThat(htdocs.exists("docs/deep")).hasValue(Kind.DICTIONARY);
    assertThat(htdocs.exists("docs/deep/note.txt")).hasValue(Kind.VALUE);
    assertThat(htdocs.exists("docs/shallow")).isEmpty();
  }

  @Test
  void missingKeysAreNotFound() {
    assertThrows(KvException.NotFound.class, () -> htdocs.get("missing.html"));
    assertThrows(KvException.NotFound.class, () -> htdocs.get("css"));
    assertThrows(KvException.NotFound.class, () -> htdocs.size("nope"));
    assertThrows(KvException.NotFound.class, () -> htdocs.digest("nope"));
    assertThrows(KvException.NotFound.class, () -> htdocs.list("index.html"));
    assertThrows(KvException.NotFound.class, () -> htdocs.getPartial("nope", 0, 1));
    // The index itself and files of other stores are not keys of this store.
    assertThrows(KvException.NotFound.class, () -> htdocs.get("files/index.html"));
  }

  @Test
  void keysThatLeaveTheRootAreRefused() {
    for (String key :
        List.of(
            "../index.tsv",
            "../../other/files/private.txt",
            "css/../../data/files/secret",
            "css\\deck.css",
            "index.html\0",
            "./index.html")) {
      assertThrows(KvException.BadKey.class, () -> htdocs.get(key), key);
    }
  }

  @Test
  void partialReads() throws IOException {
    ByteBuffer b = htdocs.getPartial("css/deck.css", 5, 4);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    assertThat(utf8(out)).isEqualTo("{ co");
    assertThat(htdocs.getPartial("css/deck.css", 19, 100).remaining()).isEqualTo(2);
    assertThat(htdocs.getPartial("css/deck.css", 21, 100).remaining()).isEqualTo(0);
    assertThrows(IllegalArgumentException.class, () -> htdocs.getPartial("css/deck.css", -1, 1));
  }

  @Test
  void nestedDirectoryNames() throws IOException {
    for (String dir : List.of("nested/dir", "/nested/dir/")) {
      CrunchKvRo kv = new CrunchKvRo(dir);
      kv.connect();
      assertThat(utf8(kv.get("a.txt"))).isEqualTo("nested\n");
    }
  }

  @Test
  void connectFailsForMissingOrInvalidDirectories() {
    IOException missing = assertThrows(IOException.class, () -> new CrunchKvRo("not-crunched").connect());
    assertThat(missing).hasMessageThat().contains("not-crunched");
    assertThrows(IOException.class, () -> new CrunchKvRo("../META-INF").connect());
    assertThrows(IOException.class, () -> new CrunchKvRo("").connect());
  }

  @Test
  void connectRejectsMalformedIndexes() {
    IOException fields = assertThrows(IOException.class, () -> new CrunchKvRo("bad-fields").connect());
    assertThat(fields).hasMessageThat().contains("index.tsv:1:");
    IOException escaping = assertThrows(IOException.class, () -> new CrunchKvRo("escaping").connect());
    assertThat(escaping).hasMessageThat().contains("bad key");
    IOException digest = assertThrows(IOException.class, () -> new CrunchKvRo("bad-digest").connect());
    assertThat(digest).hasMessageThat().contains("SHA-256");
  }

  @Test
  void anIndexThatDisagreesWithTheBuildFailsOnRead() throws IOException {
    CrunchKvRo lying = new CrunchKvRo("lying");
    lying.connect();
    IOException size = assertThrows(IOException.class, () -> lying.get("short.txt"));
    assertThat(size).hasMessageThat().contains("the index says 100");
    IOException absent = assertThrows(IOException.class, () -> lying.get("missing.txt"));
    assertThat(absent).isNotInstanceOf(KvException.class);
  }

  @Test
  void fallsBackToTheContextClassLoader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path base = tmp.resolve("META-INF/mirage/crunch/ctx");
    java.nio.file.Files.createDirectories(base.resolve("files"));
    java.nio.file.Files.writeString(base.resolve("files/k"), "v");
    String sha = Keys.hex(Keys.sha256().digest("v".getBytes(StandardCharsets.UTF_8)));
    java.nio.file.Files.writeString(base.resolve("index.tsv"), "k\t1\t" + sha + "\n");
    // The driver's own loader cannot see tmp; a context loader can.
    ClassLoader isolated = new java.net.URLClassLoader(new java.net.URL[0], null);
    CrunchKvRo kv = new CrunchKvRo("ctx", isolated);
    assertThrows(IOException.class, kv::connect);
    ClassLoader saved = Thread.currentThread().getContextClassLoader();
    try (java.net.URLClassLoader context =
        new java.net.URLClassLoader(new java.net.URL[] {tmp.toUri().toURL()}, null)) {
      Thread.currentThread().setContextClassLoader(context);
      kv.connect();
      assertThat(utf8(kv.get("k"))).isEqualTo("v");
    } finally {
      Thread.currentThread().setContextClassLoader(saved);
    }
  }

  @Test
  void useBeforeConnectIsAnError() {
    assertThrows(IllegalStateException.class, () -> new CrunchKvRo("htdocs").get("index.html"));
  }
}
