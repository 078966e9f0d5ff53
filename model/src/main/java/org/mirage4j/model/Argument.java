package org.mirage4j.model;

import java.util.Objects;

/** One argument passed to a driver's constructor (or factory) or to a job's constructor. */
public sealed interface Argument
    permits Argument.DeviceArg, Argument.RuntimeKeyArg, Argument.ConstantArg {

  /** The declared parameter's name (for a job: the position, {@code arg0}, ...). */
  String parameterName();

  /**
   * Another device of the graph.
   *
   * @param deviceId the {@link DeviceNode#id()} of the device passed
   */
  record DeviceArg(String parameterName, String deviceId) implements Argument {
    /** Requires both names. */
    public DeviceArg {
      Objects.requireNonNull(parameterName, "parameterName");
      Objects.requireNonNull(deviceId, "deviceId");
    }
  }

  /**
   * The run-time value of a runtime key: parsed from the command line, or its default.
   *
   * @param keyName the {@link RuntimeKey#name()} (the option's name without dashes)
   */
  record RuntimeKeyArg(String parameterName, String keyName) implements Argument {
    /** Requires both names. */
    public RuntimeKeyArg {
      Objects.requireNonNull(parameterName, "parameterName");
      Objects.requireNonNull(keyName, "keyName");
    }
  }

  /**
   * A value fixed at generation: a literal in the configuration, a parameter default, or the value
   * of a configure-time key.
   *
   * @param configureKey the configure-time key the value came from, or {@code null} for a literal
   */
  record ConstantArg(String parameterName, Value value, String configureKey) implements Argument {
    /** Requires a name and a value. */
    public ConstantArg {
      Objects.requireNonNull(parameterName, "parameterName");
      Objects.requireNonNull(value, "value");
    }
  }
}
