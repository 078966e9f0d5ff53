package org.mirage4j.dsl.ide.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.xtext.ide.server.ILanguageServerShutdownAndExitHandler;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.resource.impl.ResourceServiceProviderRegistryImpl;
import org.mirage4j.dsl.ide.MirageIdeSetup;

/**
 * Builds the injector of one language-server session: Xtext's {@link ServerModule}, with the
 * {@code .mirage} language registered explicitly (not through whatever {@code ISetup} services
 * happen to be on the class path), mirage4j's workspace and project managers, and a chosen
 * reaction to the LSP {@code exit} notification.
 */
public final class MirageServerInjector {

  private static volatile Injector language;

  private MirageServerInjector() {}

  /** The language's own injector (runtime and IDE modules), created once per JVM. */
  public static Injector language() {
    Injector i = language;
    if (i == null) {
      synchronized (MirageServerInjector.class) {
        i = language;
        if (i == null) {
          i = new MirageIdeSetup().createInjectorAndDoEMFRegistration();
          language = i;
        }
      }
    }
    return i;
  }

  /** A fresh server injector whose {@code exit} runs {@code onExit}. */
  public static Injector create(MirageLanguageServer.ExitHandler onExit) {
    Injector lang = language();
    return Guice.createInjector(
        com.google.inject.util.Modules.override(new ServerModule())
            .with(
                binder -> {
                  ResourceServiceProviderRegistryImpl registry = new ResourceServiceProviderRegistryImpl();
                  registry
                      .getExtensionToFactoryMap()
                      .put("mirage", lang.getInstance(IResourceServiceProvider.class));
                  binder.bind(IResourceServiceProvider.Registry.class).toInstance(registry);
                  binder.bind(LanguageServerImpl.class).to(MirageLanguageServerImpl.class);
                  binder.bind(org.eclipse.lsp4j.services.LanguageServer.class).to(MirageLanguageServerImpl.class);
                  binder.bind(WorkspaceManager.class).to(MirageWorkspaceManager.class);
                  binder.bind(ProjectManager.class).to(MirageProjectManager.class);
                  binder
                      .bind(ILanguageServerShutdownAndExitHandler.class)
                      .toInstance(
                          new ILanguageServerShutdownAndExitHandler() {
                            @Override
                            public void exit() {
                              try {
                                onExit.exit();
                              } catch (IOException e) {
                                throw new UncheckedIOException(e);
                              }
                            }

                            @Override
                            public void shutdown() {}
                          });
                }));
  }
}
