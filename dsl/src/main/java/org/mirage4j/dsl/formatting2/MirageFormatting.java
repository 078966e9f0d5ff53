package org.mirage4j.dsl.formatting2;

import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.formatting2.FormatterRequest;
import org.eclipse.xtext.formatting2.IFormatter2;
import org.eclipse.xtext.formatting2.regionaccess.ITextRegionAccess;
import org.eclipse.xtext.formatting2.regionaccess.ITextReplacement;
import org.eclipse.xtext.formatting2.regionaccess.TextRegionAccessBuilder;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * The canonical layout of a {@code .mirage} file, for {@code mirage format} and editors: Xtext's
 * formatter ({@link MirageFormatter}) applied to the text. Only the layout changes (spaces, line
 * breaks, indentation, blank lines); tokens and comments are kept.
 */
public final class MirageFormatting {

  private MirageFormatting() {}

  /** The text cannot be formatted because it does not parse. */
  public static final class SyntaxError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  /**
   * Formats a configuration.
   *
   * @param text the file's text
   * @param fileName the name shown in the message of a syntax error
   * @return the text in the canonical layout (formatting it again changes nothing)
   * @throws SyntaxError when the text does not parse ({@code file:line:col: error: message} of the
   *     first syntax error): a broken file is left as it is
   */
  public static String format(String text, String fileName) {
    Injector injector = MirageFrontEnd.injector();
    XtextResourceSet resourceSet = injector.getInstance(XtextResourceSet.class);
    XtextResource resource =
        (XtextResource) resourceSet.createResource(URI.createURI("format:/" + fileName.replace('\\', '/')));
    try {
      resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Resource.Diagnostic> errors = resource.getErrors();
    if (!errors.isEmpty()) {
      Resource.Diagnostic first = errors.get(0);
      int offset =
          first instanceof org.eclipse.xtext.diagnostics.AbstractDiagnostic d ? Math.max(0, d.getOffset()) : 0;
      throw new SyntaxError(
          new SourceLocator().locate(resource, fileName, offset) + ": error: " + first.getMessage());
    }
    ITextRegionAccess regions = injector.getInstance(TextRegionAccessBuilder.class).forNodeModel(resource).create();
    FormatterRequest request = injector.getInstance(FormatterRequest.class);
    request.setTextRegionAccess(regions);
    request.setAllowIdentityEdits(false);
    request.setFormatUndefinedHiddenRegionsOnly(false);
    List<ITextReplacement> replacements = injector.getInstance(IFormatter2.class).format(request);
    String result = regions.getRewriter().renderToString(regions.regionForDocument(), replacements);
    resourceSet.getResources().clear();
    return result;
  }
}
