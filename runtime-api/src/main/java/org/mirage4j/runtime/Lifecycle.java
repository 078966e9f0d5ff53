package org.mirage4j.runtime;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mirage4j.api.Device;
import org.mirage4j.api.ExitStatus;
import org.mirage4j.api.Job;

/**
 * Creates, connects and closes the devices of a unikernel and runs its jobs: the lifecycle that
 * {@link Device} describes, driven by generated wiring code.
 *
 * <p>The wiring {@linkplain #device registers} every device with its id, its place in {@code
 * config.mirage}, the handles of the devices it receives and a factory that receives those devices,
 * connected, as its parameters ({@code unikernel.device("eth", "config.mirage:5", net, n -> new
 * EthernetLayer(n))}): the handles are the device's dependencies, written once. It then {@linkplain
 * #job registers} the jobs and calls {@link #run()}. {@code run}:
 *
 * <ol>
 *   <li>creates and connects each device once, after every device it depends on is connected;
 *       devices that do not depend on each other are connected concurrently on a small thread
 *       pool;
 *   <li>if a device cannot be created or connected, stops starting devices, closes those already
 *       connected in reverse connect order, prints {@code error: device 'stack' (config.mirage:12)
 *       failed to connect: <cause>} and returns {@link Exit#FAILURE}; the device that failed is
 *       closed first (its {@code close} must be safe after a failed connect), and devices not
 *       started yet are never created. A driver whose factory refuses the values of its options
 *       with {@link UsageException} (a limit of 0 where at least 1 is needed) ends the run the
 *       same way with {@link Exit#USAGE};
 *   <li>otherwise creates every job and runs them concurrently, each on its own thread, until all
 *       have returned; a job that throws is reported the same way and ends the run with {@link
 *       Exit#FAILURE}; a job that throws {@link ExitStatus} (from its constructor or {@code
 *       start}) ends the run with the status it chose, printing only its reason, if it gave one;
 *   <li>stops every connected device ({@link Device#stop()}), then closes each exactly once, both in
 *       reverse connect order.
 * </ol>
 *
 * <p>A shutdown hook (SIGTERM, or {@link System#exit} from anywhere) stops and then closes the
 * devices connected so far, in reverse order, exactly once; a device whose connect completes after that is closed at
 * once. Messages are single lines; stack traces are never printed.
 */
public final class Lifecycle {

  /**
   * Creates a device that receives no other device, or a job; may throw whatever the driver's
   * constructor or factory (or the job's constructor) throws.
   *
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory<T> {
    /** Creates the instance. */
    T create() throws Exception;
  }

  /**
   * Creates a device from the device it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory1<A, T> {
    /** Creates the instance. */
    T create(A a) throws Exception;
  }

  /**
   * Creates a device from the 2 devices it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the first device it receives
   * @param <B> the type of the second device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory2<A, B, T> {
    /** Creates the instance. */
    T create(A a, B b) throws Exception;
  }

  /**
   * Creates a device from the 3 devices it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the first device it receives
   * @param <B> the type of the second device it receives
   * @param <C> the type of the third device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory3<A, B, C, T> {
    /** Creates the instance. */
    T create(A a, B b, C c) throws Exception;
  }

  /**
   * Creates a device from the 4 devices it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the first device it receives
   * @param <B> the type of the second device it receives
   * @param <C> the type of the third device it receives
   * @param <D> the type of the fourth device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory4<A, B, C, D, T> {
    /** Creates the instance. */
    T create(A a, B b, C c, D d) throws Exception;
  }

  /**
   * Creates a device from the 5 devices it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the first device it receives
   * @param <B> the type of the second device it receives
   * @param <C> the type of the third device it receives
   * @param <D> the type of the fourth device it receives
   * @param <E> the type of the fifth device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory5<A, B, C, D, E, T> {
    /** Creates the instance. */
    T create(A a, B b, C c, D d, E e) throws Exception;
  }

  /**
   * Creates a device from the 6 devices it receives, connected; may throw whatever the driver's
   * constructor or factory throws.
   *
   * @param <A> the type of the first device it receives
   * @param <B> the type of the second device it receives
   * @param <C> the type of the third device it receives
   * @param <D> the type of the fourth device it receives
   * @param <E> the type of the fifth device it receives
   * @param <F> the type of the sixth device it receives
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface Factory6<A, B, C, D, E, F, T> {
    /** Creates the instance. */
    T create(A a, B b, C c, D d, E e, F f) throws Exception;
  }

  /**
   * Creates a device from any number of devices it receives, read by position from {@link Inputs};
   * for drivers with more device parameters than {@link Factory6} takes.
   *
   * @param <T> what it creates
   */
  @FunctionalInterface
  public interface FactoryN<T> {
    /** Creates the instance. */
    T create(Inputs inputs) throws Exception;
  }

  /** The connected devices a {@link FactoryN} receives, in the order of its dependencies. */
  public static final class Inputs {
    private final List<Handle<?>> handles;

    private Inputs(List<Handle<?>> handles) {
      this.handles = handles;
    }

    /** How many devices there are. */
    public int size() {
      return handles.size();
    }

    /**
     * The device at {@code index}.
     *
     * @param type its interface
     * @throws ClassCastException if it is not a {@code type}
     */
    public <D extends Device> D get(int index, Class<D> type) {
      return type.cast(handles.get(index).get());
    }
  }

  /**
   * A registered device. Dependent devices receive it, connected, as a parameter of their factory;
   * jobs read it with {@link #get()}, which is only valid once it is connected.
   *
   * @param <T> the device's type
   */
  public static final class Handle<T extends Device> {
    private final String id;
    private final String location;
    private final Factory<? extends T> factory;
    private final List<Handle<?>> dependencies;
    private final List<Handle<?>> dependents = new ArrayList<>();
    private int waitingFor;
    private boolean stopped; // guarded by the lifecycle's close lock
    private volatile T instance;

    private Handle(String id, String location, Factory<? extends T> factory, List<Handle<?>> deps) {
      this.id = id;
      this.location = location;
      this.factory = factory;
      this.dependencies = deps;
    }

    /**
     * The device, once created.
     *
     * @throws IllegalStateException if it has not been created yet
     */
    public T get() {
      T value = instance;
      if (value == null) {
        throw new IllegalStateException("device '" + id + "' is not created yet");
      }
      return value;
    }

    /** The device's id in the configuration. */
    public String id() {
      return id;
    }

    /** Where the device is written: {@code config.mirage:12}. */
    public String location() {
      return location;
    }

    /** The devices this one receives, in registration order. */
    public List<Handle<?>> dependencies() {
      return Collections.unmodifiableList(dependencies);
    }
  }

  private record JobEntry(String name, String location, Factory<? extends Job> factory) {}

  /** The log source of the lifecycle: {@code -l lifecycle:debug} shows each device as it connects. */
  private static final System.Logger LOG = System.getLogger("lifecycle");

  private final String program;
  private final PrintStream err;
  private final Consumer<Thread> shutdownHooks;
  private final int poolSize;
  private final List<Handle<?>> handles = new ArrayList<>();
  private final List<JobEntry> jobs = new ArrayList<>();

  // guarded by this
  private final List<Handle<?>> connected = new ArrayList<>();
  private final Deque<Handle<?>> open = new ArrayDeque<>();
  private final Set<Handle<?>> registered = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean shuttingDown;
  // the JVM itself is exiting (a signal, or System.exit elsewhere): its shutdown hook ran on the
  // thread the JVM started, not on a caller's thread
  private boolean jvmExiting;
  private Thread hook;
  private int inFlight;
  private String failure;
  private boolean usage;
  private boolean started;
  // the status a job chose by throwing ExitStatus (the first one wins), or null
  private ExitStatus chosen;
  // held while closing, so that two closers (the shutdown hook and the main thread) close one device
  // at a time, in reverse connect order
  private final Object closeLock = new Object();

  /**
   * A lifecycle that reports to {@link System#err} and closes the devices from a JVM shutdown hook.
   *
   * @param program the unikernel's name
   */
  public Lifecycle(String program) {
    this(program, System.err, Runtime.getRuntime()::addShutdownHook, 4);
  }

  /**
   * A lifecycle with its outside world given, for tests.
   *
   * @param program the unikernel's name
   * @param err where one-line error messages go
   * @param shutdownHooks receives the thread to run at JVM shutdown ({@code
   *     Runtime.getRuntime()::addShutdownHook}); a test may keep it and call {@link #shutdown()}
   * @param poolSize how many devices may connect at the same time, at least 1
   */
  public Lifecycle(String program, PrintStream err, Consumer<Thread> shutdownHooks, int poolSize) {
    this.program = Objects.requireNonNull(program, "program");
    this.err = Objects.requireNonNull(err, "err");
    this.shutdownHooks = Objects.requireNonNull(shutdownHooks, "shutdownHooks");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1");
    }
    this.poolSize = poolSize;
  }

  /**
   * Registers a device that receives no other device.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param factory calls the driver's constructor or factory
   * @return the handle that dependent devices and jobs receive
   */
  public <T extends Device> Handle<T> device(String id, String location, Factory<? extends T> factory) {
    return register(id, location, factory, List.of());
  }

  /**
   * Registers a device that receives one other device: it is created once that device is connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the device it receives
   * @param factory calls the driver's constructor or factory with that device, connected
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, T extends Device> Handle<T> device(
      String id, String location, Handle<A> a, Factory1<A, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location, () -> factory.create(a.get()), Arrays.asList(a));
  }

  /**
   * Registers a device that receives 2 other devices: it is created once they are all connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the first device it receives
   * @param b the second device it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, in this
   *     order
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, B extends Device, T extends Device> Handle<T> device(
      String id, String location, Handle<A> a, Handle<B> b, Factory2<A, B, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location, () -> factory.create(a.get(), b.get()), Arrays.asList(a, b));
  }

  /**
   * Registers a device that receives 3 other devices: it is created once they are all connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the first device it receives
   * @param b the second device it receives
   * @param c the third device it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, in this
   *     order
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, B extends Device, C extends Device, T extends Device>
      Handle<T> device(String id, String location,
          Handle<A> a, Handle<B> b, Handle<C> c,
          Factory3<A, B, C, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location, () -> factory.create(a.get(), b.get(), c.get()),
        Arrays.asList(a, b, c));
  }

  /**
   * Registers a device that receives 4 other devices: it is created once they are all connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the first device it receives
   * @param b the second device it receives
   * @param c the third device it receives
   * @param d the fourth device it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, in this
   *     order
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, B extends Device, C extends Device,
          D extends Device, T extends Device>
      Handle<T> device(String id, String location,
          Handle<A> a, Handle<B> b, Handle<C> c, Handle<D> d,
          Factory4<A, B, C, D, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location, () -> factory.create(a.get(), b.get(), c.get(), d.get()),
        Arrays.asList(a, b, c, d));
  }

  /**
   * Registers a device that receives 5 other devices: it is created once they are all connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the first device it receives
   * @param b the second device it receives
   * @param c the third device it receives
   * @param d the fourth device it receives
   * @param e the fifth device it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, in this
   *     order
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, B extends Device, C extends Device,
          D extends Device, E extends Device, T extends Device>
      Handle<T> device(String id, String location,
          Handle<A> a, Handle<B> b, Handle<C> c, Handle<D> d, Handle<E> e,
          Factory5<A, B, C, D, E, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location, () -> factory.create(a.get(), b.get(), c.get(), d.get(), e.get()),
        Arrays.asList(a, b, c, d, e));
  }

  /**
   * Registers a device that receives 6 other devices: it is created once they are all connected.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param a the first device it receives
   * @param b the second device it receives
   * @param c the third device it receives
   * @param d the fourth device it receives
   * @param e the fifth device it receives
   * @param f the sixth device it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, in this
   *     order
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <A extends Device, B extends Device, C extends Device,
          D extends Device, E extends Device, F extends Device, T extends Device>
      Handle<T> device(String id, String location,
          Handle<A> a, Handle<B> b, Handle<C> c, Handle<D> d, Handle<E> e, Handle<F> f,
          Factory6<A, B, C, D, E, F, ? extends T> factory) {
    Objects.requireNonNull(factory);
    return register(id, location,
        () -> factory.create(a.get(), b.get(), c.get(), d.get(), e.get(), f.get()),
        Arrays.asList(a, b, c, d, e, f));
  }

  /**
   * Registers a device that receives any number of other devices: it is created once they are all
   * connected. For drivers with more device parameters than {@link Factory6} takes.
   *
   * @param id the device's id in the configuration, for messages
   * @param location where it is written ({@code config.mirage:12})
   * @param dependencies the devices it receives
   * @param factory calls the driver's constructor or factory with those devices, connected, read by
   *     position from its {@link Inputs}
   * @return the handle that dependent devices and jobs receive
   * @throws IllegalArgumentException if a device it receives is registered elsewhere or not yet
   */
  public <T extends Device> Handle<T> device(
      String id, String location, List<? extends Handle<?>> dependencies, FactoryN<? extends T> factory) {
    Objects.requireNonNull(factory);
    List<Handle<?>> deps = new ArrayList<>(dependencies);
    Inputs inputs = new Inputs(deps);
    return register(id, location, () -> factory.create(inputs), deps);
  }

  /** Registers a device after the devices it depends on; each dependency counts once. */
  private synchronized <T extends Device> Handle<T> register(
      String id, String location, Factory<? extends T> factory, List<Handle<?>> dependencies) {
    checkNotStarted();
    List<Handle<?>> deps = new ArrayList<>();
    for (Handle<?> dep : dependencies) {
      if (!registered.contains(dep)) {
        throw new IllegalArgumentException(
            "device '" + id + "' depends on a device registered elsewhere or not yet");
      }
      if (!deps.contains(dep)) {
        deps.add(dep);
      }
    }
    Handle<T> handle = new Handle<>(id, location, Objects.requireNonNull(factory), deps);
    handle.waitingFor = deps.size();
    for (Handle<?> dep : deps) {
      dep.dependents.add(handle);
    }
    handles.add(handle);
    registered.add(handle);
    return handle;
  }

  /**
   * Registers a job, started once every device is connected.
   *
   * @param name the job's name, for messages
   * @param location where it is declared ({@code config.mirage:20})
   * @param factory calls the job's constructor; it may call {@link Handle#get()} on any handle
   */
  public synchronized void job(String name, String location, Factory<? extends Job> factory) {
    checkNotStarted();
    jobs.add(new JobEntry(name, location, Objects.requireNonNull(factory)));
  }

  private void checkNotStarted() {
    if (started) {
      throw new IllegalStateException("the lifecycle is already running");
    }
  }

  /**
   * Connects every device, runs every job until all return, and closes the devices.
   *
   * <p>When the JVM itself is exiting (its shutdown hook ran), this does not return: the devices are
   * closed and the JVM's halt ends the program with the signal's status or {@code System.exit}'s.
   *
   * @return {@link Exit#OK}, the status a job chose with {@link ExitStatus}, or {@link
   *     Exit#FAILURE} after printing one line naming what failed
   */
  public int run() {
    synchronized (this) {
      checkNotStarted();
      started = true;
    }
    Thread hook = new Thread(this::jvmShutdown, program + "-shutdown");
    synchronized (this) {
      this.hook = hook;
    }
    shutdownHooks.accept(hook);
    int status;
    if (!connectAll()) {
      synchronized (this) {
        status = usage ? Exit.USAGE : Exit.FAILURE;
      }
    } else {
      status = runJobs();
      closeAll();
    }
    return awaitJvmExitIfExiting(status);
  }

  // The hook's body: on the hook's own thread the JVM is exiting; a test that calls the hook's
  // run() on its own thread is only asking for a shutdown.
  private void jvmShutdown() {
    synchronized (this) {
      if (Thread.currentThread() == hook) {
        jvmExiting = true;
      }
    }
    shutdown();
  }

  /**
   * When the JVM is exiting, the run's status is not the program's: the JVM ends with the signal's
   * status (143 after SIGTERM, 130 after SIGINT) or the one given to {@code System.exit}. A main
   * thread that went on to call {@code System.exit(1)} would race the JVM's own halt and sometimes
   * win, so it waits here until the JVM halts. An interrupt ends the wait (for tests).
   */
  private int awaitJvmExitIfExiting(int status) {
    synchronized (this) {
      while (jvmExiting) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return status;
  }

  /**
   * Closes every connected device not closed yet, in reverse connect order, and makes devices that
   * finish connecting later close at once. Called by the shutdown hook; safe to call repeatedly.
   */
  public void shutdown() {
    int open;
    synchronized (this) {
      boolean first = !shuttingDown;
      shuttingDown = true;
      if (failure == null) {
        failure = "shutdown";
      }
      notifyAll();
      open = first ? this.open.size() : 0;
    }
    if (open > 0) {
      // one line, so that a guest's console (or a terminal) shows why the program ends
      err.println(program + ": stopping: closing " + open + (open == 1 ? " device" : " devices") + " in reverse order");
      err.flush();
    }
    closeAll();
  }

  /** The ids of the connected devices, in connect order (for tests and diagnostics). */
  public synchronized List<String> connectOrder() {
    List<String> ids = new ArrayList<>();
    for (Handle<?> h : connected) {
      ids.add(h.id);
    }
    return ids;
  }

  private boolean connectAll() {
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, program + "-connect-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ExecutorService pool = Executors.newFixedThreadPool(poolSize, tf);
    try {
      synchronized (this) {
        for (Handle<?> h : handles) {
          if (h.waitingFor == 0) {
            submit(pool, h);
          }
        }
        boolean interrupted = false;
        while (inFlight > 0) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
            if (failure == null) {
              failure = "error: interrupted while connecting";
            }
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        if (failure == null && connected.size() == handles.size()) {
          return true;
        }
      }
      closeAll();
      synchronized (this) {
        if (failure == null) {
          failure = "error: some devices could not be connected";
        }
        if (!failure.equals("shutdown")) {
          err.println(failure);
          err.flush();
        }
      }
      return false;
    } finally {
      pool.shutdownNow();
    }
  }

  // called with the lock held
  private void submit(ExecutorService pool, Handle<?> handle) {
    inFlight++;
    pool.execute(() -> bringUp(pool, handle));
  }

  private <T extends Device> void bringUp(ExecutorService pool, Handle<T> handle) {
    synchronized (this) {
      if (failure != null || shuttingDown) {
        // queued before a failure or shutdown: not started at all
        inFlight--;
        notifyAll();
        return;
      }
    }
    String problem = null;
    boolean badOption = false;
    T device = null;
    try {
      device = handle.factory.create();
      if (device == null) {
        problem = "could not be created: its factory returned null";
      }
    } catch (UsageException e) {
      problem = "cannot use its options: " + describe(e);
      badOption = true;
    } catch (Throwable e) {
      problem = "could not be created: " + describe(e);
    }
    if (problem == null) {
      handle.instance = device;
      try {
        device.connect();
      } catch (Throwable e) {
        problem = "failed to connect: " + describe(e);
        closeQuietly(handle);
      }
    }
    boolean closeNow = false;
    synchronized (this) {
      inFlight--;
      if (problem != null) {
        if (failure == null) {
          failure =
              "error: device '" + handle.id + "' (" + handle.location + ") " + problem;
          usage = badOption;
        }
      } else {
        connected.add(handle);
        open.addLast(handle);
        LOG.log(System.Logger.Level.DEBUG, () -> "device '" + handle.id + "' (" + handle.location + ") connected");
        if (shuttingDown) {
          closeNow = true;
        } else if (failure == null) {
          for (Handle<?> next : handle.dependents) {
            if (--next.waitingFor == 0) {
              submit(pool, next);
            }
          }
        }
      }
      notifyAll();
    }
    if (closeNow) {
      closeAll();
    }
  }

  private int runJobs() {
    List<Job> instances = new ArrayList<>();
    for (JobEntry entry : jobs) {
      try {
        Job job = entry.factory.create();
        if (job == null) {
          throw new IllegalStateException("its factory returned null");
        }
        instances.add(job);
      } catch (ExitStatus e) {
        return chosen(e);
      } catch (Throwable e) {
        return fail("error: job '" + entry.name + "' (" + entry.location + ") could not be created: "
            + describe(e));
      }
    }
    int[] running = {instances.size()};
    for (int i = 0; i < instances.size(); i++) {
      JobEntry entry = jobs.get(i);
      Job job = instances.get(i);
      Thread t =
          new Thread(
              () -> {
                String problem = null;
                ExitStatus exit = null;
                try {
                  job.start();
                } catch (ExitStatus e) {
                  exit = e;
                } catch (Throwable e) {
                  problem = describe(e);
                }
                synchronized (this) {
                  running[0]--;
                  if (exit != null && failure == null && chosen == null) {
                    chosen = exit;
                  }
                  if (problem != null && failure == null && chosen == null) {
                    failure =
                        "error: job '" + entry.name + "' (" + entry.location + ") failed: " + problem;
                  }
                  notifyAll();
                }
              },
              program + "-job-" + entry.name);
      t.start();
    }
    // wait until every job has returned, or one has failed, or the JVM is shutting down
    String outcome;
    ExitStatus exit;
    synchronized (this) {
      while (failure == null && chosen == null && running[0] > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = "error: interrupted while running the jobs";
        }
      }
      outcome = failure;
      exit = chosen;
    }
    if (exit != null && outcome == null) {
      return chosen(exit);
    }
    if (outcome == null) {
      return Exit.OK;
    }
    if (outcome.equals("shutdown")) {
      return Exit.FAILURE;
    }
    return fail(outcome);
  }

  /** Ends the run with the status a job chose: its reason (if any) as one line, then the close. */
  private int chosen(ExitStatus exit) {
    if (exit.reason() != null) {
      err.println(program + ": exiting with status " + exit.status() + ": "
          + exit.reason().replace('\n', ' ').replace('\r', ' '));
      err.flush();
    }
    closeAll();
    return exit.status();
  }

  private int fail(String line) {
    closeAll();
    err.println(line);
    err.flush();
    return Exit.FAILURE;
  }

  /** Closes, in reverse connect order, every connected device not closed yet. */
  private void closeAll() {
    synchronized (closeLock) {
      closeRemaining();
    }
  }

  private void closeRemaining() {
    // every device stops taking work and finishes what is in flight, then each is closed
    List<Handle<?>> stopping;
    synchronized (this) {
      stopping = new ArrayList<>(open);
    }
    for (int i = stopping.size() - 1; i >= 0; i--) {
      Handle<?> next = stopping.get(i);
      if (next.stopped) {
        continue;
      }
      next.stopped = true;
      String problem = stopQuietly(next);
      if (problem != null) {
        err.println(
            "warning: device '" + next.id + "' (" + next.location + ") failed to stop: " + problem);
        err.flush();
      }
    }
    while (true) {
      Handle<?> next;
      synchronized (this) {
        next = open.pollLast();
      }
      if (next == null) {
        return;
      }
      String problem = closeQuietly(next);
      if (problem != null) {
        err.println(
            "warning: device '" + next.id + "' (" + next.location + ") failed to close: " + problem);
        err.flush();
      }
    }
  }

  private static String stopQuietly(Handle<?> handle) {
    Device device = handle.instance;
    if (device == null) {
      return null;
    }
    try {
      device.stop();
      return null;
    } catch (Throwable e) {
      return describe(e);
    }
  }

  private static String closeQuietly(Handle<?> handle) {
    Device device = handle.instance;
    if (device == null) {
      return null;
    }
    try {
      device.close();
      return null;
    } catch (Throwable e) {
      return describe(e);
    }
  }

  /** One line for a failure: its message, else its class's name. */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.lang.reflect.InvocationTargetException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    String text = message == null || message.isBlank() ? t.getClass().getName() : message;
    return text.replace('\n', ' ').replace('\r', ' ');
  }
}
