package org.mirage4j.dsl.ide.contentassist;

import com.google.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.ParserRule;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScope;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.scoping.MirageResourceDescriptionStrategy;

/**
 * Completion: keywords (words only, not punctuation), and names from the scope; where a device,
 * key or driver is expected, drivers and device functions too, since the user is about to call
 * one (the scope of a name written without parentheses holds only what may be named bare).
 */
public class MirageContentProposalProvider extends IdeContentProposalProvider {

  @Inject private IGlobalScopeProvider globalScopeProvider;

  @Override
  protected boolean filterKeyword(Keyword keyword, ContentAssistContext context) {
    String k = keyword.getValue();
    return !k.isEmpty() && Character.isLetter(k.charAt(0));
  }

  @Override
  protected void _createProposals(
      CrossReference reference, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
    Set<String> proposed = new HashSet<>();
    IIdeContentProposalAcceptor recording =
        new IIdeContentProposalAcceptor() {
          @Override
          public void accept(ContentAssistEntry entry, int priority) {
            if (entry != null && proposed.add(entry.getProposal())) {
              acceptor.accept(entry, priority);
            }
          }

          @Override
          public boolean canAcceptMoreProposals() {
            return acceptor.canAcceptMoreProposals();
          }
        };
    super._createProposals(reference, context, recording);
    if (isNamedReference(reference)) {
      proposeCallables(reference, context, recording);
    }
  }

  private static boolean isNamedReference(CrossReference reference) {
    Assignment a = GrammarUtil.containingAssignment(reference);
    ParserRule rule = GrammarUtil.containingParserRule(reference);
    return a != null && "ref".equals(a.getFeature()) && rule != null && "RefExpr".equals(rule.getName());
  }

  private void proposeCallables(
      CrossReference reference, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
    Resource resource = context.getResource();
    if (resource == null) {
      return;
    }
    MirageCrossrefProposalProvider crossrefs = (MirageCrossrefProposalProvider) getCrossrefProposalProvider();
    // this file's own drivers and device functions
    if (!resource.getContents().isEmpty() && resource.getContents().get(0) instanceof MirageFile file) {
      for (Element e : file.getElements()) {
        if ((e instanceof DriverDecl d && d.getName() != null)
            || (e instanceof DeviceDecl dev && dev.getName() != null && !dev.getParams().isEmpty())) {
          String name = e instanceof DriverDecl d ? d.getName() : ((DeviceDecl) e).getName();
          accept(crossrefs, EObjectDescription.create(QualifiedName.create(name), e), reference, context, acceptor);
        }
      }
    }
    // those of the imported files and of the standard library
    IScope global =
        globalScopeProvider.getScope(
            resource,
            MiragePackage.Literals.REF_EXPR__REF,
            d -> "true".equals(d.getUserData(MirageResourceDescriptionStrategy.CALLABLE)));
    for (IEObjectDescription d : global.getAllElements()) {
      if (!acceptor.canAcceptMoreProposals()) {
        return;
      }
      accept(crossrefs, d, reference, context, acceptor);
    }
  }

  private void accept(
      MirageCrossrefProposalProvider crossrefs,
      IEObjectDescription d,
      CrossReference reference,
      ContentAssistContext context,
      IIdeContentProposalAcceptor acceptor) {
    ContentAssistEntry entry = crossrefs.createProposal(d, reference, context);
    if (entry != null) {
      acceptor.accept(entry, getProposalPriorities().getCrossRefPriority(d, entry));
    }
  }

}
