package org.mirage4j.drivers.blockkv;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;
import org.mirage4j.drivers.block.FileBlock;

class BlockKvRwTest {

  @TempDir Path tmp;
  Path image;
  FileBlock disk;
  BlockKvRw kv;

  @BeforeEach
  void setUp() throws IOException {
    image = tmp.resolve("store.img");
    open();
  }

  private void open() throws IOException {
    disk = new FileBlock(image.toString(), 8L << 20);
    disk.connect();
    kv = new BlockKvRw(disk);
    kv.connect();
  }

  @AfterEach
  void tearDown() throws IOException {
    kv.close();
    disk.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void setThenGetWithImplicitDictionaries() throws IOException {
    kv.set("a/b/c.txt", utf8("one"));
    kv.set("/top", utf8("two"));
    kv.set("a-b", utf8("sorts between 'a' and 'a/'"));
    assertThat(kv.get("a/b/c.txt")).isEqualTo(utf8("one"));
    assertThat(kv.get("/a/b/c.txt/")).isEqualTo(utf8("one")); // the same key, spelt loosely
    assertThat(kv.exists("a/b")).hasValue(Kind.DICTIONARY);
    assertThat(kv.exists("a/b/c.txt")).hasValue(Kind.VALUE);
    assertThat(kv.exists("a/c")).isEmpty();
    assertThat(kv.exists("")).hasValue(Kind.DICTIONARY);
    assertThat(kv.list("")).containsExactly(new Entry("a", Kind.DICTIONARY),
        new Entry("a-b", Kind.VALUE), new Entry("top", Kind.VALUE)).inOrder();
    assertThat(kv.list("a")).containsExactly(new Entry("b", Kind.DICTIONARY));
    assertThrows(KvException.NotFound.class, () -> kv.list("top"));
    assertThrows(KvException.NotFound.class, () -> kv.list("nothing"));
    kv.set("top", utf8("replaced"));
    assertThat(kv.get("top")).isEqualTo(utf8("replaced"));
    assertThrows(KvException.NotFound.class, () -> kv.get("a"));
  }

  @Test
  void sizesDigestsPartsAndTimes() throws Exception {
    Instant before = Instant.now().minusMillis(1);
    kv.set("v", utf8("0123456789"));
    assertThat(kv.size("v")).isEqualTo(10);
    assertThat(kv.digest("v")).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(utf8("0123456789"))));
    assertThat(new String(kv.getPartial("v", 3, 4).array(), StandardCharsets.UTF_8)).isEqualTo("3456");
    assertThat(kv.getPartial("v", 8, 100).remaining()).isEqualTo(2);
    assertThat(kv.getPartial("v", 100, 1).remaining()).isEqualTo(0);
    assertThat(kv.lastModified("v")).isAtLeast(before);
    assertThat(kv.lastModified("v")).isAtMost(Instant.now());
    assertThrows(KvException.NotFound.class, () -> kv.size("w"));
    assertThrows(IllegalArgumentException.class, () -> kv.getPartial("v", -1, 1));
  }

  @Test
  void badKeysAreRefused() {
    for (String key : new String[] {"../x", "a/../b", "a\\b", "a\u0001b", ""}) {
      assertThrows(KvException.BadKey.class, () -> kv.set(key, utf8("x")), key);
    }
    assertThrows(KvException.BadKey.class, () -> kv.remove(""));
    assertThrows(KvException.BadKey.class, () -> kv.get("./x"));
  }

  @Test
  void conflictsBetweenValuesAndDictionaries() throws IOException {
    kv.set("file", utf8("v"));
    KvException inTheWay = assertThrows(KvException.class, () -> kv.set("file/child", utf8("x")));
    assertThat(inTheWay).isNotInstanceOf(KvException.BadKey.class);
    assertThat(inTheWay).hasMessageThat().contains("a value is in the way of dictionary 'file'");
    kv.set("dir/child", utf8("x"));
    assertThat(assertThrows(KvException.class, () -> kv.set("dir", utf8("x"))))
        .hasMessageThat().contains("'dir' is a dictionary");
    assertThat(kv.get("dir/child")).isEqualTo(utf8("x"));
  }

  @Test
  void removeValuesAndWholeDictionaries() throws IOException {
    kv.set("d/e/f", utf8("1"));
    kv.set("d/g", utf8("2"));
    kv.set("d-", utf8("a neighbour, not inside d"));
    kv.set("h", utf8("3"));
    kv.remove("h");
    assertThat(kv.exists("h")).isEmpty();
    kv.remove("d");
    assertThat(kv.exists("d")).isEmpty();
    assertThat(kv.list("")).containsExactly(new Entry("d-", Kind.VALUE));
    kv.remove("never/was"); // absent: nothing happens
    assertThrows(KvException.NotFound.class, () -> kv.get("h"));
  }

  @Test
  void renameMovesAndReplaces() throws IOException {
    kv.set("a", utf8("A"));
    kv.set("b", utf8("B"));
    String digest = kv.digest("a");
    kv.rename("a", "sub/b2");
    assertThat(kv.exists("a")).isEmpty();
    assertThat(kv.get("sub/b2")).isEqualTo(utf8("A"));
    assertThat(kv.digest("sub/b2")).isEqualTo(digest);
    kv.rename("sub/b2", "b");
    assertThat(kv.get("b")).isEqualTo(utf8("A"));
    kv.rename("b", "b"); // onto itself: nothing changes
    assertThat(kv.get("b")).isEqualTo(utf8("A"));
    assertThrows(KvException.NotFound.class, () -> kv.rename("missing", "x"));
    assertThrows(KvException.BadKey.class, () -> kv.rename("b", "../b"));
    kv.set("dir/x", utf8("x"));
    assertThrows(KvException.class, () -> kv.rename("b", "dir"));
    assertThat(kv.get("b")).isEqualTo(utf8("A"));
  }

  @Test
  void everythingIsThereAfterReopening() throws IOException {
    byte[] big = new byte[300_000];
    Arrays.fill(big, (byte) 'z');
    kv.set("big", big);
    for (int i = 0; i < 100; i++) {
      kv.set("many/" + i, utf8("value " + i));
    }
    kv.remove("many/50");
    kv.close();
    disk.close();
    open();
    assertThat(kv.get("big")).isEqualTo(big);
    assertThat(kv.list("many")).hasSize(99);
    assertThat(kv.get("many/99")).isEqualTo(utf8("value 99"));
    assertThat(kv.exists("many/50")).isEmpty();
  }

  @Test
  void aStoreThatIsWrittenOftenKeepsFittingItsDisk() throws IOException {
    // 2,000 commits of 1 KiB on an 8 MiB disk: freed chunks are reused, the store does not grow
    byte[] value = new byte[1024];
    for (int i = 0; i < 2000; i++) {
      value[0] = (byte) i;
      kv.set("counter/" + (i % 20), value);
    }
    assertThat(kv.list("counter")).hasSize(20);
    assertThat(Files.size(image)).isEqualTo(8L << 20);
  }

  @Test
  void aFullDiskIsAnErrorNamingIt() throws IOException {
    byte[] value = new byte[512 * 1024];
    KvException e = assertThrows(KvException.class, () -> {
      for (int i = 0; i < 40; i++) {
        value[0] = (byte) i;
        kv.set("big/" + i, value);
      }
    });
    assertThat(e).hasMessageThat().contains("is full");
    assertThat(e).hasMessageThat().contains(image.toString());
    // what was committed before is still there, and removing makes room again
    assertThat(kv.get("big/0")[0]).isEqualTo((byte) 0);
    kv.remove("big");
    kv.set("small", utf8("fits"));
    assertThat(kv.get("small")).isEqualTo(utf8("fits"));
  }

  @Test
  void aOneMebibyteDiskTakesValuesOfTwoHundredKibibytes(@TempDir Path dir) throws IOException {
    // what docs/language.md promises for the default block_size
    FileBlock small = new FileBlock(dir.resolve("small.img").toString(), 1 << 20);
    small.connect();
    BlockKvRw store = new BlockKvRw(small);
    store.connect();
    store.set("v", new byte[200 * 1024]);
    store.set("v", new byte[200 * 1024]); // and again, in the space the first one freed
    assertThat(store.size("v")).isEqualTo(200 * 1024);
    assertThrows(KvException.class, () -> store.set("w", new byte[300 * 1024]));
    store.close();
    small.close();
  }

  @Test
  void aValueTooLargeForOneCommitSaysWhatToDo() {
    KvException e = assertThrows(KvException.class, () -> kv.set("huge", new byte[3 << 20]));
    assertThat(e).hasMessageThat().contains("does not fit the store's journal");
    assertThat(e).hasMessageThat().contains("give the store a larger disk");
  }

  @Test
  void readersNeverSeeAHalfWrittenValue() throws Exception {
    byte[] a = new byte[256 * 1024];
    byte[] b = new byte[256 * 1024];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    kv.set("big", a);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        while (!done.get()) {
          byte[] got = kv.get("big");
          if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
            failure.set(new AssertionError("torn read of " + got.length + " bytes"));
            return;
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    for (int i = 0; i < 20; i++) {
      kv.set("big", i % 2 == 0 ? b : a);
    }
    done.set(true);
    reader.join();
    assertThat(failure.get()).isNull();
  }

  @Test
  void aDiskOfOtherDataIsRefusedUntouched() throws IOException {
    Path other = tmp.resolve("other.img");
    byte[] content = new byte[1 << 20];
    content[0] = 'E';
    content[1] = 'X';
    Files.write(other, content);
    FileBlock otherDisk = new FileBlock(other.toString(), 1 << 20);
    otherDisk.connect();
    IOException e = assertThrows(IOException.class, () -> new BlockKvRw(otherDisk).connect());
    assertThat(e).hasMessageThat().contains("not a mirage4j key-value store");
    assertThat(Files.readAllBytes(other)).isEqualTo(content);
    otherDisk.close();
  }
}
