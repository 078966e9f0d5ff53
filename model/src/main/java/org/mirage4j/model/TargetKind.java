package org.mirage4j.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What kind of program a target builds; the generator has one backend per kind. A target's kind is
 * declared in the language ({@code target xen : xen_guest arch x86_64 (bzImage)} in {@code
 * std.mirage}), so a new target of an existing kind needs no Java.
 */
public enum TargetKind {
  /** The unikernel as a host JVM process, with a launcher script. */
  PROCESS("process"),
  /**
   * A bootable Xen guest: a minimal Linux hosting the JVM, with the {@code .xl} and libvirt
   * configurations that attach its disks and NICs.
   */
  XEN_GUEST("xen_guest");

  private final String word;

  TargetKind(String word) {
    this.word = word;
  }

  /** The word the language uses ({@code process}, {@code xen_guest}). */
  public String word() {
    return word;
  }

  /** The kind the language calls {@code word}. */
  public static Optional<TargetKind> of(String word) {
    return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst();
  }

  /** Every kind's word, in declaration order. */
  public static List<String> words() {
    return Arrays.stream(values()).map(TargetKind::word).toList();
  }
}
