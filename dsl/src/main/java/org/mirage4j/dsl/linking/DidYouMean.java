package org.mirage4j.dsl.linking;

import java.util.Collection;
import java.util.Optional;

/** Finds the name the user probably meant: the closest candidate by edit distance. */
public final class DidYouMean {

  private DidYouMean() {}

  /**
   * The candidate closest to {@code typed}, if it is close enough to be a plausible typo (at most a
   * third of the name's length in edits, and at least one).
   */
  public static Optional<String> closest(String typed, Collection<String> candidates) {
    if (typed == null || typed.isEmpty()) {
      return Optional.empty();
    }
    int limit = Math.max(1, typed.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (c == null || c.equals(typed)) {
        continue;
      }
      int d = distance(typed.toLowerCase(), c.toLowerCase());
      if (d < bestDistance || d == bestDistance && best != null && c.compareTo(best) < 0) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** {@code "; did you mean 'x'?"} or the empty string. */
  public static String hint(String typed, Collection<String> candidates) {
    return closest(typed, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  /** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
