package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.mirage4j.model.Argument;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes the wiring class of a unikernel ({@code SlidesUnikernel} for {@code slides}): its {@code
 * main} parses the command line, registers every device with the {@code Lifecycle} in the graph's
 * order with its dependencies and config line, registers the jobs, and runs them.
 *
 * <p>The class reads top to bottom like the configuration: constants for the configure-time keys,
 * one {@code Option} per runtime key, then one statement per device, each under a comment naming
 * its line in {@code config.mirage}. Nothing in it depends on the time or the machine, so the same
 * model always gives the same bytes.
 */
final class WiringWriter {

  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName EXIT = ClassName.get("org.mirage4j.runtime", "Exit");
  static final ClassName LIFECYCLE = ClassName.get("org.mirage4j.runtime", "Lifecycle");
  static final ClassName LOGS = ClassName.get("org.mirage4j.runtime", "Logs");
  static final ClassName HANDLE = LIFECYCLE.nestedClass("Handle");
  static final ClassName DEVICE = ClassName.get("org.mirage4j.api", "Device");

  private final GeneratorRequest request;
  private final UnikernelModel model;
  private final Diagnostics diagnostics;
  private final TargetBackend backend;
  private final GuestLayout layout;

  WiringWriter(GeneratorRequest request, Diagnostics diagnostics) {
    this.request = request;
    this.model = request.model();
    this.diagnostics = diagnostics;
    this.backend = TargetBackend.of(model.platform().kind());
    this.layout = GuestLayout.of(model);
  }

  /** The classes of the drivers and types, by their names: a few, each used by many devices. */
  private final Map<String, ClassName> classNames = new HashMap<>();

  /** {@link JavaNames#className}, once per name. */
  private ClassName className(String qualified) {
    ClassName c = classNames.get(qualified);
    if (c == null && !classNames.containsKey(qualified)) {
      c = JavaNames.className(qualified);
      classNames.put(qualified, c);
    }
    return c;
  }

  /** The wiring class's name. */
  static ClassName className(GeneratorRequest request) {
    return ClassName.get(
        request.packageName(), JavaNames.wiringClassName(request.model().name()));
  }

  /** The wiring class, or {@code null} after reporting why it cannot be written. */
  JavaFile write() {
    ClassName self = className(request);
    NameAllocator fields = new NameAllocator();
    String nameField = fields.newName("NAME", "NAME");
    String targetField = fields.newName("TARGET", "TARGET");
    String versionField = fields.newName("VERSION", "VERSION");
    String parserField = fields.newName("OPTIONS", "OPTIONS");

    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addAnnotation(
                AnnotationSpec.builder(GENERATED)
                    .addMember("value", "$S", MirageGenerator.class.getName())
                    .addMember(
                        "comments", "$S",
                        "from " + model.configFile() + ", target " + model.target())
                    .build())
            .addJavadoc(
                "The wiring of unikernel {@code $L} for target {@code $L} ({@code $L}), generated from\n"
                    + "{@code $L}: creates the devices of the configuration, connects them and runs its jobs.\n"
                    + "\n<p>Run it with {@code --help} to list its options.\n",
                JavaNames.comment(model.name()),
                JavaNames.comment(model.target()),
                JavaNames.comment(model.arch()),
                JavaNames.comment(model.configFile()));

    type.addField(constant(String.class, nameField, "The unikernel's name.", CodeBlock.of("$S", model.name())));
    type.addField(
        constant(String.class, targetField, "The target this wiring was generated for.",
            CodeBlock.of("$S", model.target())));
    type.addField(
        constant(String.class, versionField, "What {@code --version} prints.",
            CodeBlock.of("$S", request.version())));

    // configure-time keys: baked in
    Map<String, String> configureFields = new HashMap<>();
    for (ConfigureKey key : model.configureKeys()) {
      String field = fields.newName(JavaNames.constant(key.name()), "configure:" + key.name());
      configureFields.put(key.name(), field);
      FieldSpec.Builder f =
          FieldSpec.builder(
                  JavaValues.javaType(key.value().type()),
                  field,
                  Modifier.PUBLIC,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(JavaValues.literal(key.value()))
              .addJavadoc("$L", JavaNames.javadoc(
                  "Configure-time key " + key.name() + " (" + location(key.location()) + "), "
                      + (key.fromUser() ? "as given" : "at its default") + " when this class was generated"
                      + (key.doc().isEmpty() ? "" : ": " + key.doc())));
      type.addField(f.build());
    }

    OptionsWriter options = new OptionsWriter(model, fields);
    options.optionFields().forEach(type::addField);
    type.addField(
        options.parserField(
            parserField, nameField, versionField,
            "Unikernel " + model.name() + " (target " + model.target() + "), generated by mirage4j from "
                + model.configFile() + "."));

    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());

    MethodSpec main =
        MethodSpec.methodBuilder("main")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .addParameter(ArrayTypeName.of(String.class), "args")
            .addJavadoc(
                "Runs the unikernel: exits 0 when every job has returned, 1 when a device or job failed,\n"
                    + "64 on a command-line error, or with the status a job chose by throwing {@code ExitStatus}.\n")
            .addStatement("$T exit = $T.system()", EXIT, EXIT)
            .addStatement("exit.exit(run(args, exit))")
            .build();
    type.addMethod(main);
    type.addMethod(runMethod(type, parserField, nameField, options, configureFields));

    if (diagnostics.hasErrors()) {
      return null;
    }
    return JavaFile.builder(request.packageName(), type.build())
        .addFileComment("$L", Markers.header(model))
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  private static FieldSpec constant(Class<?> type, String name, String doc, CodeBlock init) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc)
        .initializer(init)
        .build();
  }

  /**
   * Above this many devices, the registrations are split over nested classes of this many devices
   * each: one method holds at most 64 KiB of bytecode and one class 65,535 constants.
   */
  static final int DEVICES_PER_PART = 200;

  private MethodSpec runMethod(
      TypeSpec.Builder type,
      String parserField,
      String nameField,
      OptionsWriter options,
      Map<String, String> configureFields) {
    NameAllocator locals = new NameAllocator();
    String args = locals.newName("args", "args");
    String exit = locals.newName("exit", "exit");
    String values = locals.newName("options", "options");
    String unikernel = locals.newName("unikernel", "unikernel");
    boolean parts = model.devices().size() > DEVICES_PER_PART;

    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("$T $L = $L.parseOrExit($L, $L)", OptionsWriter.VALUES, values, parserField, args, exit);
    body.addStatement("$T.configure($L.logs())", LOGS, values);
    Map<String, String> keyVars;
    if (parts) {
      keyVars = new HashMap<>();
      for (RuntimeKey key : model.runtimeKeys()) {
        keyVars.put(key.name(), values + ".get(" + options.fieldName(key.name()) + ")");
      }
    } else {
      keyVars = options.readValues(body, locals, values);
    }

    body.add("\n");
    body.addStatement("$T $L = new $T($L)", LIFECYCLE, unikernel, LIFECYCLE, nameField);
    Map<String, String> deviceVars = new HashMap<>();
    if (parts) {
      ClassName devicesClass = className(request).nestedClass("Devices");
      String devices = locals.newName("devices", "devices");
      TypeSpec.Builder holder = TypeSpec.classBuilder(devicesClass)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The handle of every device, filled by the {@code Devices<n>} classes.\n");
      NameAllocator fieldNames = new NameAllocator();
      body.add("\n// $L devices, registered $L at a time by the nested classes below: one method cannot\n"
              + "// hold them all\n", model.devices().size(), DEVICES_PER_PART);
      body.addStatement("$T $L = new $T()", devicesClass, devices, devicesClass);
      List<DeviceNode> all = model.devices();
      for (int from = 0, part = 0; from < all.size(); from += DEVICES_PER_PART, part++) {
        int to = Math.min(all.size(), from + DEVICES_PER_PART);
        ClassName partClass = className(request).nestedClass("Devices" + part);
        CodeBlock.Builder partBody = CodeBlock.builder();
        for (DeviceNode device : all.subList(from, to)) {
          ClassName iface = className(device.typeInterface());
          CodeBlock registration = registration(device, unikernel, deviceVars, keyVars, configureFields,
              locals, id -> devices + "." + fieldNames.newName(JavaNames.camel(id), "device:" + id));
          if (registration == null) {
            continue;
          }
          holder.addField(ParameterizedTypeName.get(HANDLE, iface),
              deviceVars.get(device.id()).substring(devices.length() + 1));
          if (!partBody.isEmpty()) {
            partBody.add("\n");
          }
          partBody.add(registration);
        }
        type.addType(TypeSpec.classBuilder(partClass)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Registers devices $L to $L of the graph.\n", from + 1, to)
            .addMethod(MethodSpec.methodBuilder("register")
                .addModifiers(Modifier.STATIC)
                .addParameter(LIFECYCLE, unikernel)
                .addParameter(devicesClass, devices)
                .addParameter(OptionsWriter.VALUES, values)
                .addCode(partBody.build())
                .build())
            .build());
        body.addStatement("$T.register($L, $L, $L)", partClass, unikernel, devices, values);
      }
      type.addType(holder.build());
    } else {
      for (DeviceNode device : model.devices()) {
        CodeBlock registration = registration(device, unikernel, deviceVars, keyVars, configureFields,
            locals, id -> locals.newName(JavaNames.camel(id), "device:" + id));
        if (registration != null) {
          body.add("\n").add(registration);
        }
      }
    }

    for (JobNode job : model.jobs()) {
      ClassName jobClass = JavaNames.className(job.className());
      if (jobClass == null) {
        diagnostics.error(job.location(), Diagnostic.Code.JAVA_CLASS,
            "job '" + job.name() + "': '" + job.className() + "' is not a Java class name");
        continue;
      }
      body.add("\n");
      body.add("// job $L, $L\n", JavaNames.comment(job.name()), JavaNames.comment(location(job.location())));
      body.addStatement("$L.job($S,$W$S,$W() -> $L)", unikernel, job.name(), location(job.location()),
          create(jobClass, null, job.arguments(), List.of(),
              id -> CodeBlock.of("$L.get()", deviceVars.get(id)), keyVars, configureFields));
    }
    body.add("\n");
    body.addStatement("return $L.run()", unikernel);

    return MethodSpec.methodBuilder("run")
        .addModifiers(Modifier.STATIC)
        .returns(TypeName.INT)
        .addParameter(ArrayTypeName.of(String.class), args)
        .addParameter(EXIT, exit)
        .addJavadoc(
            "Parses {@code $L} (exiting through {@code $L} on {@code --help}, {@code --version} or a\n"
                + "usage error), applies {@code -l}/{@code --logs}, then creates and connects the devices and\n"
                + "runs the jobs.\n"
                + "\n@return the exit status: 0 when every job has returned, 1 when a device or job failed, or\n"
                + "    the status a job chose by throwing {@code ExitStatus}\n",
            args, exit)
        .addCode(body.build())
        .build();
  }

  /**
   * Above this many devices received, a device's factory reads them by position ({@code
   * Lifecycle.FactoryN}) instead of taking each as a parameter.
   */
  static final int TYPED_FACTORY_MAX = 6;

  /**
   * The comment and statement that register one device, or {@code null} after reporting why it
   * cannot be written. The devices it receives are written once, as the handles it is registered
   * with; its factory takes them, connected, as its parameters: {@code unikernel.device("eth",
   * "config.mirage:5", net, netDevice -> new EthernetLayer(netDevice))}.
   *
   * @param scope the names in scope where the statement goes, which the factory's parameters must
   *     not reuse
   * @param handleName allocates the variable (or {@code devices.field}) that holds its handle
   */
  private CodeBlock registration(
      DeviceNode device,
      String unikernel,
      Map<String, String> deviceVars,
      Map<String, String> keyVars,
      Map<String, String> configureFields,
      NameAllocator scope,
      java.util.function.Function<String, String> handleName) {
    ClassName driver = className(device.driverClass());
    ClassName iface = className(device.typeInterface());
    if (driver == null) {
      diagnostics.error(device.location(), Diagnostic.Code.JAVA_CLASS,
          "device '" + device.name() + "': driver class '" + device.driverClass()
              + "' is not a Java class name");
      return null;
    }
    if (iface == null) {
      diagnostics.error(device.location(), Diagnostic.Code.JAVA_CLASS,
          "device '" + device.name() + "': type interface '" + device.typeInterface()
              + "' is not a Java class name");
      return null;
    }
    String var = handleName.apply(device.id());
    deviceVars.put(device.id(), var);
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("// $L: $L from driver $L, $L\n",
        JavaNames.comment(device.name()),
        JavaNames.comment(device.typeName()),
        JavaNames.comment(device.driverName()),
        JavaNames.comment(location(device.location())));
    CodeBlock.Builder call = CodeBlock.builder();
    if (var.contains(".")) {
      call.add("$L =$W$L.device($S,$W$S", var, unikernel, device.id(), location(device.location()));
    } else {
      call.add("$T $L =$W$L.device($S,$W$S", ParameterizedTypeName.get(HANDLE, iface), var, unikernel,
          device.id(), location(device.location()));
    }
    List<String> deps = device.dependencies();
    Map<String, CodeBlock> received = new HashMap<>();
    NameAllocator names = scope.clone();
    CodeBlock.Builder parameters = CodeBlock.builder();
    if (deps.size() <= TYPED_FACTORY_MAX) {
      for (String dep : deps) {
        String parameter = factoryParameter(names, device, dep);
        received.put(dep, CodeBlock.of("$L", parameter));
        call.add(",$W$L", deviceVars.get(dep));
        parameters.add(parameters.isEmpty() ? "$L" : ",$W$L", parameter);
      }
      if (deps.size() != 1) {
        parameters = CodeBlock.builder().add("($L)", parameters.build());
      }
    } else {
      String inputs = names.newName("inputs", new Object());
      CodeBlock.Builder list = CodeBlock.builder();
      for (int i = 0; i < deps.size(); i++) {
        String dep = deps.get(i);
        list.add(i == 0 ? "$L" : ",$W$L", deviceVars.get(dep));
        ClassName depIface = model.device(dep).map(d -> className(d.typeInterface()))
            .orElse(DEVICE); // a class name that is not one is reported at that device
        received.put(dep, CodeBlock.of("$L.get($L,$W$T.class)", inputs, i, depIface));
      }
      call.add(",$W$T.of($L)", List.class, list.build());
      parameters.add("$L", inputs);
    }
    // after the declared parameters, where the program finds each vif and disk the driver needs
    List<CodeBlock> resources = new ArrayList<>();
    for (HostResource r : device.resources()) {
      if (r instanceof HostResource.Vif || r instanceof HostResource.Disk) {
        resources.add(CodeBlock.of("$S", backend.resourceName(layout, r)));
      }
    }
    CodeBlock create = create(driver, device.factoryMethod().orElse(null), device.arguments(),
        resources, received::get, keyVars, configureFields);
    call.add(",$W$L -> $L", parameters.build(), create);
    b.addStatement("$L)", call.build());
    return b.build();
  }

  /**
   * The name of the factory's parameter that receives {@code dep}: the driver's parameter it is
   * passed as ({@code eth}), or, where that name is taken in the enclosing scope (the handle {@code
   * net} for parameter {@code net}), that name with {@code Device} appended ({@code netDevice}).
   */
  private static String factoryParameter(NameAllocator names, DeviceNode device, String dep) {
    String parameter = dep;
    for (Argument a : device.arguments()) {
      if (a instanceof Argument.DeviceArg d && d.deviceId().equals(dep)) {
        parameter = a.parameterName();
        break;
      }
    }
    String base = JavaNames.camel(parameter);
    // tags of their own, never looked up: NameAllocator's default tag is a random UUID, drawn from
    // the secure random source for every name
    boolean free = names.clone().newName(base, new Object()).equals(base);
    return names.newName(free ? base : base + "Device", new Object());
  }

  /**
   * A constructor or factory call.
   *
   * @param resources what follows the arguments: where the program finds each resource it needs
   */
  private CodeBlock create(
      ClassName type,
      String factory,
      List<Argument> arguments,
      List<CodeBlock> resources,
      java.util.function.Function<String, CodeBlock> devices,
      Map<String, String> keyVars,
      Map<String, String> configureFields) {
    CodeBlock.Builder b = CodeBlock.builder();
    if (factory == null) {
      b.add("new $T(", type);
    } else {
      b.add("$T.$L(", type, factory);
    }
    List<CodeBlock> all = new ArrayList<>();
    for (Argument a : arguments) {
      all.add(argument(a, devices, keyVars, configureFields));
    }
    all.addAll(resources);
    for (int i = 0; i < all.size(); i++) {
      b.add(i == 0 ? "$L" : ",$W$L", all.get(i));
    }
    return b.add(")").build();
  }

  /**
   * One argument of a constructor or factory call.
   *
   * @param devices the expression that gives a device, by id: the factory's parameter for a device,
   *     {@code handle.get()} for a job
   */
  private CodeBlock argument(
      Argument argument,
      java.util.function.Function<String, CodeBlock> devices,
      Map<String, String> keyVars,
      Map<String, String> configureFields) {
    if (argument instanceof Argument.DeviceArg d) {
      return devices.apply(d.deviceId());
    }
    if (argument instanceof Argument.RuntimeKeyArg k) {
      return CodeBlock.of("$L", keyVars.get(k.keyName()));
    }
    Argument.ConstantArg c = (Argument.ConstantArg) argument;
    if (c.configureKey() != null) {
      ConfigureKey key = model.configureKey(c.configureKey()).orElse(null);
      if (key != null && key.value().equals(c.value())) {
        return CodeBlock.of("$L", configureFields.get(key.name()));
      }
    }
    return JavaValues.literal(c.value());
  }

  /** {@code config.mirage:12}: the file and line, as the lifecycle reports them. */
  static String location(SourceLocation location) {
    return location.file() + ":" + location.line();
  }
}
