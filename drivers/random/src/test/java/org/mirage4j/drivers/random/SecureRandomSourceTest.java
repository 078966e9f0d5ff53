package org.mirage4j.drivers.random;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecureRandomSourceTest {

  @Test
  void fillProducesDifferentNonZeroBytes() throws Exception {
    SecureRandomSource random = new SecureRandomSource();
    random.connect();
    byte[] a = new byte[64];
    byte[] b = new byte[64];
    random.fill(a);
    random.fill(b);
    // Each check fails by chance with probability 2^-512.
    assertThat(a).isNotEqualTo(new byte[64]);
    assertThat(Arrays.equals(a, b)).isFalse();
    random.close();
  }

  @Test
  void nextIntStaysInBoundsAndCoversThem() {
    SecureRandomSource random = new SecureRandomSource();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      int v = random.nextInt(6);
      assertThat(v).isAtLeast(0);
      assertThat(v).isLessThan(6);
      seen.add(v);
    }
    assertThat(seen).hasSize(6);
  }

  @Test
  void nextIntRejectsNonPositiveBound() {
    SecureRandomSource random = new SecureRandomSource();
    assertThrows(IllegalArgumentException.class, () -> random.nextInt(0));
    assertThrows(IllegalArgumentException.class, () -> random.nextInt(-3));
  }

  @Test
  void nextLongVaries() {
    SecureRandomSource random = new SecureRandomSource();
    Set<Long> values = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      values.add(random.nextLong());
    }
    assertThat(values.size()).isGreaterThan(95);
  }
}
