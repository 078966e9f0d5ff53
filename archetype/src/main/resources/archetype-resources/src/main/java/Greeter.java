package ${package};

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

/** The unikernel's job: says the greeting on the console, as many times as it is told to. */
public final class Greeter implements Job {
  private final Console console;
  private final String greeting;
  private final long times;

  /** The console, and the runtime keys {@code --greeting} and {@code --times}. */
  public Greeter(Console console, String greeting, long times) {
    this.console = console;
    this.greeting = greeting;
    this.times = times;
  }

  @Override
  public void start() {
    for (long i = 0; i < times; i++) {
      console.log(greeting);
    }
  }
}
