package org.mirage4j.dsl.validation

import com.google.inject.Inject
import java.util.ArrayList
import java.util.HashMap
import java.util.HashSet
import java.util.LinkedHashMap
import java.util.LinkedHashSet
import java.util.List
import java.util.Map
import java.util.Set
import org.eclipse.emf.ecore.EObject
import org.eclipse.emf.ecore.EStructuralFeature
import org.eclipse.xtext.EcoreUtil2
import org.eclipse.xtext.validation.Check
import org.eclipse.xtext.validation.CheckType
import org.mirage4j.dsl.SourceLocator
import org.mirage4j.dsl.StdLib
import org.mirage4j.dsl.javatypes.JavaTypeChecks
import org.mirage4j.dsl.linking.DidYouMean
import org.mirage4j.dsl.lowering.Lowering
import org.mirage4j.dsl.scoping.Visible
import org.mirage4j.model.Diagnostic
import org.mirage4j.dsl.mirage.Arg
import org.mirage4j.dsl.mirage.ChoiceValue
import org.mirage4j.dsl.mirage.DeviceDecl
import org.mirage4j.dsl.mirage.DriverDecl
import org.mirage4j.dsl.mirage.Element
import org.mirage4j.dsl.mirage.Expr
import org.mirage4j.dsl.mirage.HostResource
import org.mirage4j.dsl.mirage.Import
import org.mirage4j.dsl.mirage.JobDecl
import org.mirage4j.dsl.mirage.Unikernel
import org.mirage4j.dsl.mirage.KeyDecl
import org.mirage4j.dsl.mirage.KeyStage
import org.mirage4j.dsl.mirage.ListExpr
import org.mirage4j.dsl.mirage.Literal
import org.mirage4j.dsl.mirage.MatchExpr
import org.mirage4j.dsl.mirage.MirageFile
import org.mirage4j.dsl.mirage.MiragePackage
import org.mirage4j.dsl.mirage.Named
import org.mirage4j.dsl.mirage.Param
import org.mirage4j.dsl.mirage.RefExpr
import org.mirage4j.dsl.mirage.TargetDecl
import org.mirage4j.dsl.mirage.TypeDecl
import org.mirage4j.dsl.typing.MirageTypes
import org.mirage4j.dsl.typing.Ty
import org.mirage4j.model.TargetKind
import org.mirage4j.model.ValueType

import static org.mirage4j.dsl.mirage.MiragePackage.Literals.*

/**
 * The type checker of the language (which also checks imports, with a message of its own instead of
 * Xtext's ImportUriValidator). Every check reports against the user's text and names what
 * would fix the problem. Target-dependent problems are found by lowering the file for each target
 * it builds for, and shown here as warnings (they become errors for the target being generated).
 */
class MirageValidator extends AbstractMirageValidator {

	public static val DUPLICATE = 'duplicate'
	public static val UNUSED = 'unused'
	public static val BAD_ARGUMENT = 'badArgument'

	@Inject MirageTypes types

	/**
	 * A check that throws is a bug of the checker: say so at the element being checked, instead of
	 * Xtext's default of ignoring NullPointerExceptions (which would hide the problem and the bug).
	 */
	override protected handleExceptionDuringValidation(Throwable e) {
		val obj = currentObject
		if (obj === null) {
			super.handleExceptionDuringValidation(e)
			return
		}
		val frame = if (e.stackTrace.length > 0) ''' at «e.stackTrace.head»''' else ''
		error('''internal error in the checker, please report it: «e»«frame»''', obj, null)
	}

	// ------------------------------------------------------------------ file level

	@Check
	def checkUnikernelName(Unikernel u) {
		// a datatype rule's value joins its tokens with a space where the text had any
		if (u.name !== null && u.name.contains(' ')) {
			error('''a unikernel's name is written without spaces: «u.name.replace(' ', '')»''', u, UNIKERNEL__NAME)
		}
	}

	@Check
	def checkFile(MirageFile file) {
		if (file.unikernels.size > 1) {
			for (u : file.unikernels.tail) {
				error('''a file declares at most one unikernel; '«file.unikernels.head.name»' is already declared''',
					u, UNIKERNEL__NAME)
			}
		}
		if (file.unikernels.empty) {
			for (j : file.elements.filter(JobDecl)) {
				warning('''this job is ignored: the file has no 'unikernel' declaration (a library's jobs never run)''',
					j, JOB_DECL__JAVA_CLASS)
			}
		}
		checkDuplicates(file)
		checkCycles(file)
		if (!file.unikernels.empty) {
			checkUnused(file)
		}
	}

	@Check
	def checkTarget(TargetDecl t) {
		if (t.kind !== null && !TargetKind.of(t.kind).present) {
			error('''unknown target kind '«t.kind»'«DidYouMean.hint(t.kind, TargetKind.words)»; the generator builds «TargetKind.words.join(', ')»''',
				t, TARGET_DECL__KIND)
		}
		if (t.kind == TargetKind.XEN_GUEST.word) {
			for (a : t.arches.filter[kernelImage === null]) {
				error('''a guest architecture says the format of its kernel image: «a.name» (Image)''', a, ARCH_DECL__NAME)
			}
		}
	}

	@Check
	def checkImport(Import i) {
		if (i.importURI === null || i.importURI.blank) {
			error("the import names no file; write import \"other.mirage\"", i, IMPORT__IMPORT_URI)
			return
		}
		if (!i.importURI.endsWith(".mirage")) {
			error('''import '«i.importURI»' must name a .mirage file''', i, IMPORT__IMPORT_URI)
			return
		}
		val resource = i.eResource
		if (resource === null) {
			return
		}
		var uri = org.eclipse.emf.common.util.URI.createURI(i.importURI)
		if (uri.relative && resource.URI !== null && !resource.URI.relative) {
			uri = uri.resolve(resource.URI)
		}
		// a missing file may have been tried already (an empty resource): ask the file system
		val resourceSet = resource.resourceSet
		val loaded = resourceSet?.getResource(uri, false)
		val exists = (loaded !== null && !loaded.contents.empty) || (resourceSet !== null &&
			resourceSet.URIConverter.exists(resourceSet.URIConverter.normalize(uri), emptyMap))
		if (!exists) {
			error('''cannot find the imported file '«i.importURI»'; the path is relative to this file''', i, IMPORT__IMPORT_URI)
		}
	}

	/** Names are unique per kind: types, targets, callables (drivers, device functions) and values. */
	def private checkDuplicates(MirageFile file) {
		val Map<String, EObject> seenOther = new HashMap
		for (e : file.elements) {
			val ns = namespace(e)
			val name = nameOf(e)
			if (ns !== null && name !== null) {
				val key = ns + ':' + name
				val first = seenOther.get(key)
				if (first !== null) {
					error('''duplicate «kindName(e)» '«name»'; the first is at line «line(first)»; rename one''',
						e, nameFeature(e), DUPLICATE)
				} else {
					seenOther.put(key, e)
				}
			}
		}
		// shadowing across files: the standard library (a warning) and imports (an error)
		if (StdLib.isStd(file.eResource?.URI)) {
			return
		}
		val visible = Visible.files(file)
		for (other : visible.filter[it !== file]) {
			val isStd = StdLib.isStd(other.eResource?.URI)
			val Map<String, EObject> theirs = new HashMap
			for (e : other.elements) {
				val ns = namespace(e)
				if (ns !== null && nameOf(e) !== null) {
					theirs.put(ns + ':' + nameOf(e), e)
				}
			}
			for (e : file.elements) {
				val ns = namespace(e)
				val name = nameOf(e)
				if (ns !== null && name !== null) {
					val clash = theirs.get(ns + ':' + name)
					if (clash !== null) {
						if (isStd && kindName(e) != kindName(clash)) {
							// a device named like a standard key (MirageOS's `let net = default_network`):
							// it hides the key in this file only; std.mirage's own `match net` still reads the key
						} else if (isStd) {
							warning('''«kindName(e)» '«name»' shadows the standard library's «kindName(clash)» of the same name (std.mirage:«line(clash)»); rename it unless you mean to replace it''',
								e, nameFeature(e), DUPLICATE)
						} else {
							error('''«kindName(e)» '«name»' is already declared in «other.eResource.URI.lastSegment»:«line(clash)»; rename one''',
								e, nameFeature(e), DUPLICATE)
						}
					}
				}
			}
		}
	}

	def private String namespace(EObject e) {
		switch e {
			TypeDecl: 'type'
			TargetDecl: 'target'
			KeyDecl: 'value'
			DeviceDecl: if (e.params.empty) 'value' else 'callable'
			DriverDecl: 'callable'
			default: null
		}
	}

	def private String nameOf(EObject e) {
		switch e {
			TypeDecl: e.name
			TargetDecl: e.name
			KeyDecl: e.name
			DeviceDecl: e.name
			DriverDecl: e.name
			default: null
		}
	}

	def private nameFeature(EObject e) {
		switch e {
			TypeDecl: TYPE_DECL__NAME
			TargetDecl: TARGET_DECL__NAME
			KeyDecl: NAMED__NAME
			DeviceDecl: NAMED__NAME
			DriverDecl: NAMED__NAME
			default: null
		}
	}

	def private String kindName(EObject e) {
		switch e {
			TypeDecl: 'type'
			TargetDecl: 'target'
			KeyDecl: 'key'
			DeviceDecl: if (e.params.empty) 'device' else 'device function'
			DriverDecl: 'driver'
			default: 'declaration'
		}
	}

	def private int line(EObject e) {
		val node = org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(e)
		if (node === null) 0 else node.startLine
	}

	// ------------------------------------------------------------------ keys

	@Check
	def checkKey(KeyDecl key) {
		val type = types.valueType(key.type)
		if (type.empty) {
			return
		}
		if (key.^default !== null) {
			checkConstant(key.^default, type.get, '''the default of key '«key.name»' ''')
		} else if (!key.required && key.stage == KeyStage.CONFIGURE) {
			error('''configure key '«key.name»' needs a default or 'required': key «key.name» : «type.get.display» = <value> configure''',
				key, NAMED__NAME)
		} else if (!key.required && key.stage != KeyStage.CONFIGURE) {
			warning('''runtime key '«key.name»' has no default and is not required; add '= <value>' or 'required' ''',
				key, NAMED__NAME)
		}
		val seenAliases = new HashSet<String>
		for (var i = 0; i < key.aliases.size; i++) {
			val alias = key.aliases.get(i)
			val dashed = if (alias === null) '' else (if (alias.length == 1) '-' else '--') + alias.replace('_', '-')
			if (alias === null) {
				// a syntax error, reported by the parser
			} else if (key.stage == KeyStage.CONFIGURE) {
				error('''configure key '«key.name»' cannot have an alias: aliases are other names of a runtime key's command-line option''',
					key, MiragePackage.Literals.KEY_DECL__ALIASES, i, BAD_ARGUMENT)
			} else if (#['help', 'version', 'logs', 'l'].contains(alias)) {
				error('''alias «dashed» is built into every program (-l, --logs, --help, --version); choose another''',
					key, MiragePackage.Literals.KEY_DECL__ALIASES, i, BAD_ARGUMENT)
			} else if (alias == key.name || !seenAliases.add(alias)) {
				error('''alias «dashed» is already a name of key '«key.name»'; remove it''',
					key, MiragePackage.Literals.KEY_DECL__ALIASES, i, DUPLICATE)
			}
		}
		if (key.type instanceof org.mirage4j.dsl.mirage.ChoiceTypeExpr) {
			val names = new HashSet<String>
			for (v : (key.type as org.mirage4j.dsl.mirage.ChoiceTypeExpr).values) {
				if (v.name !== null && !names.add(v.name)) {
					error('''choice value '«v.name»' is listed twice''', v, NAMED__NAME)
				}
			}
		}
	}

	/** Checks that a constant expression fits the type expected where it stands. */
	def private checkConstant(Expr expr, ValueType expected, String what) {
		if (expr instanceof RefExpr) {
			val actual = types.typeOf(expr)
			if (expr.ref instanceof KeyDecl || expr.ref instanceof Param) {
				// a key or parameter: checked by type
				if (!types.isAssignable(new Ty.Val(expected), actual)) {
					error('''«what.trim» must be «MirageTypes.article(expected)», but «types.describe(expr)» is not''',
						expr, null, BAD_ARGUMENT)
				}
				return
			}
			if (!(expr.ref instanceof ChoiceValue) && !expr.ref.eIsProxy) {
				error('''«what.trim» must be «MirageTypes.article(expected)», not «types.describe(expr)»''', expr, null, BAD_ARGUMENT)
				return
			}
			if (expr.ref.eIsProxy) {
				return
			}
		}
		if (expr instanceof MatchExpr) {
			error('''«what.trim» must be a constant, not a match''', expr, null, BAD_ARGUMENT)
			return
		}
		val r = types.constant(expr, expected)
		if (r.problem !== null) {
			error('''«what.trim» does not fit: «r.problem»''', expr, null, BAD_ARGUMENT)
		}
	}

	// ------------------------------------------------------------------ applications

	@Check
	def checkRef(RefExpr ref) {
		val target = ref.ref
		if (target === null || target.eIsProxy) {
			return
		}
		if (ref.group !== null) {
			if (!(target instanceof KeyDecl) || (target as KeyDecl).stage == KeyStage.CONFIGURE) {
				error('''only a runtime key can be given a group; '«target.name»' is a «MirageTypes.kindOf(target)»''',
					ref, REF_EXPR__GROUP)
			}
		}
		if (target instanceof Param && ref.call) {
			error('''parameter '«target.name»' is a value and takes no arguments; remove the parentheses''', ref, REF_EXPR__REF)
			return
		}
		if (!(target instanceof DriverDecl || target instanceof DeviceDecl)) {
			return
		}
		val params = types.paramsOf(target)
		if (!ref.call && !params.empty) {
			// a bare driver whose parameters all have defaults
			return
		}
		checkArguments(ref, target, params)
	}

	def private checkArguments(RefExpr ref, Named callee, List<Param> params) {
		val what = '''«MirageTypes.kindOf(callee)» '«callee.name»' '''.toString.trim
		val Set<Param> bound = new LinkedHashSet
		var position = 0
		var named = false
		var unknownName = false
		for (arg : ref.args) {
			var Param p = null
			if (arg.name !== null) {
				named = true
				val n = arg.name
				p = params.findFirst[name == n]
				if (p === null) {
					unknownName = true
					error('''«what» has no parameter '«arg.name»'«DidYouMean.hint(arg.name, params.map[name].toList)» (parameters: «params.map[name].join(', ')»)''',
						arg, ARG__NAME, BAD_ARGUMENT)
				} else if (!bound.add(p)) {
					error('''parameter '«p.name»' of «what» is given twice''', arg, ARG__NAME, BAD_ARGUMENT)
				}
			} else {
				if (named) {
					error('''a positional argument cannot follow a named one; name it: «if (position < params.size) params.get(position).name else 'name'» = ...''',
						arg, null, BAD_ARGUMENT)
				}
				if (position < params.size) {
					p = params.get(position)
					bound.add(p)
				}
				position++
			}
			if (p !== null) {
				checkArgument(arg, p, callee, params.indexOf(p) + 1)
			}
		}
		if (unknownName || hasSyntaxError(ref)) {
			return // the count would only repeat the problem already reported
		}
		val required = params.filter[^default === null].toList
		val given = ref.args.size
		if (position > params.size) {
			error('''«what» expects «count(params.size, required.size)» («params.map[name].join(', ')»), but got «given»''',
				ref, null, BAD_ARGUMENT)
		} else {
			val missing = required.filter[!bound.contains(it)].toList
			if (!missing.empty) {
				error('''«what» expects «count(params.size, required.size)» («params.map[name].join(', ')»), but got «given»; missing: «missing.map[name].join(', ')»''',
					ref, null, BAD_ARGUMENT)
			}
		}
	}

	/** Whether a syntax error lies within the declaration that holds {@code obj} (its arguments may be lost). */
	def private boolean hasSyntaxError(EObject obj) {
		val resource = obj.eResource
		val holder = EcoreUtil2.getContainerOfType(obj, Element) ?: obj
		val node = org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(holder)
		if (resource === null || node === null || resource.errors.empty) {
			return false
		}
		val start = node.offset
		// up to the next declaration: error recovery may leave the broken tokens outside this one
		var end = Integer.MAX_VALUE
		val container = holder.eContainer
		if (container instanceof MirageFile) {
			val index = container.elements.indexOf(holder)
			if (index >= 0 && index + 1 < container.elements.size) {
				val next = org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(container.elements.get(index + 1))
				if (next !== null) {
					end = next.offset
				}
			}
		}
		val last = end
		resource.errors.exists [
			val d = it
			if (d instanceof org.eclipse.xtext.diagnostics.AbstractDiagnostic) {
				d.offset >= start && d.offset <= last
			} else {
				true
			}
		]
	}

	def private String count(int all, int required) {
		if (all == required) {
			'''«all» argument«if (all != 1) 's'»'''
		} else {
			'''«required» to «all» arguments'''
		}
	}

	def private checkArgument(Arg arg, Param p, Named callee, int index) {
		val expected = types.typeOf(p.type)
		val value = arg.value
		if (value === null || expected instanceof Ty.Unknown) {
			return
		}
		val where = '''«callee.name» expects «display(expected)» as argument «index» («p.name»)'''
		if (value instanceof Literal || value instanceof ListExpr) {
			if (expected instanceof Ty.Val) {
				val r = types.constant(value, expected.type)
				if (r.problem !== null) {
					error(argumentProblem(where, value, r.problem), value, null, BAD_ARGUMENT)
				}
			} else {
				error('''«where», but «types.describe(value)» is a value''', value, null, BAD_ARGUMENT)
			}
			return
		}
		if (value instanceof RefExpr && (value as RefExpr).ref instanceof ChoiceValue) {
			if (expected instanceof Ty.Val) {
				val r = types.constant(value, expected.type)
				if (r.problem !== null) {
					error(argumentProblem(where, value, r.problem), value, null, BAD_ARGUMENT)
				}
			}
			return
		}
		val actual = types.typeOf(value)
		if (!types.isAssignable(expected, actual)) {
			val described = if (value instanceof RefExpr && !(value as RefExpr).ref.eIsProxy)
					'''«(value as RefExpr).ref.name»' is «article(actual)»'''
				else '''the value is «article(actual)»'''
			error('''«where», but '«described»''', value, null, BAD_ARGUMENT)
		}
	}

	/**
	 * "f expects a 'string' as argument 1 (dir), but got the integer 42" when the literal is of the
	 * wrong kind; "...: a port is 0 to 65535, not 70000" when it is of the right kind but does not fit.
	 */
	def private String argumentProblem(String where, Expr value, String problem) {
		val got = problem.indexOf(', got ')
		if (problem.startsWith('expected ') && got > 0 && !(value instanceof ListExpr)) {
			'''«where», but got «problem.substring(got + ', got '.length)»'''
		} else {
			'''«where»: «problem»'''
		}
	}

	def private String display(Ty t) {
		switch t {
			Ty.Device: '''a «t.display»'''
			Ty.Val: MirageTypes.article(t.type)
			default: 'a value'
		}
	}

	def private String article(Ty t) {
		switch t {
			Ty.Device: '''a «t.display»'''
			Ty.Val: MirageTypes.article(t.type)
			default: 'unknown'
		}
	}

	// ------------------------------------------------------------------ devices

	@Check
	def checkDevice(DeviceDecl d) {
		if (d.value === null) {
			return
		}
		if (d.type !== null && !d.type.eIsProxy) {
			val actual = types.typeOf(d.value)
			if (actual instanceof Ty.Val) {
				error('''device '«d.name»' is declared as a '«d.type.name»' but its value is «article(actual)»''', d.value, null, BAD_ARGUMENT)
			} else if (!types.isAssignable(new Ty.Device(d.type), actual)) {
				error('''device '«d.name»' is declared as a '«d.type.name»' but its value is «article(actual)»''', d.value, null, BAD_ARGUMENT)
			}
		} else if (types.typeOf(d.value) instanceof Ty.Val) {
			val r = d.value
			if (!(r instanceof RefExpr && (r as RefExpr).ref instanceof Param)) {
				error('''device '«d.name»' must be a device, but its value is «article(types.typeOf(d.value))»; use a key for values''',
					d.value, null, BAD_ARGUMENT)
			}
		}
		for (p : d.params) {
			if (p.^default !== null) {
				val t = types.typeOf(p.type)
				if (t instanceof Ty.Val) {
					checkConstant(p.^default, t.type, '''the default of parameter '«p.name»' ''')
				}
			}
		}
	}

	/**
	 * Devices that depend on themselves, found with one depth-first walk over the file's devices
	 * (linear in the number of references); each device on a cycle is reported once.
	 */
	def private checkCycles(MirageFile file) {
		val Map<DeviceDecl, Integer> state = new HashMap // absent: unvisited, 1: on the path, 2: done
		val Set<DeviceDecl> reported = new HashSet
		for (d : file.elements.filter(DeviceDecl)) {
			if (!state.containsKey(d)) {
				walk(d, new ArrayList, state, reported, file)
			}
		}
	}

	def private void walk(DeviceDecl d, List<DeviceDecl> path, Map<DeviceDecl, Integer> state, Set<DeviceDecl> reported, MirageFile file) {
		state.put(d, 1)
		path.add(d)
		for (next : dependencies(d)) {
			val s = state.get(next)
			if (s === null) {
				walk(next, path, state, reported, file)
			} else if (s == 1) {
				val cycle = path.subList(path.indexOf(next), path.size).toList
				for (member : cycle) {
					if (member.eResource === file.eResource && reported.add(member)) {
						val i = cycle.indexOf(member)
						val order = (cycle.subList(i, cycle.size) + cycle.subList(0, i)).map[name].toList
						error('''device '«member.name»' depends on itself: «order.join(' -> ')» -> «member.name»''', member, NAMED__NAME)
					}
				}
			}
		}
		path.remove(path.size - 1)
		state.put(d, 2)
	}

	def private List<DeviceDecl> dependencies(DeviceDecl d) {
		val result = new ArrayList<DeviceDecl>
		if (d.value === null) {
			return result
		}
		val refs = new ArrayList<RefExpr>
		if (d.value instanceof RefExpr) refs.add(d.value as RefExpr)
		refs.addAll(EcoreUtil2.getAllContentsOfType(d.value, RefExpr))
		for (r : refs) {
			val t = r.eGet(REF_EXPR__REF, false)
			if (t instanceof DeviceDecl && !(t as DeviceDecl).eIsProxy) {
				result.add(t as DeviceDecl)
			}
		}
		result
	}

	// ------------------------------------------------------------------ matches

	@Check
	def checkMatch(MatchExpr m) {
		var List<String> allowed
		if (m.onTarget) {
			allowed = Visible.targets(EcoreUtil2.getContainerOfType(m, MirageFile)).map[name].toList
		} else {
			val key = m.key
			if (key === null || key.eIsProxy) {
				return
			}
			if (key.stage != KeyStage.CONFIGURE) {
				error('''a match chooses an implementation when the unikernel is generated, so it needs a configure key; '«key.name»' is a runtime key: add 'configure' to its declaration''',
					m, MATCH_EXPR__KEY)
				return
			}
			val type = types.valueType(key.type)
			if (type.empty) {
				return
			}
			allowed = switch t : type.get {
				ValueType.Choice: t.values
				ValueType.Primitive case t.kind == ValueType.Kind.BOOL: #['true', 'false']
				default: null
			}
			if (allowed === null) {
				error('''a match needs a key of a choice or bool type; '«key.name»' is «MirageTypes.article(type.get)»''',
					m, MATCH_EXPR__KEY)
				return
			}
		}
		val subject = if (m.onTarget) 'target' else '''key '«m.key.name»' '''.toString.trim
		val Set<String> covered = new HashSet
		for (c : m.cases) {
			for (i : 0 ..< c.labels.size) {
				val label = c.labels.get(i)
				if (label === null) {
					// a label the parser could not read: the syntax error says so
				} else if (!allowed.contains(label)) {
					val unknown = if (m.onTarget) '''unknown target '«label»' '''.toString.trim else '''unknown value '«label»' of key '«m.key.name»' '''.toString.trim
					error('''«unknown»«DidYouMean.hint(label, allowed)» (expected one of: «allowed.join(', ')»)''',
						c, MATCH_CASE__LABELS, i)
				} else if (!covered.add(label)) {
					error('''case '«label»' is matched twice; remove one''', c, MATCH_CASE__LABELS, i)
				}
			}
		}
		val missing = allowed.filter[!covered.contains(it)].toList
		if (!missing.empty && m.^default === null) {
			error('''the match on «subject» does not cover «missing.join(', ')» and has no default; add «missing.head» -> ... or default -> ...''',
				m, if (m.onTarget) MATCH_EXPR__ON_TARGET else MATCH_EXPR__KEY)
		}
		if (missing.empty && m.^default !== null) {
			warning('''the default is never used: the match on «subject» covers all of «allowed.join(', ')»; remove it''', m.^default, null)
		}
		// every branch must have the same type
		val branches = m.cases.map[value].filterNull.toList
		if (m.^default !== null) branches.add(m.^default)
		var Ty first = null
		for (b : branches) {
			val t = types.typeOf(b)
			if (!(t instanceof Ty.Unknown)) {
				if (first === null) {
					first = t
				} else if (!types.isAssignable(first, t) && !types.isAssignable(t, first)) {
					error('''the branches of a match must have one type: this one is «article(t)», the first is «article(first)»''',
						b, null, BAD_ARGUMENT)
				}
			}
		}
	}

	// ------------------------------------------------------------------ drivers and jobs

	@Check
	def checkDriver(DriverDecl d) {
		if (d.artifact !== null && !d.artifact.matches('[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.+-]+)?')) {
			error(''''«d.artifact»' is not a Maven artifact; write "groupId:artifactId" or "groupId:artifactId:version"''',
				d, DRIVER_DECL__ARTIFACT)
		}
		val names = new HashSet<String>
		for (p : d.params) {
			if (p.name !== null && !names.add(p.name)) {
				error('''parameter '«p.name»' is declared twice''', p, NAMED__NAME)
			}
			if (p.^default !== null) {
				val t = types.typeOf(p.type)
				if (t instanceof Ty.Val) {
					checkConstant(p.^default, t.type, '''the default of parameter '«p.name»' ''')
				} else {
					error('''a device parameter cannot have a default''', p.^default, null)
				}
			}
		}
		val targets = new HashSet<String>
		for (i : 0 ..< d.targets.size) {
			val t = d.targets.get(i)
			if (!t.eIsProxy && !targets.add(t.name)) {
				warning('''target '«t.name»' is listed twice''', d, DRIVER_DECL__TARGETS, i)
			}
		}
		// the class, when it is on the class path of the editor or build: implements and constructor
		val cls = d.javaClass
		if (cls !== null && !cls.eIsProxy && !StdLib.isStd(d.eResource?.URI)) {
			for (message : new JavaTypeChecks().checkDriver(d, types)) {
				error(message, d, DRIVER_DECL__JAVA_CLASS)
			}
		}
	}

	@Check
	def checkHostResource(HostResource r) {
		val t = types.typeOf(r.value)
		if (!types.isAssignable(new Ty.Val(ValueType.of(ValueType.Kind.STRING)), t) || r.value instanceof MatchExpr) {
			error('''a «r.kind.literal» is named by a string''', r.value, null)
		}
	}

	@Check
	def checkJob(JobDecl job) {
		for (arg : job.args) {
			if (arg.name !== null) {
				error('''job arguments are positional; remove '«arg.name» =' ''', arg, ARG__NAME)
			}
		}
	}

	// ------------------------------------------------------------------ unused, and per target

	@Check(CheckType.EXPENSIVE)
	def checkUnikernelFile(MirageFile file) {
		if (file.unikernels.empty) {
			return
		}
		val resource = file.eResource
		if (resource === null || !resource.errors.empty) {
			return
		}
		val unikernel = file.unikernels.head
		val targets = if (unikernel.targets.empty) Visible.targets(file) else unikernel.targets.filter[!eIsProxy].toList
		val lowering = new Lowering(types, JavaTypeChecks.forResource(resource))
		val locator = new SourceLocator
		// a problem every target has is an error, as configure and generate report it for any target;
		// one that only some targets have is a warning naming the target
		val perTarget = new LinkedHashMap<List<Object>, List<String>>
		for (t : targets) {
			lowering.lower(file, t.name, null, #{}, locator) [ severity, code, where, feature, message |
				if (severity == Diagnostic.Severity.ERROR && code != Diagnostic.Code.FOLLOW_UP
						&& code != Diagnostic.Code.COMMAND_LINE // what a command line would have to give
						&& !(where instanceof MatchExpr && incomplete(where as MatchExpr))) {
					val at = if (where.eResource === resource) where else unikernel
					perTarget.computeIfAbsent(#[at, feature, message, code] as List<Object>)[new ArrayList<String>].add(t.name)
				}
			]
		}
		// a driver class that does not fit is reported at its declaration (checkDriver), not again where it is used
		val atDeclaration = new HashSet<String>
		for (d : Visible.files(file).flatMap[elements].filter(DriverDecl)) {
			if (d.javaClass !== null && !d.javaClass.eIsProxy && !StdLib.isStd(d.eResource?.URI)) {
				atDeclaration.addAll(new JavaTypeChecks().checkDriver(d, types))
			}
		}
		for (e : perTarget.entrySet.filter[!atDeclaration.contains(key.get(2))]) {
			val where = e.key.get(0) as EObject
			val feature = e.key.get(1) as EStructuralFeature
			val message = e.key.get(2) as String
			val code = e.key.get(3) as Diagnostic.Code
			if (e.value.size == targets.size) {
				error(message, where, feature, code.name)
			} else {
				for (t : e.value) {
					warning('''on target '«t»': «message»''', where, feature, code.name)
				}
			}
		}
	}

	/** A match without a default that misses a case: reported once by checkMatch, not per target. */
	def private boolean incomplete(MatchExpr m) {
		if (m.^default !== null) {
			return false
		}
		val labels = m.cases.flatMap[labels].toSet
		if (m.onTarget) {
			return !labels.containsAll(Visible.targets(EcoreUtil2.getContainerOfType(m, MirageFile)).map[name].toList)
		}
		val key = m.key
		if (key === null || key.eIsProxy) {
			return false
		}
		val type = types.valueType(key.type)
		if (type.empty) {
			return false
		}
		val t = type.get
		val List<String> allowed = if (t instanceof ValueType.Choice) t.values else #['true', 'false']
		!labels.containsAll(allowed)
	}

	def private checkUnused(MirageFile file) {
		val used = new HashSet<EObject>
		val todo = new ArrayList<EObject>
		for (j : file.elements.filter(JobDecl)) {
			todo.add(j)
		}
		while (!todo.empty) {
			val next = todo.remove(todo.size - 1)
			for (r : EcoreUtil2.getAllContentsOfType(next, RefExpr)) {
				val t = r.eGet(REF_EXPR__REF, false) as EObject
				if (t !== null && !t.eIsProxy && used.add(t)) {
					todo.add(t)
				}
			}
			for (m : EcoreUtil2.getAllContentsOfType(next, MatchExpr)) {
				val k = m.eGet(MATCH_EXPR__KEY, false) as EObject
				if (k !== null && !k.eIsProxy) used.add(k)
			}
		}
		for (e : file.elements) {
			if ((e instanceof DeviceDecl || e instanceof KeyDecl) && !used.contains(e)) {
				val named = e as Named
				warning('''«kindName(e)» '«named.name»' is never used; remove it or pass it to a job''', e, NAMED__NAME, UNUSED)
			}
		}
	}
}
