package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaFileObject;
import com.google.testing.compile.JavaFileObjects;
import org.mirage4j.model.Argument;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;

/**
 * Stand-ins for the drivers and job classes a model names, so that generated wiring can be
 * compiled (and run) without the real drivers: each driver class implements its type's interface
 * from runtime-api (every abstract method throws), with a constructor or factory taking exactly the
 * parameters the model passes (its arguments, then a {@code String} per {@code vif} and {@code disk}
 * it needs); each job class implements {@code Job} and returns from {@code start}.
 */
final class Stubs {

  private static final ClassName JOB = ClassName.get("org.mirage4j.api", "Job");

  private final Map<String, Set<Class<?>>> interfaces = new LinkedHashMap<>();
  private final Map<String, Map<String, List<TypeName>>> constructors = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> factories = new LinkedHashMap<>();
  private final Set<String> jobs = new LinkedHashSet<>();
  private final Set<Class<?>> bases = new LinkedHashSet<>();
  private final String basePackage;

  /** Stubs whose shared interface stand-ins live in {@code basePackage}. */
  Stubs(String basePackage) {
    this.basePackage = basePackage;
  }

  Stubs() {
    this("stubs");
  }

  /** Adds the classes {@code model} needs. */
  Stubs add(UnikernelModel model) {
    Map<String, DeviceNode> byId = new LinkedHashMap<>();
    for (DeviceNode d : model.devices()) {
      byId.put(d.id(), d);
      Class<?> iface;
      try {
        iface = Class.forName(d.typeInterface());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("no interface " + d.typeInterface(), e);
      }
      interfaces.computeIfAbsent(d.driverClass(), k -> new LinkedHashSet<>()).add(iface);
      List<TypeName> params = new ArrayList<>(params(model, d.arguments(), byId));
      // then a String per vif and disk it needs: where the program finds it (eth0, /dev/xvdb)
      for (HostResource r : d.resources()) {
        if (r instanceof HostResource.Vif || r instanceof HostResource.Disk) {
          params.add(ClassName.get(String.class));
        }
      }
      String key = d.factoryMethod().orElse("<init>") + params;
      if (d.factoryMethod().isPresent()) {
        factories.computeIfAbsent(d.driverClass(), k -> new LinkedHashMap<>()).put(key, d.factoryMethod().get());
      }
      constructors.computeIfAbsent(d.driverClass(), k -> new LinkedHashMap<>()).put(key, params);
    }
    for (JobNode j : model.jobs()) {
      jobs.add(j.className());
      constructors.computeIfAbsent(j.className(), k -> new LinkedHashMap<>())
          .put("<init>" + params(model, j.arguments(), byId), params(model, j.arguments(), byId));
    }
    return this;
  }

  private static List<TypeName> params(
      UnikernelModel model, List<Argument> arguments, Map<String, DeviceNode> byId) {
    List<TypeName> types = new ArrayList<>();
    for (Argument a : arguments) {
      if (a instanceof Argument.DeviceArg d) {
        types.add(JavaNames.className(byId.get(d.deviceId()).typeInterface()));
      } else if (a instanceof Argument.RuntimeKeyArg k) {
        RuntimeKey key = model.runtimeKey(k.keyName()).orElseThrow();
        types.add(JavaValues.javaType(key.type()));
      } else {
        types.add(JavaValues.javaType(((Argument.ConstantArg) a).value().type()));
      }
    }
    return types;
  }

  /** The stub sources. */
  List<JavaFileObject> sources() {
    List<JavaFileObject> files = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<TypeName>>> e : constructors.entrySet()) {
      ClassName name = JavaNames.className(e.getKey());
      TypeSpec.Builder type = TypeSpec.classBuilder(name.simpleName())
          .addModifiers(javax.lang.model.element.Modifier.PUBLIC);
      boolean job = jobs.contains(e.getKey());
      if (job) {
        type.addSuperinterface(JOB);
        type.addMethod(MethodSpec.methodBuilder("start").addAnnotation(Override.class)
            .addModifiers(javax.lang.model.element.Modifier.PUBLIC).build());
      }
      Set<Class<?>> ifaces = interfaces.getOrDefault(e.getKey(), Set.of());
      if (ifaces.size() == 1) {
        // the usual case: extend the shared stand-in of the interface
        Class<?> iface = ifaces.iterator().next();
        bases.add(iface);
        type.superclass(baseName(iface));
      } else {
        for (Class<?> iface : ifaces) {
          type.addSuperinterface(iface);
        }
        addMethods(type, ifaces);
      }
      if (!job && !ifaces.isEmpty()) {
        // with -Dstubs.log=true, every stub device prints its lifecycle to standard output
        for (String step : List.of("connect", "close")) {
          type.addMethod(MethodSpec.methodBuilder(step).addAnnotation(Override.class)
              .addModifiers(javax.lang.model.element.Modifier.PUBLIC)
              .beginControlFlow("if ($T.getBoolean($S))", Boolean.class, "stubs.log")
              .addStatement("$T.out.println($S)", System.class, step + " " + name.simpleName())
              .endControlFlow()
              .build());
        }
      }
      Map<String, String> factory = factories.getOrDefault(e.getKey(), Map.of());
      Set<String> erased = new LinkedHashSet<>();
      boolean hasPlainConstructor = false;
      for (Map.Entry<String, List<TypeName>> c : e.getValue().entrySet()) {
        String f = factory.get(c.getKey());
        List<String> erasure = new ArrayList<>();
        c.getValue().forEach(t -> erasure.add(t instanceof com.palantir.javapoet.ParameterizedTypeName p
            ? p.rawType().toString() : t.toString()));
        if (!erased.add((f == null ? "<init>" : f) + erasure)) {
          continue;
        }
        MethodSpec.Builder mb = f == null
            ? MethodSpec.constructorBuilder()
            : MethodSpec.methodBuilder(f).addModifiers(javax.lang.model.element.Modifier.STATIC)
                .returns(name).addStatement("return new $T()", name);
        hasPlainConstructor |= f == null && c.getValue().isEmpty();
        mb.addModifiers(javax.lang.model.element.Modifier.PUBLIC);
        for (int i = 0; i < c.getValue().size(); i++) {
          mb.addParameter(c.getValue().get(i), "a" + i);
        }
        type.addMethod(mb.build());
      }
      if (!factory.isEmpty() && !hasPlainConstructor) {
        type.addMethod(MethodSpec.constructorBuilder()
            .addModifiers(javax.lang.model.element.Modifier.PRIVATE).build());
      }
      JavaFile file = JavaFile.builder(name.packageName(), type.build()).build();
      files.add(JavaFileObjects.forSourceString(name.canonicalName(), file.toString()));
    }
    for (Class<?> iface : bases) {
      ClassName base = baseName(iface);
      TypeSpec.Builder type = TypeSpec.classBuilder(base.simpleName())
          .addModifiers(javax.lang.model.element.Modifier.PUBLIC, javax.lang.model.element.Modifier.ABSTRACT)
          .addSuperinterface(iface);
      addMethods(type, Set.of(iface));
      files.add(JavaFileObjects.forSourceString(base.canonicalName(),
          JavaFile.builder(base.packageName(), type.build()).build().toString()));
    }
    return files;
  }

  /** The shared stand-in of an interface: every abstract method throws. */
  private ClassName baseName(Class<?> iface) {
    return ClassName.get(basePackage, iface.getSimpleName() + "Stub");
  }

  private static void addMethods(TypeSpec.Builder type, Set<Class<?>> ifaces) {
    Map<String, Method> methods = new LinkedHashMap<>();
    for (Class<?> iface : ifaces) {
      for (Method m : iface.getMethods()) {
        String sig = m.getName() + List.of(m.getParameterTypes());
        if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
          methods.put(sig, null);
        } else {
          methods.putIfAbsent(sig, m);
        }
      }
    }
    for (Method m : methods.values()) {
      if (m == null) {
        continue;
      }
      MethodSpec.Builder mb = MethodSpec.methodBuilder(m.getName()).addAnnotation(Override.class)
          .addModifiers(javax.lang.model.element.Modifier.PUBLIC)
          .returns(TypeName.get(m.getGenericReturnType()))
          .addStatement("throw new $T()", UnsupportedOperationException.class);
      int i = 0;
      for (Type p : m.getGenericParameterTypes()) {
        mb.addParameter(TypeName.get(p), "p" + i++);
      }
      for (Type x : m.getGenericExceptionTypes()) {
        mb.addException(TypeName.get(x));
      }
      type.addMethod(mb.build());
    }
  }
}
