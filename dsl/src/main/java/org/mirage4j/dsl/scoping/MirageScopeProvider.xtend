package org.mirage4j.dsl.scoping

import com.google.inject.Inject
import org.eclipse.emf.ecore.EObject
import org.eclipse.emf.ecore.EReference
import org.eclipse.xtext.EcoreUtil2
import org.eclipse.xtext.naming.QualifiedName
import org.eclipse.xtext.resource.EObjectDescription
import org.eclipse.xtext.resource.IEObjectDescription
import org.eclipse.xtext.scoping.IScope
import org.eclipse.xtext.scoping.impl.FilteringScope
import org.eclipse.xtext.scoping.impl.SimpleScope
import org.mirage4j.dsl.mirage.ChoiceTypeExpr
import org.mirage4j.dsl.mirage.DeviceDecl
import org.mirage4j.dsl.mirage.DriverDecl
import org.mirage4j.dsl.mirage.HostResource
import org.mirage4j.dsl.mirage.MiragePackage
import org.mirage4j.dsl.mirage.RefExpr
import org.mirage4j.dsl.typing.MirageTypes
import org.mirage4j.model.ValueType

import static org.mirage4j.dsl.scoping.MirageResourceDescriptionStrategy.*

/**
 * Scoping of names inside expressions.
 *
 * <p>A name written with arguments ({@code f(...)}) sees drivers and device functions; a bare name
 * sees keys, plain devices, drivers without required parameters, the parameters of the enclosing
 * device function and, where a choice is expected, the choice's values. Everything else
 * (types, targets, keys after {@code match}) is plain lookup by name.
 */
class MirageScopeProvider extends AbstractMirageScopeProvider {

	@Inject MirageTypes types

	override getScope(EObject context, EReference reference) {
		if (reference == MiragePackage.Literals.REF_EXPR__REF) {
			return refScope(context, reference)
		}
		super.getScope(context, reference)
	}

	def private IScope refScope(EObject context, EReference reference) {
		val outer = super.getScope(context, reference)
		val call = context instanceof RefExpr && (context as RefExpr).call
		var IScope scope = new FilteringScope(outer, [ d | accepts(d, call) ])
		if (!call) {
			// choice values where a choice is expected: `key net : choice(socket, direct) = socket`
			val choice = if (context instanceof RefExpr) types.expectedChoice(context as RefExpr)
			if (choice !== null) {
				scope = new SimpleScope(scope, choiceValues(choice))
			}
			// parameters of the enclosing device function
			val device = EcoreUtil2.getContainerOfType(context, DeviceDecl)
			if (device !== null && !device.params.empty) {
				scope = new SimpleScope(scope, device.params.filter[name !== null].map [
					EObjectDescription.create(QualifiedName.create(name), it)
				].toList)
			}
			// a driver's host resources name its parameters: `needs vif(network_name)`
			val resource = EcoreUtil2.getContainerOfType(context, HostResource)
			val driver = EcoreUtil2.getContainerOfType(context, DriverDecl)
			if (resource !== null && driver !== null) {
				scope = new SimpleScope(scope, driver.params.filter[name !== null].map [
					EObjectDescription.create(QualifiedName.create(name), it)
				].toList)
			}
		}
		scope
	}

	def private choiceValues(ChoiceTypeExpr choice) {
		// a value written as a string that is not a name is written as that string, not referenced
		choice.values.filter[name !== null && ValueType.Choice.isName(name)]
			.map[EObjectDescription.create(QualifiedName.create(name), it) as IEObjectDescription].toList
	}

	def private boolean accepts(IEObjectDescription d, boolean call) {
		val key = if (call) CALLABLE else BARE
		val data = d.getUserData(key)
		if (data !== null) {
			return Boolean.parseBoolean(data)
		}
		// descriptions of this very file come from the local scope and carry no user data
		val obj = d.EObjectOrProxy
		if (obj.eIsProxy) {
			return true
		}
		if (call) isCallable(obj) else isBare(obj)
	}
}
