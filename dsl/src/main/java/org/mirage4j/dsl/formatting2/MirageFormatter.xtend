package org.mirage4j.dsl.formatting2

import org.eclipse.emf.ecore.EObject
import org.eclipse.xtext.formatting2.AbstractFormatter2
import org.eclipse.xtext.formatting2.IFormattableDocument
import org.eclipse.xtext.formatting2.regionaccess.IHiddenRegion
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegion
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegionsFinder
import org.eclipse.xtext.resource.XtextResource
import org.mirage4j.dsl.mirage.ChoiceTypeExpr
import org.mirage4j.dsl.mirage.DeviceDecl
import org.mirage4j.dsl.mirage.DriverDecl
import org.mirage4j.dsl.mirage.HostResource
import org.mirage4j.dsl.mirage.JobDecl
import org.mirage4j.dsl.mirage.ListExpr
import org.mirage4j.dsl.mirage.ListTypeExpr
import org.mirage4j.dsl.mirage.MatchExpr
import org.mirage4j.dsl.mirage.MirageFile
import org.mirage4j.dsl.mirage.Param
import org.mirage4j.dsl.mirage.RefExpr

/**
 * The canonical layout of a .mirage file (std.mirage is written in it):
 * <ul>
 * <li>one declaration per line; a blank line between declarations of different kinds, and where the
 *     user left one between declarations of the same kind (never more than one);
 * <li>single spaces between tokens; {@code key name : type}, {@code ) : type}, but {@code name: type}
 *     for parameters; {@code f(a, b)}, {@code [a, b]}, {@code choice(a, b)}, {@code key@group},
 *     {@code Class::factory};
 * <li>a driver's {@code on}/{@code needs}/{@code from} on a continuation line indented by a tab (from
 *     its {@code =} when the header was broken there);
 * <li>{@code match ... {} with one case per line, indented by a tab, the closing brace on its own line;
 * <li>a line break the user wrote after a comma or an opening parenthesis of an argument list, or
 *     before a doc string, is kept (indented); every other break is removed.
 * </ul>
 * Formatting twice gives the same text. Comments are kept where they are.
 */
class MirageFormatter extends AbstractFormatter2 {

	override format(Object obj, IFormattableDocument doc) {
		if (obj instanceof MirageFile) {
			formatFile(obj as MirageFile, doc)
		} else if (obj instanceof XtextResource) {
			_format(obj as XtextResource, doc)
		} else if (obj instanceof EObject) {
			formatObject(obj as EObject, doc)
		}
	}

	def private ISemanticRegionsFinder r(EObject o) {
		textRegionExtensions.regionFor(o)
	}

	def private void formatFile(MirageFile file, IFormattableDocument doc) {
		val top = file.eContents.sortBy[textRegionExtensions.regionForEObject(it).offset]
		var EObject previous = null
		for (e : top) {
			if (previous === null) {
				if (!textRegionExtensions.previousHiddenRegion(e).containsComment) {
					doc.prepend(e)[setNewLines(0, 0, 0)]
				}
			} else if (kind(previous) == kind(e)) {
				doc.prepend(e)[setNewLines(1, 1, 2)]
			} else {
				doc.prepend(e)[setNewLines(2, 2, 2)]
			}
			doc.format(e)
			previous = e
		}
		if (previous !== null) {
			doc.append(previous)[setNewLines(1, 1, 1)]
		}
	}

	/** Declarations of one kind may follow each other without a blank line. */
	def private static String kind(EObject e) {
		if (e instanceof DeviceDecl) {
			val d = e as DeviceDecl
			if (!d.params.empty) return 'function'
			if (d.value instanceof MatchExpr) return 'match'
		}
		e.eClass.name
	}

	def private void formatObject(EObject o, IFormattableDocument doc) {
		val f = r(o)
		val wraps = o instanceof RefExpr || o instanceof JobDecl || o instanceof ListExpr
		for (s : f.keywords('(')) {
			if ((o instanceof RefExpr || o instanceof JobDecl) && s.nextHiddenRegion.multiline) {
				doc.append(s)[newLine]
			} else {
				doc.append(s)[noSpace]
			}
		}
		for (s : f.keywords(')')) {
			doc.prepend(s)[noSpace]
		}
		for (s : f.keywords('[')) {
			doc.append(s)[noSpace]
		}
		for (s : f.keywords(']')) {
			doc.prepend(s)[noSpace]
		}
		for (s : f.keywords(',')) {
			doc.prepend(s)[noSpace]
			keepBreak(s.nextHiddenRegion, wraps, doc)
		}
		if (wraps) {
			val open = f.keyword(if (o instanceof ListExpr) '[' else '(')
			val close = f.keyword(if (o instanceof ListExpr) ']' else ')')
			if (open !== null && close !== null) {
				doc.interior(open, close)[indent]
			}
		}
		for (s : f.keywords('::')) {
			doc.surround(s)[noSpace]
		}
		for (s : f.keywords('@')) {
			doc.surround(s)[noSpace]
		}
		for (s : f.keywords('=', '->')) {
			if (o instanceof DriverDecl && s == continuation(o as DriverDecl, f)) {
				doc.append(s)[oneSpace]
			} else {
				doc.surround(s)[oneSpace]
			}
		}
		if (o instanceof Param) {
			val colon = f.keyword(':')
			if (colon !== null) {
				doc.prepend(colon)[noSpace]
				doc.append(colon)[oneSpace]
			}
		} else {
			for (s : f.keywords(':')) {
				doc.surround(s)[oneSpace]
			}
		}
		// a call, a parameter list, a type constructor: no space before its '('
		if (o instanceof RefExpr || o instanceof HostResource || o instanceof ChoiceTypeExpr ||
			o instanceof ListTypeExpr || o instanceof DriverDecl || o instanceof DeviceDecl || o instanceof JobDecl) {
			val open = f.keyword('(')
			if (open !== null) {
				doc.prepend(open)[noSpace]
			}
		}
		if (o instanceof DriverDecl) {
			formatDriver(o as DriverDecl, f, doc)
		} else if (o instanceof MatchExpr) {
			formatMatch(o as MatchExpr, f, doc)
		} else {
			for (s : f.keywords('unikernel', 'targets', 'target', 'arch', 'type', 'device', 'key', 'job', 'import',
				'required', 'as', 'runtime', 'configure', 'grouped')) {
				doc.append(s)[oneSpace]
				if (!isFirst(o, s)) {
					doc.prepend(s)[oneSpace]
				}
			}
		}
		formatDoc(o, f, doc)
		for (child : o.eContents) {
			doc.format(child)
		}
	}

	/** One space, or one line break where the user wrote one and the construct allows it. */
	def private void keepBreak(IHiddenRegion h, boolean allowed, IFormattableDocument doc) {
		if (h.containsComment) {
			return
		}
		if (allowed && h.multiline) {
			doc.set(h)[newLine]
		} else {
			doc.set(h)[oneSpace]
		}
	}

	def private boolean isFirst(EObject o, ISemanticRegion s) {
		textRegionExtensions.regionForEObject(o).offset == s.offset
	}

	/** A doc string: one space before it, or its own indented line if it was written on one. */
	def private void formatDoc(EObject o, ISemanticRegionsFinder f, IFormattableDocument doc) {
		val feature = o.eClass.getEStructuralFeature('doc')
		if (feature === null) {
			return
		}
		val d = f.feature(feature)
		if (d === null) {
			return
		}
		val before = d.previousHiddenRegion
		if (before.containsComment) {
			return
		}
		if (before.multiline) {
			doc.prepend(d)[newLine]
			// a driver's continuation line is indented already
			if (!(o instanceof DriverDecl && continuation(o as DriverDecl, r(o)) !== null)) {
				doc.set(before, d.nextHiddenRegion)[indent]
			}
		} else {
			doc.prepend(d)[oneSpace]
		}
	}

	def private void formatDriver(DriverDecl d, ISemanticRegionsFinder f, IFormattableDocument doc) {
		doc.append(f.keyword('driver'))[oneSpace]
		val on = f.keyword('on')
		val needs = f.keyword('needs')
		val from = f.keyword('from')
		val first = continuation(d, f)
		for (s : #[on, needs, from].filterNull) {
			doc.append(s)[oneSpace]
			if (s != first) {
				doc.prepend(s)[oneSpace]
			}
		}
		val eq = f.keyword('=')
		if (eq !== null && eq == first) {
			val next = #[on, needs, from].filterNull.head
			if (next !== null) {
				doc.prepend(next)[newLine]
			}
		}
		if (first !== null) {
			doc.prepend(first)[newLine]
			doc.set(first.previousHiddenRegion, textRegionExtensions.nextHiddenRegion(d))[indent]
		}
	}

	/**
	 * Where a driver's continuation line starts: at its '=' when the user broke the line there (a long
	 * header), else at the first of 'on', 'needs', 'from'; null when the driver has none of these.
	 */
	def private ISemanticRegion continuation(DriverDecl d, ISemanticRegionsFinder f) {
		val eq = f.keyword('=')
		if (eq !== null && eq.previousHiddenRegion.multiline && !eq.previousHiddenRegion.containsComment) {
			return eq
		}
		#[f.keyword('on'), f.keyword('needs'), f.keyword('from')].filterNull.head
	}

	def private void formatMatch(MatchExpr m, ISemanticRegionsFinder f, IFormattableDocument doc) {
		doc.append(f.keyword('match'))[oneSpace]
		val open = f.keyword('{')
		val close = f.keyword('}')
		if (open === null || close === null) {
			return
		}
		doc.prepend(open)[oneSpace]
		doc.interior(open, close)[indent]
		for (c : m.cases) {
			doc.prepend(c)[newLine]
		}
		val ^default = f.keyword('default')
		if (^default !== null) {
			doc.prepend(^default)[newLine]
		}
		doc.prepend(close)[newLine]
	}
}
