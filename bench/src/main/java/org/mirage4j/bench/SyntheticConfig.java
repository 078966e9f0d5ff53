package org.mirage4j.bench;

/**
 * Synthetic configurations of a given number of devices: a binary tree of devices of a
 * benchmark-only driver, every one reached from the job, so that nothing is pruned.
 */
public final class SyntheticConfig {

  private SyntheticConfig() {}

  /** The text of a configuration with {@code devices} devices. */
  public static String of(int devices) {
    StringBuilder sb = new StringBuilder(64 * devices);
    sb.append("unikernel synthetic\n\n");
    sb.append("type thing = org.mirage4j.api.Console\n");
    sb.append("key port : port = 8080 \"a runtime key every node receives\"\n");
    sb.append("driver leaf(n: int) : thing = bench.Leaf on unix, xen, arm\n");
    sb.append("driver node(left: thing, right: thing, n: int, port: port) : thing = bench.Node on unix, xen, arm\n\n");
    for (int i = devices - 1; i >= 0; i--) {
      int left = 2 * i + 1;
      int right = 2 * i + 2;
      if (right < devices) {
        sb.append("device d").append(i).append(" = node(d").append(left).append(", d").append(right)
            .append(", ").append(i).append(", port)\n");
      } else if (left < devices) {
        sb.append("device d").append(i).append(" = node(d").append(left).append(", leaf(").append(-i)
            .append("), ").append(i).append(", port)\n");
      } else {
        sb.append("device d").append(i).append(" = leaf(").append(i).append(")\n");
      }
    }
    sb.append("\njob bench.Main(d0)\n");
    return sb.toString();
  }
}
