/**
 * The resolved device graph of one unikernel for one target: plain immutable records, produced by
 * lowering a checked {@code config.mirage} and consumed by the generator. Nothing here knows about
 * Xtext or EMF, so the generator is tested by building these records directly.
 *
 * <p>Every node carries the {@link org.mirage4j.model.SourceLocation} of the {@code config.mirage}
 * text it came from, so that any later stage can report problems against the user's file.
 */
package org.mirage4j.model;
