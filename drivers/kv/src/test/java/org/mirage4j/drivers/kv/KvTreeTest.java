package org.mirage4j.drivers.kv;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;

/** The tree of a store that knows its files up front: dictionaries from paths, conflicts refused. */
class KvTreeTest {

  @Test
  void dictionariesComeFromThePathsSortedByName() throws Exception {
    KvTree<Integer> t = KvTree.<Integer>builder().add("b/z.txt", 1).add("a.txt", 2).add("b/c/d", 3).build();
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.list("")).containsExactly(new Entry("a.txt", Kind.VALUE), new Entry("b", Kind.DICTIONARY)).inOrder();
    assertThat(t.list("/b/")).containsExactly(new Entry("c", Kind.DICTIONARY), new Entry("z.txt", Kind.VALUE)).inOrder();
    assertThat(t.exists("b/c")).isEqualTo(Optional.of(Kind.DICTIONARY));
    assertThat(t.exists("b/c/d")).isEqualTo(Optional.of(Kind.VALUE));
    assertThat(t.exists("nothing")).isEmpty();
    assertThat(t.file("/b/c/d")).isEqualTo(3);
    assertThat(t.isFile("b/z.txt")).isTrue();
    assertThrows(KvException.NotFound.class, () -> t.file("b"));
    assertThrows(KvException.NotFound.class, () -> t.list("a.txt"));
  }

  @Test
  void aPathTwiceOrAFileThatIsAlsoADirectoryIsRefused() {
    KvTree.Builder<Integer> b = KvTree.<Integer>builder().add("a/b", 1);
    assertThat(assertThrows(IllegalArgumentException.class, () -> b.add("a/b", 2)))
        .hasMessageThat().isEqualTo("duplicate path 'a/b'");
    assertThat(assertThrows(IllegalArgumentException.class, () -> b.add("a", 2)))
        .hasMessageThat().isEqualTo("duplicate path 'a'");
    assertThat(assertThrows(IllegalArgumentException.class, () -> b.add("a/b/c", 2)))
        .hasMessageThat().isEqualTo("'a/b' is both a file and a directory");
  }
}
