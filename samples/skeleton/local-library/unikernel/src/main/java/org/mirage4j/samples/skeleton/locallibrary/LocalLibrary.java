package org.mirage4j.samples.skeleton.locallibrary;

import java.lang.System.Logger.Level;
import org.mirage4j.api.Job;
import org.mirage4j.samples.skeleton.locallibrary.hello.Hello;

/** Logs the message of the hello library, a module of the same build. */
public final class LocalLibrary implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  /** The job takes no device. */
  public LocalLibrary() {}

  @Override
  public void start() {
    LOG.log(Level.INFO, "The hello library has a message for you: " + Hello.hello());
  }
}
