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
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.ChoiceTypeExpr;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.Param;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.IScopeProvider;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.dsl.typing.MirageTypes;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.mirage4j.dsl.scoping.MirageResourceDescriptionStrategy;

/**
 * Completion: keywords (words only, not punctuation), and names from the scope; where a device,
 * key or driver is expected, drivers and device functions too, since the user is about to call
 * one (the scope of a name written without parentheses holds only what may be named bare). Inside
 * an argument, the names whose type fits the parameter come first ({@link ExpectedType}).
 */
public class MirageContentProposalProvider extends IdeContentProposalProvider {

  /** The priority of a name whose type fits the argument being written (above every other). */
  static final int FITTING_PRIORITY = 1000;

  @Inject private IGlobalScopeProvider globalScopeProvider;

  @Inject private MirageTypes types;

  @Inject private IScopeProvider scopeProvider;

  @Override
  protected boolean filterKeyword(Keyword keyword, ContentAssistContext context) {
    String k = keyword.getValue();
    return !k.isEmpty() && Character.isLetter(k.charAt(0));
  }

  @Override
  protected void _createProposals(
      CrossReference reference, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
    Set<String> proposed = new HashSet<>();
    ExpectedType.Expected expected = isNamedReference(reference) ? expected(context) : null;
    IIdeContentProposalAcceptor recording =
        new IIdeContentProposalAcceptor() {
          @Override
          public void accept(ContentAssistEntry entry, int priority) {
            if (entry != null && proposed.add(entry.getProposal())) {
              acceptor.accept(entry, expected != null && fits(expected, entry, context) ? FITTING_PRIORITY : priority);
            }
          }

          @Override
          public boolean canAcceptMoreProposals() {
            return acceptor.canAcceptMoreProposals();
          }
        };
    super._createProposals(reference, context, recording);
    if (isNamedReference(reference)) {
      if (expected != null) {
        // in `f(|)` the model at the cursor is the call itself, whose scope holds what can be
        // called: what can be named bare belongs here too
        proposeBare(reference, context, expected, recording);
      }
      proposeCallables(reference, context, recording);
    }
  }

  /** The type of the argument at the cursor, if the cursor is in one. */
  private ExpectedType.Expected expected(ContentAssistContext context) {
    try {
      String prefix = context.getPrefix() == null ? "" : context.getPrefix();
      return ExpectedType.at(context.getRootNode(), context.getOffset() - prefix.length(), types);
    } catch (RuntimeException e) {
      return null; // ranking is a nicety: the proposals come in their usual order
    }
  }

  /** Whether the name an entry proposes has the expected type. */
  private boolean fits(ExpectedType.Expected expected, ContentAssistEntry entry, ContentAssistContext context) {
    if (!(entry.getSource() instanceof IEObjectDescription d)) {
      return false;
    }
    EObject obj = d.getEObjectOrProxy();
    if (obj != null && obj.eIsProxy() && context.getResource() != null) {
      obj = EcoreUtil.resolve(obj, context.getResource());
    }
    try {
      return obj instanceof Named n && !obj.eIsProxy() && expected.fits(types, n);
    } catch (RuntimeException e) {
      return false;
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

  private void proposeBare(
      CrossReference reference,
      ContentAssistContext context,
      ExpectedType.Expected expected,
      IIdeContentProposalAcceptor acceptor) {
    Resource resource = context.getResource();
    if (resource == null || resource.getContents().isEmpty()
        || !(resource.getContents().get(0) instanceof MirageFile file)) {
      return;
    }
    MirageCrossrefProposalProvider crossrefs = (MirageCrossrefProposalProvider) getCrossrefProposalProvider();
    List<IEObjectDescription> names = new ArrayList<>();
    // the values of an expected choice, the parameters of the enclosing device function
    if (expected.declared() instanceof ChoiceTypeExpr choice) {
      for (ChoiceValue v : choice.getValues()) {
        if (v.getName() != null) {
          // a value that is not a name is proposed as the string it is written as
          names.add(EObjectDescription.create(
              QualifiedName.create(org.mirage4j.model.ValueType.Choice.show(v.getName())), v));
        }
      }
    }
    DeviceDecl device = EcoreUtil2.getContainerOfType(context.getCurrentModel(), DeviceDecl.class);
    if (device != null) {
      for (Param p : device.getParams()) {
        if (p.getName() != null) {
          names.add(EObjectDescription.create(QualifiedName.create(p.getName()), p));
        }
      }
    }
    // what the file sees bare: its keys and devices, those it imports, the standard library's
    for (IEObjectDescription d : scopeProvider.getScope(file, MiragePackage.Literals.REF_EXPR__REF).getAllElements()) {
      names.add(d);
    }
    for (IEObjectDescription d : names) {
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
