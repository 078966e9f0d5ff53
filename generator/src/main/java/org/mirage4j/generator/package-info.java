/**
 * The mirage4j generator: turns a resolved device graph ({@link org.mirage4j.model.UnikernelModel})
 * into the Java wiring of one unikernel and the deployment files of its target.
 *
 * <p>{@link org.mirage4j.generator.MirageGenerator} is the one entry point. It checks what only the
 * generator can check, then asks one writer per concept for its output ({@link
 * org.mirage4j.generator.WiringWriter} with {@link org.mirage4j.generator.OptionsWriter} for the
 * Java class, {@link org.mirage4j.generator.XenConfigWriter} for {@code .xl} and {@code .xl.in},
 * {@link org.mirage4j.generator.LibvirtWriter}, {@link org.mirage4j.generator.LauncherWriter},
 * {@link org.mirage4j.generator.CrunchWriter}) and hands everything to {@link
 * org.mirage4j.generator.OutputFiles}, which alone touches the file system and never replaces or
 * deletes a file it did not write. Problems go to one sink, {@link
 * org.mirage4j.generator.Diagnostics}, against the user's {@code config.mirage} where possible.
 */
package org.mirage4j.generator;
