package org.mirage4j.dsl.ide.hover;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.xtext.ide.server.hover.HoverContext;
import org.eclipse.xtext.ide.server.hover.HoverService;

/** Hover for {@code .mirage}: what a name is, as {@link MirageHoverText} describes it. */
@Singleton
public class MirageHoverService extends HoverService {

  @Inject private MirageHoverText text;

  @Override
  protected MarkupContent getMarkupContent(HoverContext ctx) {
    String contents = getContents(ctx.getElement());
    if (contents == null || contents.isBlank()) {
      return null;
    }
    return toMarkupContent(getKind(ctx), contents);
  }

  @Override
  public String getContents(EObject element) {
    if (element == null || element.eIsProxy()) {
      return "";
    }
    try {
      return text.describe(element);
    } catch (RuntimeException e) {
      // a half-typed file may leave the model in any state: no hover rather than an error
      return "";
    }
  }
}
