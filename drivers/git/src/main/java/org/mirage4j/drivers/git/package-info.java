/**
 * Git as a device: {@link org.mirage4j.drivers.git.GitKvRo}, a read-only store of one branch of a
 * Git remote (std's {@code git_kv_ro}, MirageOS's docteur), fetched into memory with Eclipse JGit.
 */
package org.mirage4j.drivers.git;
