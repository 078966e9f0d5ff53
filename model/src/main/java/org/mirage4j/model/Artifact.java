package org.mirage4j.model;

import java.util.Objects;

/**
 * A Maven artifact that provides a driver class.
 *
 * @param groupId the group
 * @param artifactId the artifact
 * @param version the version, or empty to mean mirage4j's own version
 */
public record Artifact(String groupId, String artifactId, String version) implements Comparable<Artifact> {

  /** Requires every component. */
  public Artifact {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(version, "version");
  }

  /** {@code groupId:artifactId[:version]}. */
  @Override
  public String toString() {
    return groupId + ":" + artifactId + (version.isEmpty() ? "" : ":" + version);
  }

  @Override
  public int compareTo(Artifact o) {
    return toString().compareTo(o.toString());
  }
}
