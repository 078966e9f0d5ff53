package org.mirage4j.dsl

import org.eclipse.xtext.conversion.IValueConverterService
import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider
import org.mirage4j.dsl.conversion.MirageValueConverters
import org.eclipse.xtext.resource.IDefaultResourceDescriptionStrategy
import org.mirage4j.dsl.linking.MirageLinkingDiagnosticMessageProvider
import org.mirage4j.dsl.scoping.MirageGlobalScopeProvider
import org.mirage4j.dsl.scoping.MirageLocalScopeProvider
import com.google.inject.Binder
import com.google.inject.name.Names
import org.eclipse.xtext.scoping.IScopeProvider
import org.eclipse.xtext.scoping.impl.AbstractDeclarativeScopeProvider
import org.mirage4j.dsl.scoping.MirageQualifiedNameProvider
import org.mirage4j.dsl.scoping.MirageResourceDescriptionStrategy

/**
 * Binds the language's own services: names, import-URI scoping with the implicit standard
 * library, linking messages with "did you mean".
 */
class MirageRuntimeModule extends AbstractMirageRuntimeModule {

	override Class<? extends IValueConverterService> bindIValueConverterService() {
		MirageValueConverters
	}

	override bindIGlobalScopeProvider() {
		MirageGlobalScopeProvider
	}

	override configureIScopeProviderDelegate(Binder binder) {
		binder.bind(IScopeProvider).annotatedWith(Names.named(AbstractDeclarativeScopeProvider.NAMED_DELEGATE))
			.to(MirageLocalScopeProvider)
	}

	override bindIQualifiedNameProvider() {
		MirageQualifiedNameProvider
	}

	def Class<? extends IDefaultResourceDescriptionStrategy> bindIDefaultResourceDescriptionStrategy() {
		MirageResourceDescriptionStrategy
	}

	def Class<? extends ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
		MirageLinkingDiagnosticMessageProvider
	}
}
