package org.mirage4j.dsl.ide.formatting;

import java.util.List;
import org.apache.log4j.Logger;
import org.eclipse.xtext.formatting2.regionaccess.ITextReplacement;
import org.eclipse.xtext.ide.server.formatting.FormattingService;
import org.eclipse.xtext.preferences.ITypedPreferenceValues;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.ITextRegion;

/**
 * Formatting with dsl's formatter, only for a file that parses: the layout of a file with syntax
 * errors is left alone (the user is in the middle of typing, and the formatter cannot know what the
 * broken part means). A formatter failure leaves the text as it is instead of failing the request.
 */
public class MirageFormattingService extends FormattingService {

  private static final Logger LOG = Logger.getLogger(MirageFormattingService.class);

  @Override
  protected List<ITextReplacement> format2(
      XtextResource resource, ITextRegion selection, ITypedPreferenceValues preferences) {
    if (resource == null
        || resource.getParseResult() == null
        || resource.getParseResult().hasSyntaxErrors()) {
      return List.of();
    }
    try {
      return super.format2(resource, selection, preferences);
    } catch (RuntimeException e) {
      LOG.warn("the formatter failed on " + resource.getURI() + "; the text is left as it is", e);
      return List.of();
    }
  }
}
