/**
 * Key-value store drivers: {@link org.mirage4j.drivers.kv.DirectoryKvRo} and {@link
 * org.mirage4j.drivers.kv.DirectoryKvRw} over a directory read at run time, and {@link
 * org.mirage4j.drivers.kv.CrunchKvRo} over resources the generator embedded in the build.
 *
 * <p>All three parse keys the same way: {@code /}-separated segments relative to the root, leading
 * and trailing {@code /} ignored; a segment {@code .} or {@code ..}, an empty segment, a backslash, a
 * NUL or another control character is refused with {@link org.mirage4j.api.KvException.BadKey}, and
 * the directory stores also refuse a key that reaches outside the root through a symbolic link.
 */
package org.mirage4j.drivers.kv;
