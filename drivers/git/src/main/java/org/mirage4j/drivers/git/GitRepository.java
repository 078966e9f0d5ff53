package org.mirage4j.drivers.git;

import org.eclipse.jgit.lib.Repository;
import org.mirage4j.api.Device;

/**
 * std's type {@code git}: a Git repository a job fetches into, commits to and pushes from, with
 * Eclipse JGit's API (MirageOS's {@code Git.S} store, used with its {@code Sync} module).
 */
public interface GitRepository extends Device {

  /** The repository, once connected. */
  Repository repository();
}
